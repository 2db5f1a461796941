/**
 * Start times of a cron schedule over one reference week. Kubernetes CronJobs and the Spark Operator's
 * ScheduledSparkApplications both use robfig/cron's standard five-field syntax, which is what this implements:
 * numbers, names (JAN-DEC, SUN-SAT), ranges, steps, lists, `?`, and the `@hourly`-style macros. The shared install has
 * no cron library, and `validation/cron.ts` only checks schedules (it computes no run times), so the expansion lives
 * here; the report takes its error messages from the validator.
 */

export const MINUTES_PER_DAY = 24 * 60;
export const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

/** Monday 2026-01-05 00:00 UTC: a fixed week, so the same stack always gives the same report. */
export const REFERENCE_WEEK_START = Date.UTC(2026, 0, 5);

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

interface Field {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

/** A parsed schedule: the allowed values of each field. */
export interface CronSchedule {
  readonly minute: ReadonlySet<number>;
  readonly hour: ReadonlySet<number>;
  readonly dayOfMonth: ReadonlySet<number>;
  readonly month: ReadonlySet<number>;
  readonly dayOfWeek: ReadonlySet<number>;
  /** robfig/cron: when both day fields are restricted a day matches either; when one is `*` both must match. */
  readonly dayFieldsOr: boolean;
}

/** Parses a five-field cron expression or macro; throws an Error naming the offending field. */
export function parseCron(expression: string): CronSchedule {
  const text = MACROS[expression.trim()] ?? expression.trim();
  const parts = text.split(/\s+/);
  if (parts.length !== 5) throw new Error(`${JSON.stringify(expression)} is not a five-field cron schedule`);
  const sets = parts.map((part, i) => parseField(part, FIELDS[i], expression));
  // robfig/cron marks a field "any" when one of its items is `*` or `?` without a step above 1.
  const star = (part: string) => part.split(',').some((item) => /^[*?](\/0*1)?$/.test(item));
  return {
    minute: sets[0],
    hour: sets[1],
    dayOfMonth: sets[2],
    month: sets[3],
    dayOfWeek: sets[4],
    dayFieldsOr: !star(parts[2]) && !star(parts[4]),
  };
}

function parseField(part: string, field: Field, expression: string): Set<number> {
  const fail = (why: string): never => {
    throw new Error(`${JSON.stringify(expression)}: ${field.name} ${JSON.stringify(part)} ${why}`);
  };
  const value = (token: string): number => {
    const named = field.names?.indexOf(token.toUpperCase()) ?? -1;
    const n = named >= 0 ? named + field.min : /^\d+$/.test(token) ? Number(token) : NaN;
    if (!Number.isInteger(n) || n < field.min || n > field.max) fail(`is not a value in ${field.min}-${field.max}`);
    return n;
  };
  const out = new Set<number>();
  for (const item of part.split(',')) {
    const [range, stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) fail('has a step that is not a whole number >= 1');
    let from: number;
    let to: number;
    if (range === '*' || range === '?') {
      [from, to] = [field.min, field.max];
    } else if (range.includes('-')) {
      const [a, b] = range.split('-');
      [from, to] = [value(a), value(b)];
      if (from > to) fail('has a range that runs backwards');
    } else {
      from = value(range);
      to = stepText === undefined ? from : field.max;
    }
    for (let n = from; n <= to; n += step) out.add(n);
  }
  return out;
}

/** Wall-clock fields of one minute in a time zone. */
interface LocalMinute {
  readonly minute: number;
  readonly hour: number;
  readonly day: number;
  readonly month: number;
  readonly weekday: number;
}

const localWeeks = new Map<string, readonly LocalMinute[]>();

/** The wall-clock time of every minute of the reference week in `timeZone`, computed once per zone. */
function localWeek(timeZone: string): readonly LocalMinute[] {
  const cached = localWeeks.get(timeZone);
  if (cached) return cached;
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    weekday: 'short',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  });
  const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const minutes: LocalMinute[] = [];
  for (let m = 0; m < MINUTES_PER_WEEK; m++) {
    const parts = Object.fromEntries(format.formatToParts(REFERENCE_WEEK_START + m * 60_000).map((p) => [p.type, p.value]));
    minutes.push({
      minute: Number(parts.minute),
      hour: Number(parts.hour),
      day: Number(parts.day),
      month: Number(parts.month),
      weekday: weekdays.indexOf(parts.weekday),
    });
  }
  localWeeks.set(timeZone, minutes);
  return minutes;
}

/**
 * The minutes (from {@link REFERENCE_WEEK_START}, in UTC) at which `expression` fires during the reference week, with
 * the schedule read in `timeZone` as the CronJob/ScheduledSparkApplication `spec.timeZone` says.
 */
export function weeklyStarts(expression: string, timeZone = 'UTC'): number[] {
  const cron = parseCron(expression);
  const starts: number[] = [];
  localWeek(timeZone).forEach((t, m) => {
    if (!cron.minute.has(t.minute) || !cron.hour.has(t.hour) || !cron.month.has(t.month)) return;
    const dom = cron.dayOfMonth.has(t.day);
    const dow = cron.dayOfWeek.has(t.weekday);
    if (cron.dayFieldsOr ? dom || dow : dom && dow) starts.push(m);
  });
  return starts;
}

/** `Mon 02:00` for a minute of the reference week (UTC). */
export function formatWeekMinute(minute: number): string {
  const m = ((minute % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
  const day = Math.floor(m / MINUTES_PER_DAY);
  return `${WEEKDAYS[day]} ${formatDayMinute(m % MINUTES_PER_DAY)}`;
}

/** `02:05` for a minute of the day. */
export function formatDayMinute(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}
