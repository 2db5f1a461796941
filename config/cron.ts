import { goDurationError } from './go-duration';
import { loadLocationError } from './time-zone';

/**
 * A port of robfig/cron v3.0.1 `ParseStandard`, the parser Kubernetes uses for CronJob schedules and the Spark
 * Operator uses for ScheduledSparkApplication schedules. Error messages are Go's, so they match what the server says.
 */

/** One field of a parsed schedule. */
export interface CronField {
  /** The values the field allows. */
  readonly values: ReadonlySet<number>;
  /** robfig's star bit: some item was `*` or `?` without a step above 1. It decides how the day fields combine. */
  readonly star: boolean;
}

/** A five-field schedule (or a macro such as `@daily`) as robfig/cron reads it. */
export interface CronSchedule {
  readonly minute: CronField;
  readonly hour: CronField;
  readonly dayOfMonth: CronField;
  readonly month: CronField;
  readonly dayOfWeek: CronField;
}

/** Why a valid schedule has no calendar of its own: a `TZ=`/`CRON_TZ=` prefix or `@every <duration>`. */
export type CalendarlessKind = 'time-zone' | 'every';

/** Thrown by {@link parseCronSchedule} for a valid schedule whose runs it cannot list. */
export class CalendarlessScheduleError extends Error {
  constructor(
    readonly kind: CalendarlessKind,
    spec: string,
  ) {
    super(
      kind === 'every'
        ? `${JSON.stringify(spec)} runs at an interval from when the controller started, not on a fixed calendar`
        : `${JSON.stringify(spec)} names its time zone in a TZ=/CRON_TZ= prefix; give the time zone separately`,
    );
    this.name = 'CalendarlessScheduleError';
  }
}

interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

const MONTH_NAMES = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const DAY_NAMES = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

/** Minute, hour, day of month, month, day of week. */
const STANDARD_FIELDS: readonly Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTH_NAMES },
  { min: 0, max: 6, names: DAY_NAMES },
];

/** robfig's `parseDescriptor` sets the same bits (star bits included) as these five-field schedules. */
const DESCRIPTORS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const EVERY = '@every ';
const INT64_MAX = 2n ** 63n - 1n;

type Parsed =
  { readonly schedule: CronSchedule } | { readonly error: string } | { readonly calendarless: CalendarlessKind };

/** The error robfig/cron's `ParseStandard(spec)` returns, or undefined when the schedule parses. */
export function cronScheduleError(spec: string): string | undefined {
  const parsed = parse(spec);
  return 'error' in parsed ? parsed.error : undefined;
}

/**
 * The values of a schedule. Throws an Error with Go's message when robfig/cron refuses it, and a
 * {@link CalendarlessScheduleError} for a `TZ=`-prefixed or `@every` schedule, which the servers accept.
 */
export function parseCronSchedule(spec: string): CronSchedule {
  const parsed = parse(spec);
  if ('error' in parsed) throw new Error(parsed.error);
  if ('calendarless' in parsed) throw new CalendarlessScheduleError(parsed.calendarless, spec);
  return parsed.schedule;
}

/** robfig's `dayMatches`: when either day field is a star both must match, otherwise either does. */
export function dayMatches(schedule: CronSchedule, dayOfMonth: number, dayOfWeek: number): boolean {
  const dom = schedule.dayOfMonth.values.has(dayOfMonth);
  const dow = schedule.dayOfWeek.values.has(dayOfWeek);
  return schedule.dayOfMonth.star || schedule.dayOfWeek.star ? dom && dow : dom || dow;
}

function parse(spec: string): Parsed {
  if (spec.length === 0) return { error: 'empty spec string' };
  let rest = spec;
  let zoned = false;
  if (rest.startsWith('TZ=') || rest.startsWith('CRON_TZ=')) {
    const space = rest.indexOf(' ');
    const location = space < 0 ? rest.slice(rest.indexOf('=') + 1) : rest.slice(rest.indexOf('=') + 1, space);
    const problem = space < 0 ? 'no schedule follows the time zone' : loadLocationError(location);
    if (problem !== undefined) return { error: `provided bad location ${location}: ${problem}` };
    rest = rest.slice(space).trim();
    zoned = true;
  }
  const parsed = rest.startsWith('@') ? parseDescriptor(rest) : parseFields(rest);
  return zoned && 'schedule' in parsed ? { calendarless: 'time-zone' } : parsed;
}

