import { cronScheduleError, goDurationError } from '../../config';

// Expected results are robfig/cron v3.0.1 ParseStandard's, as Kubernetes reports them.
describe('cron schedules (robfig/cron ParseStandard)', () => {
  test.each([
    '*/5 * * * *',
    '0 0 31 2 *', // never fires, but parses: robfig does not check calendar dates
    '15 */6 * * mon-fri',
    '0 9 * JAN-MAR Sun',
    '? * * * *',
    '5/15 * * * *',
    '0 0 1,15 * 0-6',
    '0\t12  *  * *', // any whitespace separates fields
    '@yearly',
    '@annually',
    '@monthly',
    '@weekly',
    '@daily',
    '@midnight',
    '@hourly',
    '@every 5m',
    '@every 1h30m',
    '@every 1.5h',
    'TZ=UTC 0 0 * * *', // the parser allows it; the CronJob rule (schedules.test.ts) forbids it
  ])('accepts %j', (schedule) => {
    expect(cronScheduleError(schedule)).toBeUndefined();
  });

  test.each([
    ['* * * * 7', 'end of range (7) above maximum (6): 7'],
    ['0 0 * * * *', 'expected exactly 5 fields, found 6: [0 0 * * * *]'],
    ['0 0 * *', 'expected exactly 5 fields, found 4: [0 0 * *]'],
    ['   ', 'expected exactly 5 fields, found 0: []'],
    ['', 'empty spec string'],
    ['0 0 L * *', 'failed to parse int from L: strconv.Atoi: parsing "L": invalid syntax'],
    ['0 0 15W * *', 'failed to parse int from 15W: strconv.Atoi: parsing "15W": invalid syntax'],
    ['0 0 * * 5#3', 'failed to parse int from 5#3: strconv.Atoi: parsing "5#3": invalid syntax'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['0 0 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['5-3 * * * *', 'beginning of range (5) beyond end of range (3): 5-3'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['*/-5 * * * *', 'negative number (-5) not allowed: -5'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['*/2/3 * * * *', 'too many slashes: */2/3'],
    ['0 0 * foo *', 'failed to parse int from foo: strconv.Atoi: parsing "foo": invalid syntax'],
    ['@reboot', 'unrecognized descriptor: @reboot'],
    ['@every 5x', 'failed to parse duration @every 5x: time: unknown unit "x" in duration "5x"'],
    ['@every 5', 'failed to parse duration @every 5: time: missing unit in duration "5"'],
    ['TZ=Mars/Olympus 0 0 * * *', 'provided bad location Mars/Olympus: unknown time zone Mars/Olympus'],
  ])('rejects %j: %s', (schedule, error) => {
    expect(cronScheduleError(schedule)).toBe(error);
  });

  test('stops at the first field that fails, as Go does', () => {
    expect(cronScheduleError('99 99 * * *')).toBe('end of range (99) above maximum (59): 99');
  });
});

describe('Go durations (time.ParseDuration)', () => {
  test.each(['0', '5m', '1h30m', '1.5h', '.5s', '300ms', '2us', '2µs', '-1m', '+10s'])('accepts %j', (text) => {
    expect(goDurationError(text)).toBeUndefined();
  });

  test.each([
    ['', 'time: invalid duration ""'],
    ['m', 'time: invalid duration "m"'],
    ['.s', 'time: invalid duration ".s"'],
    ['1d', 'time: unknown unit "d" in duration "1d"'],
    ['10', 'time: missing unit in duration "10"'],
    ['3000000h', 'time: invalid duration "3000000h"'],
  ])('rejects %j', (text, error) => {
    expect(goDurationError(text)).toBe(error);
  });
});
