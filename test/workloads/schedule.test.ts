import { findScheduleConflicts, formatWeekMinute, parseCron, ScheduledOperation, weeklyStarts } from '../../config';

describe('parseCron', () => {
  test('reads values, ranges, steps, lists and names', () => {
    const s = parseCron('5,35 */6 * jan-mar MON-fri');
    expect(s.minutes).toEqual([5, 35]);
    expect(s.hours).toEqual([0, 6, 12, 18]);
    expect(s.months).toEqual([1, 2, 3]);
    expect(s.daysOfWeek).toEqual([1, 2, 3, 4, 5]);
    expect(s.dayOfMonthAny).toBe(true);
  });

  test('a single value with a step runs to the end of the field', () => {
    expect(parseCron('50/5 * * * *').minutes).toEqual([50, 55]);
  });

  test('descriptors', () => {
    expect(weeklyStarts(parseCron('@weekly'))).toEqual([0]);
    expect(parseCron('@hourly').hours).toHaveLength(24);
  });

  test.each([
    ['0 2 * *', /5 fields/],
    ['0 24 * * *', /hour values within 0-23/],
    ['0 2 * * 7', /day-of-week values within 0-6/],
    ['*/0 * * * *', /a positive step/],
    ['0 2 L * *', /numbers in the day-of-month field/],
    ['TZ=UTC 0 2 * * *', /without a time-zone prefix/],
    ['@every 1h', /rather than @every/],
    ['5-1 * * * *', /ascending ranges/],
  ])('rejects %s', (expression, message) => {
    expect(() => parseCron(expression)).toThrow(message);
  });
});

describe('weeklyStarts', () => {
  test('lists the week minutes a schedule starts at (Sunday 00:00 is 0)', () => {
    expect(weeklyStarts(parseCron('0 3 * * 0'))).toEqual([180]);
    expect(weeklyStarts(parseCron('20 2 * * *'))).toEqual([140, 1580, 3020, 4460, 5900, 7340, 8780]);
  });

  test('rejects schedules that do not repeat weekly', () => {
    expect(() => weeklyStarts(parseCron('0 2 1 * *'))).toThrow(/repeats every week/);
  });

  test('formats week minutes', () => {
    expect(formatWeekMinute(180)).toBe('Sun 03:00');
    expect(formatWeekMinute(5 * 1440 + 125)).toBe('Fri 02:05');
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
  const op = (over: Partial<ScheduledOperation>): ScheduledOperation => ({ table: 'trading.raw_trades', kind: 'snapshot-expiry', cron: '20 2 * * *', expectedMinutes: 30, source: 'expiry', ...over });

  test('no conflict when the runs do not overlap', () => {
    expect(findScheduleConflicts([offload, op({})])).toEqual([]);
  });

  test('a whole-table operation overlapping an offload run conflicts', () => {
    const [conflict] = findScheduleConflicts([offload, op({ expectedMinutes: 50 })]);
    expect(conflict.first).toBe(offload);
    expect(formatWeekMinute(conflict.firstStart)).toBe('Sun 03:05');
    expect(formatWeekMinute(conflict.secondStart)).toBe('Sun 02:20');
  });

  test('overlapping runs on different tables do not conflict', () => {
    expect(findScheduleConflicts([offload, op({ table: 'trading.bronze_trades', cron: '0 * * * *', expectedMinutes: 59 })])).toEqual([]);
  });

  test('overlapping runs on disjoint hours do not conflict (compaction skipping the offload hours)', () => {
    expect(findScheduleConflicts([offload, op({ kind: 'compaction', cron: '0 2 * * *', expectedMinutes: 90, partitions: { toHoursAgo: 2 } })])).toEqual([]);
  });

  test('overlapping runs on shared hours conflict (compaction not skipping enough)', () => {
    expect(findScheduleConflicts([offload, op({ kind: 'compaction', cron: '0 2 * * *', expectedMinutes: 90, partitions: { toHoursAgo: 1 } })])).toHaveLength(1);
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
    expect(() => findScheduleConflicts([op({ cron: '0 2 1 * *', source: 'datasets[0].x' })])).toThrow(/datasets\[0\].x: schedule "0 2 1 \* \*" is not usable; expected a schedule that repeats every week/);
  });
});
