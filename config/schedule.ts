import { CalendarlessScheduleError, CronSchedule, parseCronSchedule } from './cron';
import { MINUTES_PER_WEEK, weeklyStarts } from './week';

/**
 * Schedules of the platform's own scheduled jobs (robfig/cron, see cron.ts), and a checker that finds scheduled
 * operations on the same table whose runs overlap. Messages read as what was expected.
 */

/**
 * A schedule with a calendar of its own. Time-zone prefixes are refused because the objects carry a `timeZone` field
 * instead, and `@every` because its runs depend on when the controller started.
 */
function fixedSchedule(spec: string): CronSchedule {
  try {
    return parseCronSchedule(spec);
  } catch (error) {
    if (!(error instanceof CalendarlessScheduleError))
      throw new Error(`a robfig/cron schedule (${(error as Error).message})`);
    throw new Error(
      error.kind === 'time-zone'
        ? 'a schedule without a time-zone prefix (set the time zone separately)'
        : 'a fixed schedule rather than @every, whose runs depend on when the controller started',
    );
  }
}

/** A fixed schedule that repeats every week, so the week's runs are all its runs. */
function weeklySchedule(spec: string): CronSchedule {
  const schedule = fixedSchedule(spec);
  if (!schedule.dayOfMonth.star || !schedule.month.star)
    throw new Error('a schedule that repeats every week (day-of-month and month "*")');
  return schedule;
}

/** What a scheduled job's schedule should have been, or undefined when it has a fixed calendar. */
export function cronProblem(spec: string): string | undefined {
  return problem(() => fixedSchedule(spec));
}

/** What a maintenance schedule should have been, or undefined when it repeats every week. */
export function weeklyCronProblem(spec: string): string | undefined {
  return problem(() => weeklySchedule(spec));
}

function problem(parse: () => unknown): string | undefined {
  try {
    parse();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
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
  /** When it starts, in UTC: a cron schedule that repeats every week. */
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
  /** Week minute (see week.ts) at which the overlapping run of `first` starts. */
  readonly firstStart: number;
  /** Week minute (see week.ts) at which the overlapping run of `second` starts. */
  readonly secondStart: number;
}

/**
 * Finds every pair of operations on the same table that can run at the same time and touch the same hours, at
 * least one of them writing. Partition windows make the daily compaction safe next to the hourly offload: it
 * skips the newest hours, which are the only ones the offload rewrites. Throws on a schedule that does not parse or
 * does not repeat weekly.
 */
export function findScheduleConflicts(operations: readonly ScheduledOperation[]): ScheduleConflict[] {
  const starts = operations.map((op) => {
    try {
      return weeklyStarts(weeklySchedule(op.cron));
    } catch (error) {
      throw new Error(
        `${op.source}: schedule ${JSON.stringify(op.cron)} is not usable; expected ${(error as Error).message}`,
      );
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

function firstOverlap(
  a: ScheduledOperation,
  aStarts: number[],
  b: ScheduledOperation,
  bStarts: number[],
): [number, number] | undefined {
  for (const sa of aStarts) {
    for (const sbWeek of bStarts) {
      // Runs near the week boundary overlap runs of the previous or next week.
      for (const sb of [sbWeek - MINUTES_PER_WEEK, sbWeek, sbWeek + MINUTES_PER_WEEK]) {
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
