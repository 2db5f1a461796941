import { Problems } from '../../config';

/** CPU and memory of one Spark pod role (the driver, or each executor). */
export interface SparkPodResources {
  /** Whole CPU cores: the pod's CPU request and, since tenant quotas cap CPU, also its `coreLimit`. */
  readonly cores: number;
  /** JVM heap in Spark's notation (`4g`, `512m`). */
  readonly memory: string;
  /**
   * Memory outside the heap (Python workers, native and network buffers), in Spark's notation. Set explicitly so the
   * pod size does not depend on Spark's 10 %/40 % overhead factors; the pod requests `memory + memoryOverhead`.
   */
  readonly memoryOverhead: string;
}

/** A fixed number of executors. */
export interface FixedExecutors {
  readonly instances: number;
}

/** Dynamic allocation between `min` and `max` executors (shuffle tracking on; there is no external shuffle service). */
export interface DynamicExecutors {
  readonly min: number;
  readonly initial: number;
  readonly max: number;
}

/** Everything a Spark job requests. */
export interface SparkResources {
  readonly driver: SparkPodResources;
  readonly executor: SparkPodResources;
  readonly executors: FixedExecutors | DynamicExecutors;
}

/** Which PriorityClass a job's pods get: interactive work pre-empts batch work. */
export type JobPriority = 'interactive' | 'batch';

/**
 * YuniKorn gang scheduling of a job (the operator's `yunikorn` batch scheduler writes the driver and initial-executor
 * task groups): placeholders reserve the gang before the real pods run; `Hard` fails the application when they time
 * out, `Soft` falls back to scheduling pod by pod. Disabled, the job is not handed to the operator's batch scheduler
 * and YuniKorn (which the admission controller still routes its pods to) schedules pod by pod.
 */
export type GangScheduling =
  | { readonly enabled: true; readonly style: 'Soft' | 'Hard'; readonly placeholderTimeoutSeconds: number }
  | { readonly enabled: false };

/** A named set of resources with the priority its jobs run at and how they are gang-scheduled. */
export interface ResourceProfile extends SparkResources {
  readonly priority: JobPriority;
  readonly gang: GangScheduling;
}

export type ResourceProfileName = 'interactive' | 'batch-etl' | 'large-scale' | 'profiling' | 'maintenance';

/**
 * The resource profiles. Peak footprints (driver + all executors, `memory + memoryOverhead` per pod):
 * - `interactive`: 9 cores, 23 GiB, 5 pods. Starts with no executors and scales 0-4, so notebooks and ad-hoc
 *   queries hold nothing while idle.
 * - `batch-etl`: 9 cores, 36 GiB, 5 pods. Scheduled ETL and Iceberg maintenance; 1-4 executors. It fits the
 *   smallest shipped tenant budget that runs jobs (dev `trading`: 16 cores, 64 GiB).
 * - `large-scale`: 50 cores, 250 GiB, 13 pods. Backfills and rewrites of whole tables; 2-12 executors. Only
 *   production-sized budgets hold it, which the synth-time budget check enforces.
 * - `profiling`: 5 cores, 25 GiB, 3 pods. A fixed 2 executors, so run times and samples compare run to run.
 * - `maintenance`: 2 cores, 4 GiB, 2 pods (3 cores, 6.5 GiB while its gang placeholder holds the executor slot). ADR-006 tier 2 (compaction, snapshot expiry, orphan cleanup, manifest
 *   rewrite, the audit) in the ADR's 2 CPU / 4 GB: one driver core and one executor core, the operator's equivalent of
 *   `local[2]` (the operator owns `spark.master`). Enough for the trading data set's hourly partitions; a larger data
 *   set picks `batch-etl` per job.
 */
export const RESOURCE_PROFILES: Readonly<Record<ResourceProfileName, ResourceProfile>> = {
  interactive: {
    priority: 'interactive',
    // No executors at start, so no gang; placeholders would only delay the driver.
    gang: { enabled: false },
    driver: { cores: 1, memory: '2g', memoryOverhead: '1g' },
    executor: { cores: 2, memory: '4g', memoryOverhead: '1g' },
    executors: { min: 0, initial: 0, max: 4 },
  },
  'batch-etl': {
    priority: 'batch',
    gang: { enabled: true, style: 'Soft', placeholderTimeoutSeconds: 300 },
    driver: { cores: 1, memory: '3g', memoryOverhead: '1g' },
    executor: { cores: 2, memory: '6g', memoryOverhead: '2g' },
    executors: { min: 1, initial: 1, max: 4 },
  },
  'large-scale': {
    priority: 'batch',
    // A backfill started without its gang holds capacity for hours at a crawl; better to fail and be retried.
    gang: { enabled: true, style: 'Hard', placeholderTimeoutSeconds: 900 },
    driver: { cores: 2, memory: '8g', memoryOverhead: '2g' },
    executor: { cores: 4, memory: '16g', memoryOverhead: '4g' },
    executors: { min: 2, initial: 2, max: 12 },
  },
  maintenance: {
    priority: 'batch',
    // The driver starts only once its one executor has room, so it never idles on a full queue.
    gang: { enabled: true, style: 'Soft', placeholderTimeoutSeconds: 300 },
    driver: { cores: 1, memory: '1g', memoryOverhead: '512m' },
    executor: { cores: 1, memory: '2g', memoryOverhead: '512m' },
    executors: { instances: 1 },
  },
  profiling: {
    priority: 'batch',
    // Runs compare only when all executors start together.
    gang: { enabled: true, style: 'Hard', placeholderTimeoutSeconds: 600 },
    driver: { cores: 1, memory: '4g', memoryOverhead: '1g' },
    executor: { cores: 2, memory: '8g', memoryOverhead: '2g' },
    executors: { instances: 2 },
  },
};

