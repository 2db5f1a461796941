/** Every run of the reference week, and the pairs of jobs whose runs intersect on the same table or queue. */
import { ScheduledJob } from './jobs';
import { MINUTES_PER_WEEK, parseCronSchedule, weeklyStarts } from '../../config';

/** One run: minutes from the start of the reference week; `end` may pass the week's end (it wraps to Monday). */
export interface Run {
  readonly id: number;
  readonly job: ScheduledJob;
  readonly start: number;
  readonly end: number;
}

export function weekRuns(jobs: readonly ScheduledJob[]): Run[] {
  const runs: Run[] = [];
  for (const job of jobs) {
    for (const start of weeklyStarts(parseCronSchedule(job.schedule), job.timeZone)) {
      runs.push({ id: runs.length, job, start, end: start + job.runtimeMinutes });
    }
  }
  return runs;
}

/** Two jobs whose runs intersect on a shared resource, with every intersecting pair of runs. */
export interface Overlap {
  /** `table`: both write or maintain the same Iceberg table; `queue`: both compete in the same tenant queue. */
  readonly reason: 'table' | 'queue';
  /** The table or queue they share. */
  readonly on: string;
  readonly first: ScheduledJob;
  readonly second: ScheduledJob;
  /** Intersecting run pairs (a job overlapping itself means it runs longer than its period). */
  readonly pairs: readonly (readonly [Run, Run])[];
}

export function findOverlaps(runs: readonly Run[]): Overlap[] {
  const byKey = new Map<string, Run[]>();
  const add = (key: string, run: Run) => byKey.set(key, [...(byKey.get(key) ?? []), run]);
  for (const run of runs) {
    for (const table of run.job.tables) add(`table\0${table}`, run);
    add(`queue\0${run.job.queue}`, run);
  }
  const overlaps = new Map<
    string,
    { reason: 'table' | 'queue'; on: string; first: ScheduledJob; second: ScheduledJob; pairs: [Run, Run][] }
  >();
  for (const [key, group] of byKey) {
    const [reason, on] = key.split('\0') as ['table' | 'queue', string];
    // Runs near the end of the week also meet the runs of the next Monday: sweep over the week plus a shifted copy.
    const sorted = [
      ...group.map((run) => ({ run, start: run.start, end: run.end })),
      ...group.map((run) => ({ run, start: run.start + MINUTES_PER_WEEK, end: run.end + MINUTES_PER_WEEK })),
    ].sort((a, b) => a.start - b.start);
    sorted.forEach((a, i) => {
      if (a.start >= MINUTES_PER_WEEK) return;
      for (let j = i + 1; j < sorted.length && sorted[j].start < a.end; j++) {
        const b = sorted[j];
        if (b.run === a.run) continue;
        const [first, second] = a.run.job.name <= b.run.job.name ? [a.run, b.run] : [b.run, a.run];
        const id = `${key}\0${first.job.namespace}/${first.job.name}\0${second.job.namespace}/${second.job.name}`;
        const entry = overlaps.get(id) ?? { reason, on, first: first.job, second: second.job, pairs: [] };
        entry.pairs.push([first, second]);
        overlaps.set(id, entry);
      }
    });
  }
  return [...overlaps.values()];
}
