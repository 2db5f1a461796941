import {
  cronProblem,
  findScheduleConflicts,
  formatWeekMinute,
  ScheduledOperation,
  weeklyCronProblem,
} from '../../config';

describe('cronProblem', () => {
  test.each(['5,35 */6 * jan-mar MON-fri', '50/5 * * * *', '@weekly', '0 2 1 * *'])('accepts %s', (expression) => {
    expect(cronProblem(expression)).toBeUndefined();
  });

  test.each([
    ['0 2 * *', 'a robfig/cron schedule (expected exactly 5 fields, found 4: [0 2 * *])'],
    ['0 24 * * *', 'a robfig/cron schedule (end of range (24) above maximum (23): 24)'],
    ['0 2 * * 7', 'a robfig/cron schedule (end of range (7) above maximum (6): 7)'],
    ['*/0 * * * *', 'a robfig/cron schedule (step of range should be a positive number: */0)'],
    ['0 2 L * *', 'a robfig/cron schedule (failed to parse int from L: strconv.Atoi: parsing "L": invalid syntax)'],
    ['TZ=UTC 0 2 * * *', 'a schedule without a time-zone prefix (set the time zone separately)'],
    ['@every 1h', 'a fixed schedule rather than @every, whose runs depend on when the controller started'],
    ['5-1 * * * *', 'a robfig/cron schedule (beginning of range (5) beyond end of range (1): 5-1)'],
  ])('rejects %s', (expression, message) => {
    expect(cronProblem(expression)).toBe(message);
  });
});

describe('weeklyCronProblem', () => {
  test('accepts schedules that repeat weekly', () => {
    expect(weeklyCronProblem('20 2 * * *')).toBeUndefined();
    expect(weeklyCronProblem('@weekly')).toBeUndefined();
  });

  test('rejects schedules that do not repeat weekly, and what cronProblem rejects', () => {
    expect(weeklyCronProblem('0 2 1 * *')).toBe('a schedule that repeats every week (day-of-month and month "*")');
    expect(weeklyCronProblem('0 2 * jan *')).toMatch(/repeats every week/);
    expect(weeklyCronProblem('@every 1h')).toMatch(/rather than @every/);
  });
});

describe('findScheduleConflicts', () => {
  const offload: ScheduledOperation = {
    table: 'trading.raw_trades',
    kind: 'offload',
    cron: '5 * * * *',
    expectedMinutes: 10,
    partitions: { fromHoursAgo: 2, toHoursAgo: 0 },
    source: 'offload',
  };
  const op = (over: Partial<ScheduledOperation>): ScheduledOperation => ({
    table: 'trading.raw_trades',
    kind: 'snapshot-expiry',
    cron: '20 2 * * *',
    expectedMinutes: 30,
    source: 'expiry',
    ...over,
  });

  test('no conflict when the runs do not overlap', () => {
    expect(findScheduleConflicts([offload, op({})])).toEqual([]);
  });

  test('a whole-table operation overlapping an offload run conflicts', () => {
    const [conflict] = findScheduleConflicts([offload, op({ expectedMinutes: 50 })]);
    expect(conflict.first).toBe(offload);
    // The first overlap of the reference week, which starts on Monday.
    expect(formatWeekMinute(conflict.firstStart)).toBe('Mon 03:05');
    expect(formatWeekMinute(conflict.secondStart)).toBe('Mon 02:20');
  });

  test('overlapping runs on different tables do not conflict', () => {
    expect(
      findScheduleConflicts([offload, op({ table: 'trading.bronze_trades', cron: '0 * * * *', expectedMinutes: 59 })]),
    ).toEqual([]);
  });

  test('overlapping runs on disjoint hours do not conflict (compaction skipping the offload hours)', () => {
    expect(
      findScheduleConflicts([
        offload,
        op({ kind: 'compaction', cron: '0 2 * * *', expectedMinutes: 90, partitions: { toHoursAgo: 2 } }),
      ]),
    ).toEqual([]);
  });

  test('overlapping runs on shared hours conflict (compaction not skipping enough)', () => {
    expect(
      findScheduleConflicts([
        offload,
        op({ kind: 'compaction', cron: '0 2 * * *', expectedMinutes: 90, partitions: { toHoursAgo: 1 } }),
      ]),
    ).toHaveLength(1);
  });

  test('two readers never conflict', () => {
    expect(findScheduleConflicts([op({ readOnly: true }), op({ readOnly: true, source: 'other' })])).toEqual([]);
  });

  test('runs across the week boundary overlap', () => {
    const late = op({ cron: '50 23 * * 6', expectedMinutes: 30 });
    const early = op({ cron: '10 0 * * 0', expectedMinutes: 5, source: 'early' });
    expect(findScheduleConflicts([late, early])).toHaveLength(1);
  });

  test('names the declaration of a schedule it cannot use', () => {
    expect(() => findScheduleConflicts([op({ cron: '0 2 1 * *', source: 'datasets[0].x' })])).toThrow(
      /datasets\[0\].x: schedule "0 2 1 \* \*" is not usable; expected a schedule that repeats every week/,
    );
  });
});
