import {
  CalendarlessScheduleError,
  CronSchedule,
  formatWeekMinute,
  MINUTES_PER_DAY,
  parseCronSchedule,
  weeklyStarts,
} from '../../config';

const values = (schedule: CronSchedule) => ({
  minute: [...schedule.minute.values],
  hour: [...schedule.hour.values],
  dayOfMonth: [...schedule.dayOfMonth.values],
  month: [...schedule.month.values],
  dayOfWeek: [...schedule.dayOfWeek.values],
});
const stars = (schedule: CronSchedule) =>
  [schedule.minute, schedule.hour, schedule.dayOfMonth, schedule.month, schedule.dayOfWeek].map((f) => f.star);
const range = (from: number, to: number, step = 1) =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

describe('parseCronSchedule', () => {
  test('values, ranges, steps, lists and names', () => {
    expect(values(parseCronSchedule('5,35 */6 * jan-mar MON-fri'))).toEqual({
      minute: [5, 35],
      hour: [0, 6, 12, 18],
      dayOfMonth: range(1, 31),
      month: [1, 2, 3],
      dayOfWeek: [1, 2, 3, 4, 5],
    });
    // "N/step" runs to the end of the field; "N-M/step" to M.
    expect(values(parseCronSchedule('50/5 1-10/3 * * *'))).toMatchObject({ minute: [50, 55], hour: [1, 4, 7, 10] });
  });

  test('the star bit: `*` or `?` without a step above 1, in any item of the field', () => {
    expect(stars(parseCronSchedule('* ? */1 *,5 */2'))).toEqual([true, true, true, true, false]);
    expect(stars(parseCronSchedule('0 0 1-31 1 SUN-SAT'))).toEqual([false, false, false, false, false]);
    expect(values(parseCronSchedule('0 0 ? * ?'))).toMatchObject({ dayOfMonth: range(1, 31), dayOfWeek: range(0, 6) });
  });

  test('macros set what robfig parseDescriptor sets', () => {
    const yearly = parseCronSchedule('@yearly');
    expect(values(yearly)).toEqual({ minute: [0], hour: [0], dayOfMonth: [1], month: [1], dayOfWeek: range(0, 6) });
    expect(stars(yearly)).toEqual([false, false, false, false, true]);
    expect(parseCronSchedule('@annually')).toEqual(yearly);
    expect(stars(parseCronSchedule('@monthly'))).toEqual([false, false, false, true, true]);
    expect(values(parseCronSchedule('@weekly'))).toMatchObject({ dayOfWeek: [0] });
    expect(parseCronSchedule('@midnight')).toEqual(parseCronSchedule('@daily'));
    expect(values(parseCronSchedule('@hourly')).hour).toEqual(range(0, 23));
  });

  test("invalid schedules throw Go's message", () => {
    expect(() => parseCronSchedule('0 2 * * 7')).toThrow('end of range (7) above maximum (6): 7');
    expect(() => parseCronSchedule('@Daily')).toThrow('unrecognized descriptor: @Daily');
    expect(() => parseCronSchedule('TZ=Mars/Olympus 0 2 * * *')).toThrow(
      'provided bad location Mars/Olympus: unknown time zone Mars/Olympus',
    );
  });

  test('valid schedules without a calendar of their own throw CalendarlessScheduleError', () => {
    const kind = (spec: string) => {
      try {
        parseCronSchedule(spec);
      } catch (error) {
        return error instanceof CalendarlessScheduleError ? error.kind : (error as Error).message;
      }
    };
    expect(kind('@every 1h30m')).toBe('every');
    expect(kind('CRON_TZ=Europe/London 0 2 * * *')).toBe('time-zone');
    expect(kind('TZ=UTC @daily')).toBe('time-zone');
    expect(kind('TZ=UTC 0 2 * *')).toBe('expected exactly 5 fields, found 4: [0 2 * *]');
  });
});

describe('weeklyStarts over the reference week (Mon 2026-01-05 00:00 UTC is 0)', () => {
  const starts = (spec: string, timeZone?: string) => weeklyStarts(parseCronSchedule(spec), timeZone);

  test('week minutes, Monday first', () => {
    expect(starts('0 3 * * 0')).toEqual([6 * MINUTES_PER_DAY + 180]);
    expect(starts('20 2 * * *')).toEqual(range(140, 6 * MINUTES_PER_DAY + 140, MINUTES_PER_DAY));
    expect(starts('@weekly').map(formatWeekMinute)).toEqual(['Sun 00:00']);
    expect(starts('@yearly')).toEqual([]);
  });

  test('the day fields: either matches when both are restricted, both must when one is a star', () => {
    // 5 January is a Monday, the 7th a Wednesday.
    expect(starts('0 0 5 * WED').map(formatWeekMinute)).toEqual(['Mon 00:00', 'Wed 00:00']);
    expect(starts('0 0 5 * *').map(formatWeekMinute)).toEqual(['Mon 00:00']);
    expect(starts('0 0 5 * ?').map(formatWeekMinute)).toEqual(['Mon 00:00']);
    // `*/2` is no star: odd days of month or Sunday.
    expect(starts('0 0 */2 * SUN').map(formatWeekMinute)).toEqual(['Mon 00:00', 'Wed 00:00', 'Fri 00:00', 'Sun 00:00']);
    // `*/1` is: Sunday only.
    expect(starts('0 0 */1 * SUN').map(formatWeekMinute)).toEqual(['Sun 00:00']);
  });

  test('read in a time zone, with its daylight-saving offset and local date', () => {
    // Sydney keeps summer time (UTC+11) in January. Monday 12 January 09:00 there is Sunday 11 January 22:00 UTC; the
    // Monday before (5 January 09:00) falls before the week's start in UTC.
    expect(starts('0 9 * * MON', 'Australia/Sydney').map(formatWeekMinute)).toEqual(['Sun 22:00']);
    // Day of month is the local date: the 12th from 00:00 to 10:59 Sydney time is still the 11th in UTC.
    expect(starts('30 1 12 * *', 'Australia/Sydney').map(formatWeekMinute)).toEqual(['Sun 14:30']);
    expect(starts('0 2 * * MON', 'America/New_York').map(formatWeekMinute)).toEqual(['Mon 07:00']);
  });

  test('formats week minutes', () => {
    expect(formatWeekMinute(6 * MINUTES_PER_DAY + 180)).toBe('Sun 03:00');
    expect(formatWeekMinute(4 * MINUTES_PER_DAY + 125)).toBe('Fri 02:05');
    expect(formatWeekMinute(-60)).toBe('Sun 23:00');
  });
});