/** True when executors scale dynamically. */
export function isDynamic(executors: SparkResources['executors']): executors is DynamicExecutors {
  return 'max' in executors;
}

/** Spark's byte-size notation as this package accepts it: a whole number of KiB, MiB, GiB or TiB. */
export const SPARK_MEMORY = /^[1-9][0-9]*[kmgt]$/;

const SPARK_MEMORY_UNITS: Record<string, number> = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/** Bytes in a Spark memory size such as `4g`. */
export function sparkMemoryBytes(value: string): number {
  return Number(value.slice(0, -1)) * SPARK_MEMORY_UNITS[value.slice(-1)];
}

/** What a job holds at its peak: the driver plus the most executors it may run. */
export interface SparkDemand {
  readonly cpu: number;
  readonly memoryBytes: number;
  readonly pods: number;
}

/**
 * The peak demand of a job with these resources, as the namespace quota counts it. With gang scheduling, YuniKorn's
 * placeholders (one per task-group member, requests and limits equal to the member's: k8shim 1.8.0 `newPlaceholder`)
 * sit in the namespace beside the real pods: first the pending driver beside the driver placeholder and the
 * initial-executor placeholders, then each real executor beside the placeholder it replaces. The peak is the largest of
 * those phases and of the job at its most executors.
 */
export function peakDemand(resources: SparkResources, gang: GangScheduling = { enabled: false }): SparkDemand {
  const e = resources.executors;
  const most = isDynamic(e) ? e.max : e.instances;
  // The operator's task group has the initial executors (`util.GetInitialExecutorNumber`: max(initial, min)).
  const initial = isDynamic(e) ? Math.max(e.initial, e.min) : e.instances;
  const pod = (r: SparkPodResources) => sparkMemoryBytes(r.memory) + sparkMemoryBytes(r.memoryOverhead);
  const phase = (drivers: number, executors: number): SparkDemand => ({
    cpu: drivers * resources.driver.cores + executors * resources.executor.cores,
    memoryBytes: drivers * pod(resources.driver) + executors * pod(resources.executor),
    pods: drivers + executors,
  });
  const phases = [phase(1, most), ...(gang.enabled ? [phase(2, initial), phase(1, 2 * initial)] : [])];
  return {
    cpu: Math.max(...phases.map((p) => p.cpu)),
    memoryBytes: Math.max(...phases.map((p) => p.memoryBytes)),
    pods: Math.max(...phases.map((p) => p.pods)),
  };
}

/** Records every problem with explicit resources under `key` (the same rules the operator's webhook applies). */
export function checkSparkResources(problems: Problems, key: string, resources: SparkResources): void {
  for (const role of ['driver', 'executor'] as const) {
    const r = resources[role];
    problems.check(
      Number.isInteger(r.cores) && r.cores >= 1,
      `${key}.${role}.cores`,
      r.cores,
      'a whole number of cores >= 1',
    );
    problems.check(
      SPARK_MEMORY.test(r.memory),
      `${key}.${role}.memory`,
      r.memory,
      'a Spark memory size such as 512m or 4g',
    );
    problems.check(
      SPARK_MEMORY.test(r.memoryOverhead),
      `${key}.${role}.memoryOverhead`,
      r.memoryOverhead,
      'a Spark memory size such as 512m or 4g',
    );
  }
  const e = resources.executors;
  const whole = (n: number, min: number) => Number.isInteger(n) && n >= min;
  if (isDynamic(e)) {
    problems.check(whole(e.min, 0), `${key}.executors.min`, e.min, 'a whole number >= 0');
    problems.check(whole(e.max, 1), `${key}.executors.max`, e.max, 'a whole number >= 1');
    problems.check(
      e.min <= e.initial && e.initial <= e.max,
      `${key}.executors.initial`,
      e.initial,
      `between min (${e.min}) and max (${e.max})`,
    );
  } else {
    problems.check(whole(e.instances, 1), `${key}.executors.instances`, e.instances, 'a whole number >= 1');
  }
}
