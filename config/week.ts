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
 * The week minutes (UTC, ascending) at which `schedule` fires during the reference week, read in `timeZone` as a
 * CronJob's or ScheduledSparkApplication's `spec.timeZone` says.
 */
export function weeklyStarts(schedule: CronSchedule, timeZone = 'UTC'): number[] {
  const starts: number[] = [];
  localWeek(timeZone).forEach((t, m) => {
    if (!schedule.minute.values.has(t.minute) || !schedule.hour.values.has(t.hour) || !schedule.month.values.has(t.month)) return;
    if (dayMatches(schedule, t.day, t.weekday)) starts.push(m);
  });
  return starts;
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
