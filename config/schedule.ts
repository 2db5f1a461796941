/**
 * Cron schedules as the Spark Operator and Kubernetes read them (robfig/cron v3 `ParseStandard`: five fields, no
 * seconds, day-of-week 0-6), and a checker that finds scheduled operations on the same table whose runs overlap.
 */

/** One parsed five-field schedule. `*Any` is true when the field was `*` or `?`, which changes day matching. */
export interface CronSchedule {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly daysOfMonth: readonly number[];
  readonly months: readonly number[];
  readonly daysOfWeek: readonly number[];
  readonly dayOfMonthAny: boolean;
  readonly monthAny: boolean;
  readonly dayOfWeekAny: boolean;
}

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day-of-week', min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
] as const;

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/**
 * Parses a schedule; throws an Error whose message says what is wrong. Time-zone prefixes are refused because the
 * objects carry a `timeZone` field instead, and `@every` because its runs depend on when the controller started.
 */
export function parseCron(expression: string): CronSchedule {
  const text = expression.trim();
  if (/^(CRON_TZ|TZ)=/.test(text)) throw new Error('a schedule without a time-zone prefix (set the time zone separately)');
  if (text.startsWith('@every')) throw new Error('a fixed schedule rather than @every, whose runs depend on when the controller started');
  const fields = (DESCRIPTORS[text.toLowerCase()] ?? text).split(/\s+/);
  if (fields.length !== 5) throw new Error(`5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`);
  const parsed = fields.map((field, i) => parseField(field, FIELDS[i]));
  const [minutes, hours, daysOfMonth, months, daysOfWeek] = parsed.map((p) => p.values);
  return {
    minutes,
    hours,
    daysOfMonth,
    months,
    daysOfWeek,
    dayOfMonthAny: parsed[2].any,
    monthAny: parsed[3].any,
    dayOfWeekAny: parsed[4].any,
  };
}

