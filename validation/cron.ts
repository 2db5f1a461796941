import { goDurationError } from './go-duration';
import { loadLocationError } from './time-zones';

/**
 * A port of robfig/cron v3.0.1 `ParseStandard`, the parser Kubernetes uses for CronJob schedules and the Spark
 * Operator uses for ScheduledSparkApplication schedules. Error messages are Go's, so they match what the server says.
 */

interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

const MONTH_NAMES = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DAY_NAMES = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

/** Minute, hour, day of month, month, day of week. */
const STANDARD_FIELDS: readonly Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTH_NAMES },
  { min: 0, max: 6, names: DAY_NAMES },
];

const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const EVERY = '@every ';
const INT64_MAX = 2n ** 63n - 1n;

/** The error robfig/cron's `ParseStandard(spec)` returns, or undefined when the schedule parses. */
export function cronScheduleError(spec: string): string | undefined {
  if (spec.length === 0) return 'empty spec string';
  let rest = spec;
  if (rest.startsWith('TZ=') || rest.startsWith('CRON_TZ=')) {
    const space = rest.indexOf(' ');
    const location = space < 0 ? rest.slice(rest.indexOf('=') + 1) : rest.slice(rest.indexOf('=') + 1, space);
    const problem = space < 0 ? 'no schedule follows the time zone' : loadLocationError(location);
    if (problem !== undefined) return `provided bad location ${location}: ${problem}`;
    rest = rest.slice(space).trim();
  }
  if (rest.startsWith('@')) return descriptorError(rest);

  const fields = rest.split(/\s+/).filter(Boolean);
  if (fields.length !== STANDARD_FIELDS.length) {
    return `expected exactly ${STANDARD_FIELDS.length} fields, found ${fields.length}: [${fields.join(' ')}]`;
  }
  for (let i = 0; i < fields.length; i++) {
    // Go stops at the first field that fails.
    for (const expression of fields[i].split(',').filter(Boolean)) {
      const problem = rangeError(expression, STANDARD_FIELDS[i]);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}

function descriptorError(descriptor: string): string | undefined {
  if (DESCRIPTORS.has(descriptor)) return undefined;
  if (descriptor.startsWith(EVERY)) {
    const problem = goDurationError(descriptor.slice(EVERY.length));
    return problem === undefined ? undefined : `failed to parse duration ${descriptor}: ${problem}`;
  }
  return `unrecognized descriptor: ${descriptor}`;
}

/** One comma-separated part of a field: `*`, `?`, `N`, `N-M`, each optionally `/step`, or a name. */
function rangeError(expression: string, bounds: Bounds): string | undefined {
  const rangeAndStep = expression.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  let start: number;
  let end: number;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = bounds.min;
    end = bounds.max;
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
  }
  if (start < bounds.min) return `beginning of range (${start}) below minimum (${bounds.min}): ${expression}`;
  if (end > bounds.max) return `end of range (${end}) above maximum (${bounds.max}): ${expression}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expression}`;
  if (step === 0) return `step of range should be a positive number: ${expression}`;
  return undefined;
}

/** A number or a (case-insensitive) name; a string result is the error. */
function intOrName(text: string, names: Readonly<Record<string, number>> | undefined): number | string {
  const key = text.toLowerCase();
  return names !== undefined && Object.hasOwn(names, key) ? names[key] : atoi(text);
}

/** Go's `strconv.Atoi` followed by robfig's non-negative check; a string result is the error. */
function atoi(text: string): number | string {
  if (!/^[+-]?[0-9]+$/.test(text)) return `failed to parse int from ${text}: strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`;
  const big = BigInt(text);
  if (big > INT64_MAX || big < -INT64_MAX - 1n) {
    return `failed to parse int from ${text}: strconv.Atoi: parsing ${JSON.stringify(text)}: value out of range`;
  }
  const value = Number(big);
  if (value < 0) return `negative number (${value}) not allowed: ${text}`;
  return value;
}
