import { CronSchedule, dayMatches } from './cron';

/**
 * Runs of a cron schedule over one fixed reference week, so the same configuration always gives the same answer.
 * Week minute 0 is Monday 00:00 UTC.
 */

export const MINUTES_PER_DAY = 24 * 60;
export const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

/** Monday 2026-01-05 00:00 UTC. */
export const REFERENCE_WEEK_START = Date.UTC(2026, 0, 5);

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/** Wall-clock fields of one minute in a time zone. */
interface LocalMinute {
  readonly minute: number;
  readonly hour: number;
  readonly day: number;
  readonly month: number;
  readonly weekday: number;
}

/** A zone's reference week: each minute's wall-clock fields, and the week minutes of each wall-clock hh:mm. */
interface LocalWeek {
  readonly minutes: readonly LocalMinute[];
  readonly byClock: ReadonlyMap<number, readonly number[]>;
}

const localWeeks = new Map<string, LocalWeek>();

/** The wall-clock time of every minute of the reference week in `timeZone`, computed once per zone. */
function localWeek(timeZone: string): LocalWeek {
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
  const byClock = new Map<number, number[]>();
  for (let m = 0; m < MINUTES_PER_WEEK; m++) {
    const parts = Object.fromEntries(
      format.formatToParts(REFERENCE_WEEK_START + m * 60_000).map((p) => [p.type, p.value]),
    );
    const local = {
      minute: Number(parts.minute),
      hour: Number(parts.hour),
      day: Number(parts.day),
      month: Number(parts.month),
      weekday: weekdays.indexOf(parts.weekday),
    };
    minutes.push(local);
    const clock = local.hour * 60 + local.minute;
    byClock.set(clock, [...(byClock.get(clock) ?? []), m]);
  }
  const week = { minutes, byClock };
  localWeeks.set(timeZone, week);
  return week;
}

/**
 * The week minutes (UTC, ascending) at which `schedule` fires during the reference week, read in `timeZone` as a
 * CronJob's or ScheduledSparkApplication's `spec.timeZone` says. Only the schedule's own hours and minutes are visited.
 */
export function weeklyStarts(schedule: CronSchedule, timeZone = 'UTC'): number[] {
  const week = localWeek(timeZone);
  const starts: number[] = [];
  for (const hour of schedule.hour.values) {
    for (const minute of schedule.minute.values) {
      for (const m of week.byClock.get(hour * 60 + minute) ?? []) {
        const t = week.minutes[m];
        if (schedule.month.values.has(t.month) && dayMatches(schedule, t.day, t.weekday)) starts.push(m);
      }
    }
  }
  return starts.sort((a, b) => a - b);
}

/** `Mon 02:05` for a week minute (UTC); any whole number of weeks earlier or later reads the same. */
export function formatWeekMinute(minute: number): string {
  const m = ((minute % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
  return `${WEEKDAYS[Math.floor(m / MINUTES_PER_DAY)]} ${formatDayMinute(m % MINUTES_PER_DAY)}`;
}

/** `02:05` for a minute of the day. */
export function formatDayMinute(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}