function parseDescriptor(descriptor: string): Parsed {
  if (Object.hasOwn(DESCRIPTORS, descriptor)) return parseFields(DESCRIPTORS[descriptor]);
  if (descriptor.startsWith(EVERY)) {
    const problem = goDurationError(descriptor.slice(EVERY.length));
    return problem === undefined
      ? { calendarless: 'every' }
      : { error: `failed to parse duration ${descriptor}: ${problem}` };
  }
  return { error: `unrecognized descriptor: ${descriptor}` };
}

function parseFields(text: string): Parsed {
  const fields = text.split(/\s+/).filter(Boolean);
  if (fields.length !== STANDARD_FIELDS.length) {
    return {
      error: `expected exactly ${STANDARD_FIELDS.length} fields, found ${fields.length}: [${fields.join(' ')}]`,
    };
  }
  const parsed: CronField[] = [];
  for (let i = 0; i < fields.length; i++) {
    // Go stops at the first field that fails.
    const values = new Set<number>();
    let star = false;
    for (const expression of fields[i].split(',').filter(Boolean)) {
      const range = parseRange(expression, STANDARD_FIELDS[i]);
      if (typeof range === 'string') return { error: range };
      for (let v = range.start; v <= range.end; v += range.step) values.add(v);
      star ||= range.star;
    }
    parsed.push({ values, star });
  }
  const [minute, hour, dayOfMonth, month, dayOfWeek] = parsed;
  return { schedule: { minute, hour, dayOfMonth, month, dayOfWeek } };
}

interface Range {
  readonly start: number;
  readonly end: number;
  readonly step: number;
  readonly star: boolean;
}

/** robfig's `getRange` for one comma-separated part: `*`, `?`, `N`, `N-M`, each optionally `/step`, or a name. */
function parseRange(expression: string, bounds: Bounds): Range | string {
  const rangeAndStep = expression.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = bounds.min;
    end = bounds.max;
    star = true;
  } else {
    const low = intOrName(lowAndHigh[0], bounds.names);
    if (typeof low === 'string') return low;
    start = low;
    if (lowAndHigh.length > 2) return `too many hyphens: ${expression}`;
    if (lowAndHigh.length === 2) {
      const high = intOrName(lowAndHigh[1], bounds.names);
      if (typeof high === 'string') return high;
      end = high;
    } else {
      end = start;
    }
  }
  let step = 1;
  if (rangeAndStep.length > 2) return `too many slashes: ${expression}`;
  if (rangeAndStep.length === 2) {
    const parsed = atoi(rangeAndStep[1]);
    if (typeof parsed === 'string') return parsed;
    step = parsed;
    // "N/step" means "N-max/step".
    if (lowAndHigh.length === 1) end = bounds.max;
    if (step > 1) star = false;
  }
  if (start < bounds.min) return `beginning of range (${start}) below minimum (${bounds.min}): ${expression}`;
  if (end > bounds.max) return `end of range (${end}) above maximum (${bounds.max}): ${expression}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expression}`;
  if (step === 0) return `step of range should be a positive number: ${expression}`;
  return { start, end, step, star };
}

/** A number or a (case-insensitive) name; a string result is the error. */
function intOrName(text: string, names: Readonly<Record<string, number>> | undefined): number | string {
  const key = text.toLowerCase();
  return names !== undefined && Object.hasOwn(names, key) ? names[key] : atoi(text);
}

/** Go's `strconv.Atoi` followed by robfig's non-negative check; a string result is the error. */
function atoi(text: string): number | string {
  if (!/^[+-]?[0-9]+$/.test(text))
    return `failed to parse int from ${text}: strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`;
  const big = BigInt(text);
  if (big > INT64_MAX || big < -INT64_MAX - 1n) {
    return `failed to parse int from ${text}: strconv.Atoi: parsing ${JSON.stringify(text)}: value out of range`;
  }
  const value = Number(big);
  if (value < 0) return `negative number (${value}) not allowed: ${text}`;
  return value;
}