/** The problem with a schedule, or undefined when it parses. */
export function cronProblem(expression: string): string | undefined {
  try {
    parseCron(expression);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function parseField(field: string, spec: (typeof FIELDS)[number]): { values: number[]; any: boolean } {
  const values = new Set<number>();
  let any = false;
  for (const part of field.split(',')) {
    const [range, stepText, extra] = part.split('/');
    if (extra !== undefined) throw new Error(`one step per range in the ${spec.name} field, got ${JSON.stringify(part)}`);
    const step = stepText === undefined ? 1 : wholeNumber(stepText, spec.name);
    if (step <= 0) throw new Error(`a positive step in the ${spec.name} field, got ${JSON.stringify(part)}`);
    let start: number;
    let end: number;
    if (range === '*' || range === '?') {
      [start, end] = [spec.min, spec.max];
      // robfig/cron treats `*` and `*/1` as "any", which changes how day-of-month and day-of-week combine.
      any = any || step === 1;
    } else {
      const bounds = range.split('-');
      if (bounds.length > 2) throw new Error(`a range a-b in the ${spec.name} field, got ${JSON.stringify(part)}`);
      start = value(bounds[0], spec);
      // A single value with a step runs to the end of the field, as in robfig/cron.
      end = bounds.length === 2 ? value(bounds[1], spec) : stepText === undefined ? start : spec.max;
    }
    if (start < spec.min || end > spec.max || start > end) {
      throw new Error(`${spec.name} values within ${spec.min}-${spec.max} in ascending ranges, got ${JSON.stringify(part)}`);
    }
    for (let v = start; v <= end; v += step) values.add(v);
  }
  return { values: [...values].sort((a, b) => a - b), any };
}

function value(text: string, spec: (typeof FIELDS)[number]): number {
  const index = 'names' in spec ? (spec.names as readonly string[]).indexOf(text.toLowerCase()) : -1;
  if (index >= 0) return index + spec.min;
  return wholeNumber(text, spec.name);
}

function wholeNumber(text: string, field: string): number {
  if (!/^[0-9]+$/.test(text)) throw new Error(`numbers in the ${field} field, got ${JSON.stringify(text)}`);
  return Number(text);
}

/** Minutes in a week; week minute 0 is Sunday 00:00. */
export const WEEK_MINUTES = 7 * 24 * 60;

/**
 * The minutes of the week at which a schedule starts a run. Only schedules that repeat every week (day-of-month and
 * month `*`) have such a list; anything else throws.
 */
export function weeklyStarts(schedule: CronSchedule): number[] {
  if (!schedule.dayOfMonthAny || !schedule.monthAny) throw new Error('a schedule that repeats every week (day-of-month and month "*")');
  const starts: number[] = [];
  for (const day of schedule.daysOfWeek) {
    for (const hour of schedule.hours) for (const minute of schedule.minutes) starts.push(day * 1440 + hour * 60 + minute);
  }
  return starts.sort((a, b) => a - b);
}

/** `Sun 02:05` for a week minute. */
export function formatWeekMinute(minute: number): string {
  const m = ((minute % WEEK_MINUTES) + WEEK_MINUTES) % WEEK_MINUTES;
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][Math.floor(m / 1440)];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${day} ${pad(Math.floor((m % 1440) / 60))}:${pad(m % 60)}`;
}

/**
 * Hour partitions an operation touches, counted back from the hour its run starts in: `[start hour - fromHoursAgo,
 * start hour - toHoursAgo)`. Without `fromHoursAgo` it reaches back to the oldest data.
 */
export interface PartitionWindow {
  /** Oldest hour touched, in hours before the start hour. @default - no bound: all older hours */
  readonly fromHoursAgo?: number;
  /** Hours before the start hour that are left alone (0: up to the start hour). */
  readonly toHoursAgo: number;
}

/** One recurring operation on one table, as the schedule-conflict check sees it. */
export interface ScheduledOperation {
  /** The table, fully qualified (e.g. `polaris.trading.raw_trades`). */
  readonly table: string;
  /** What it does (`offload`, `compaction`, `snapshot-expiry`, ...); used in messages. */
  readonly kind: string;
  /** When it starts, in UTC: a five-field cron that repeats every week. */
  readonly cron: string;
  /** How long one run is expected to take, in minutes. */
  readonly expectedMinutes: number;
  /** The hour partitions it touches. @default - the whole table (metadata-wide work such as snapshot expiry) */
  readonly partitions?: PartitionWindow;
  /** True when it only reads the table; two readers never conflict. @default false */
  readonly readOnly?: boolean;
  /** Where it is declared (a config key path or construct path), for messages. */
  readonly source: string;
}

/** Two operations on the same table whose runs overlap in time and in the partitions they touch. */
export interface ScheduleConflict {
  readonly first: ScheduledOperation;
  readonly second: ScheduledOperation;
  /** Week minute at which the overlapping run of `first` starts. */
  readonly firstStart: number;
  /** Week minute at which the overlapping run of `second` starts. */
  readonly secondStart: number;
}

/**
 * Finds every pair of operations on the same table that can run at the same time and touch the same hours, at
 * least one of them writing. Partition windows make the ADR's daily compaction safe next to the hourly offload: it
 * skips the newest hours, which are the only ones the offload rewrites. Throws on a schedule that does not parse or
 * does not repeat weekly.
 */
export function findScheduleConflicts(operations: readonly ScheduledOperation[]): ScheduleConflict[] {
  const starts = operations.map((op) => {
    try {
      return weeklyStarts(parseCron(op.cron));
    } catch (error) {
      throw new Error(`${op.source}: schedule ${JSON.stringify(op.cron)} is not usable; expected ${(error as Error).message}`);
    }
  });
  const conflicts: ScheduleConflict[] = [];
  for (let i = 0; i < operations.length; i++) {
    for (let j = i + 1; j < operations.length; j++) {
      const [a, b] = [operations[i], operations[j]];
      if (a.table !== b.table || (a.readOnly && b.readOnly)) continue;
      const hit = firstOverlap(a, starts[i], b, starts[j]);
      if (hit) conflicts.push({ first: a, second: b, firstStart: hit[0], secondStart: hit[1] });
    }
  }
  return conflicts;
}

function firstOverlap(a: ScheduledOperation, aStarts: number[], b: ScheduledOperation, bStarts: number[]): [number, number] | undefined {
  for (const sa of aStarts) {
    for (const sbWeek of bStarts) {
      // Runs near the week boundary overlap runs of the previous or next week.
      for (const sb of [sbWeek - WEEK_MINUTES, sbWeek, sbWeek + WEEK_MINUTES]) {
        const timeOverlap = sa < sb + b.expectedMinutes && sb < sa + a.expectedMinutes;
        if (timeOverlap && intersects(touched(a, sa), touched(b, sb))) return [sa, sbWeek];
      }
    }
  }
  return undefined;
}

function touched(op: ScheduledOperation, start: number): [number, number] {
  if (!op.partitions) return [-Infinity, Infinity];
  const hour = Math.floor(start / 60) * 60;
  const from = op.partitions.fromHoursAgo === undefined ? -Infinity : hour - op.partitions.fromHoursAgo * 60;
  return [from, hour - op.partitions.toHoursAgo * 60];
}

function intersects([a1, b1]: [number, number], [a2, b2]: [number, number]): boolean {
  return a1 < b2 && a2 < b1;
}
