/**
 * The overlaps that are real conflicts, and the ones that are not. Two jobs writing or maintaining the same Iceberg
 * table at the same time is a conflict. A tenant's jobs sharing its YuniKorn queue is the design (the queue orders
 * them within the tenant's budget); it becomes a conflict only when the jobs running together ask for more than the
 * queue's max, so some of them wait.
 */
import { formatWeekMinute, MINUTES_PER_WEEK } from '../../config';
import { tenantQueue } from '../../constructs/conventions';
import { Resources, TenantCommitment } from './commitments';
import { cores, gib } from './format';
import { ScheduledJob } from './jobs';
import { Overlap, Run } from './timeline';

/** Two jobs (or one job and its own next run) whose runs intersect on one or more tables they both touch. */
export interface TableConflict {
  readonly first: ScheduledJob;
  readonly second: ScheduledJob;
  /** Every table both touch, sorted. */
  readonly tables: readonly string[];
  /** The intersecting run pairs, earliest first. */
  readonly pairs: readonly (readonly [Run, Run])[];
}

/** The jobs whose runs meet on one queue, and the most they ask of it at one minute. */
export interface QueueSharing {
  readonly queue: string;
  /** Every job with a run that meets another run on this queue, by name. */
  readonly jobs: readonly ScheduledJob[];
  /** How many pairs of jobs meet on the queue. */
  readonly jobPairs: number;
  /** The most CPU and the most memory the queue's runs request at one minute; `at` is the first minute of the CPU peak. */
  readonly peak: Resources & { readonly at: number };
  /** The queue's max resources, when it is a tenant queue with a synthesized max. */
  readonly max?: Resources;
  /** The peak exceeds the max: runs wait for each other, which is a conflict. */
  readonly overMax: boolean;
}

export interface Conflicts {
  readonly tables: readonly TableConflict[];
  readonly queues: readonly QueueSharing[];
  /** Ids of the runs in a table conflict or on a queue over its max: what the timelines paint as conflicting. */
  readonly runIds: ReadonlySet<number>;
}

export function conflicts(
  runs: readonly Run[],
  overlaps: readonly Overlap[],
  tenants: readonly TenantCommitment[],
): Conflicts {
  const tables = new Map<
    string,
    { first: ScheduledJob; second: ScheduledJob; tables: string[]; pairs: (readonly [Run, Run])[] }
  >();
  const queueOverlaps = new Map<string, Overlap[]>();
  for (const o of overlaps) {
    if (o.reason === 'queue') {
      queueOverlaps.set(o.on, [...(queueOverlaps.get(o.on) ?? []), o]);
      continue;
    }
    // The same two jobs on several tables (one offload run writing six tables) are one conflict.
    const key = `${o.first.namespace}/${o.first.name}\0${o.second.namespace}/${o.second.name}`;
    const entry = tables.get(key) ?? { first: o.first, second: o.second, tables: [] as string[], pairs: [...o.pairs] };
    entry.tables.push(o.on);
    tables.set(key, entry);
  }
  const maxOf = new Map(tenants.map((t) => [tenantQueue(t.tenant), t.max]));
  const queues = [...queueOverlaps].map(([queue, found]): QueueSharing => {
    const peak = peakDemand(runs.filter((r) => r.job.queue === queue));
    const max = maxOf.get(queue);
    const jobs = [...new Set(found.flatMap((o) => [o.first, o.second]))].sort((a, b) => a.name.localeCompare(b.name));
    return {
      queue,
      jobs,
      jobPairs: found.length,
      peak,
      ...(max ? { max } : {}),
      overMax: max !== undefined && (peak.cpu > max.cpu || peak.memory > max.memory),
    };
  });
  const tableConflicts = [...tables.values()].map((t) => ({
    ...t,
    tables: t.tables.sort(),
    pairs: t.pairs.sort((a, b) => a[0].start - b[0].start || a[1].start - b[1].start),
  }));
  const runIds = new Set<number>([
    ...tableConflicts.flatMap((t) => t.pairs.flatMap(([a, b]) => [a.id, b.id])),
    ...queues
      .filter((q) => q.overMax)
      .flatMap((q) => queueOverlaps.get(q.queue)!.flatMap((o) => o.pairs.flatMap(([a, b]) => [a.id, b.id]))),
  ]);
  return { tables: tableConflicts, queues, runIds };
}

/** How many conflicts there are: table conflicts and queues over their max. */
export function conflictCount(c: Conflicts): number {
  return c.tables.length + c.queues.filter((q) => q.overMax).length;
}

/** The most CPU and memory `runs` request at one minute of the week (a run past Sunday wraps to Monday). */
function peakDemand(runs: readonly Run[]): Resources & { at: number } {
  const cpuAt = new Float64Array(MINUTES_PER_WEEK);
  const memoryAt = new Float64Array(MINUTES_PER_WEEK);
  for (const run of runs) {
    for (let m = run.start; m < run.end; m++) {
      cpuAt[m % MINUTES_PER_WEEK] += run.job.cpu;
      memoryAt[m % MINUTES_PER_WEEK] += run.job.memory;
    }
  }
  let at = 0;
  for (let m = 1; m < MINUTES_PER_WEEK; m++) if (cpuAt[m] > cpuAt[at]) at = m;
  return { cpu: cpuAt[at], memory: Math.max(...memoryAt), at };
}

/** `table t: a and b, 7x/week, first Mon 02:05` (`tables t1, t2: ...` for several). */
export function tableConflictLine(c: TableConflict): string {
  const [a, b] = c.pairs[0];
  const jobs =
    c.first === c.second ? `${c.first.name} overlaps its own next run` : `${c.first.name} and ${c.second.name}`;
  const what = c.tables.length === 1 ? `table ${c.tables[0]}` : `${c.tables.length} tables ${c.tables.join(', ')}`;
  return `${what}: ${jobs}, ${c.pairs.length}x/week, first ${formatWeekMinute(Math.max(a.start, b.start))}`;
}

/** One line for a shared queue: over its max (a conflict) or within it (by design). */
export function queueSharingLine(q: QueueSharing): string {
  const res = (r: Resources) => `${cores(r.cpu)} / ${gib(r.memory)}`;
  const limit = q.max ? `${q.overMax ? 'above' : 'within'} its max ${res(q.max)}` : 'no max known for this queue';
  return (
    `queue ${q.queue}: ${q.jobs.length} jobs (${q.jobPairs} pairs) run together, peak ${res(q.peak)} ` +
    `first at ${formatWeekMinute(q.peak.at)}, ${limit}`
  );
}
