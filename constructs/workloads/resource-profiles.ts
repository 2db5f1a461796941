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

/** A named set of resources with the priority its jobs run at. */
export interface ResourceProfile extends SparkResources {
  readonly priority: JobPriority;
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
 * - `maintenance`: 2 cores, 4 GiB, 2 pods. ADR-006 tier 2 (compaction, snapshot expiry, orphan cleanup, manifest
 *   rewrite, the audit) in the ADR's 2 CPU / 4 GB: one driver core and one executor core, the operator's equivalent of
 *   `local[2]` (the operator owns `spark.master`). Enough for the trading data set's hourly partitions; a larger data
 *   set picks `batch-etl` per job.
 */
export const RESOURCE_PROFILES: Readonly<Record<ResourceProfileName, ResourceProfile>> = {
  interactive: {
    priority: 'interactive',
    driver: { cores: 1, memory: '2g', memoryOverhead: '1g' },
    executor: { cores: 2, memory: '4g', memoryOverhead: '1g' },
    executors: { min: 0, initial: 0, max: 4 },
  },
  'batch-etl': {
    priority: 'batch',
    driver: { cores: 1, memory: '3g', memoryOverhead: '1g' },
    executor: { cores: 2, memory: '6g', memoryOverhead: '2g' },
    executors: { min: 1, initial: 1, max: 4 },
  },
  'large-scale': {
    priority: 'batch',
    driver: { cores: 2, memory: '8g', memoryOverhead: '2g' },
    executor: { cores: 4, memory: '16g', memoryOverhead: '4g' },
    executors: { min: 2, initial: 2, max: 12 },
  },
  maintenance: {
    priority: 'batch',
    driver: { cores: 1, memory: '1g', memoryOverhead: '512m' },
    executor: { cores: 1, memory: '2g', memoryOverhead: '512m' },
    executors: { instances: 1 },
  },
  profiling: {
    priority: 'batch',
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

/** The peak demand of a job with these resources. */
export function peakDemand(resources: SparkResources): SparkDemand {
  const executors = isDynamic(resources.executors) ? resources.executors.max : resources.executors.instances;
  const pod = (r: SparkPodResources) => sparkMemoryBytes(r.memory) + sparkMemoryBytes(r.memoryOverhead);
  return {
    cpu: resources.driver.cores + executors * resources.executor.cores,
    memoryBytes: pod(resources.driver) + executors * pod(resources.executor),
    pods: 1 + executors,
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
