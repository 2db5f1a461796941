import { z } from 'zod';
import { durationMinutes, isDuration } from '../duration';
import { parseQuantity } from '../quantity';
import { VERSIONS } from '../versions';
import { weeklyCronProblem } from '../schedule';
import { count, DNS_LABEL, dnsLabel, quantity } from './common';
import { crossFieldRule, valueRule } from './rules';
import { DEFAULT_RUN_TIMESTAMP_PRECISION, RUN_TIMESTAMP_DIGITS, RunTimestampPrecision } from './services';

/** Iceberg refuses `remove_orphan_files` with `older_than` under 24 hours: in-flight files would look orphaned. */
export const MIN_ORPHAN_FILE_AGE_MINUTES = 24 * 60;

/**
 * Fewest snapshots snapshot expiry keeps: a day of hourly offload commits, so the newest offload watermark snapshot
 * survives the daily compaction and manifest-rewrite commits even after an outage longer than the retention.
 */
export const MIN_RETAIN_LAST = 24;

/** Smallest compaction target file size Iceberg's rewrite can meaningfully bin-pack to. */
export const MIN_TARGET_FILE_SIZE_BYTES = 1024 * 1024;

/**
 * Every default of a data set's maintenance, in one place: the schema below and the job templates read them (the ADR
 * values).
 */
export const MAINTENANCE_DEFAULTS = {
  eventTimeColumn: 'event_ts',
  timeTravel: '7d',
  targetFileSize: '512Mi',
  skipRecentHours: 3,
  retention: '7d',
  retainLast: MIN_RETAIN_LAST,
  olderThan: '3d',
  lookback: '7d',
  auditTable: 'offload_audit',
} as const;

/** Why `olderThan` is too young for orphan-file cleanup (a valid duration), or undefined. */
export function orphanAgeProblem(olderThan: string): string | undefined {
  return durationMinutes(olderThan) < MIN_ORPHAN_FILE_AGE_MINUTES
    ? 'at least 24h: younger files may belong to a write still in progress, and Iceberg refuses less'
    : undefined;
}

/** Why a snapshot retention does not cover the time-travel window (both valid durations), or undefined. */
export function retentionProblem(retention: string, timeTravel: string): string | undefined {
  return durationMinutes(retention) < durationMinutes(timeTravel)
    ? `at least the time-travel window the data set promises (timeTravel ${timeTravel}): older snapshots are promised to readers`
    : undefined;
}

/** Why a compaction target file size is too small (a valid quantity), or undefined. */
export function targetFileSizeProblem(size: string): string | undefined {
  return parseQuantity(size) < MIN_TARGET_FILE_SIZE_BYTES ? 'a size of at least 1Mi, such as 512Mi' : undefined;
}

/** The expected form of `retainLast`. */
export const RETAIN_LAST_EXPECTED = `at least ${MIN_RETAIN_LAST} (a day of hourly offload snapshots, so the offload watermark survives)`;

/**
 * Longest data-set name: its jobs are named `<data set>-manifest-rewrite`, and the Spark Operator names each run
 * `<job>-<timestamp>` within 63 characters, the timestamp's digits set by `services.sparkOperator.runTimestampPrecision`.
 */
export function maxDatasetName(precision: RunTimestampPrecision = DEFAULT_RUN_TIMESTAMP_PRECISION): number {
  return 63 - 1 - RUN_TIMESTAMP_DIGITS[precision] - '-manifest-rewrite'.length;
}

/** The bound of the default precision (nanoseconds): 26 characters. */
export const MAX_DATASET_NAME = maxDatasetName();

/** A duration such as `30m`, `24h` or `7d`. */
export const duration = (what: string) =>
  z.string().refine(isDuration, `a duration for ${what} such as 30m, 24h or 7d`);

/** A cron schedule that repeats every week, so it can be checked against the others. */
const weeklyCron = z.string().superRefine((value, ctx) => {
  const problem = weeklyCronProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** Lower-case Iceberg / ClickHouse identifiers, safe to splice into SQL unquoted. */
const identifier = (what: string) =>
  z.string().regex(/^[a-z_][a-z0-9_]*$/, `${what}: lower-case letters, digits and "_"`);

const IMAGE_REFERENCE =
  /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$/;

/** Expected run time of a scheduled template job when none is given, for the report and the conflict checks. */
export const SCHEDULED_JOB_DEFAULT_RUNTIME_MINUTES = 30;

/**
 * A job from one of the templates (`npm run job -- list`), run on a schedule as one of the tenants. The template's
 * parameters are checked against the template when the job is built; the ClickHouse server comes from `offload`.
 */
export const ScheduledJobSchema = z.strictObject({
  /** Object name of the ScheduledSparkApplication; unique in the environment. */
  name: dnsLabel(),
  /** Template name (`npm run job -- list`). */
  template: z.string().min(1, 'a template name (npm run job -- list)'),
  /** Tenant the job runs as. */
  tenant: dnsLabel(),
  /** When it runs, in UTC: a five-field cron that repeats every week. */
  schedule: weeklyCron,
  /** How long one run is expected to take, in whole minutes (the report and the conflict checks read it). @default 30 */
  expectedRuntimeMinutes: count(1).default(SCHEDULED_JOB_DEFAULT_RUNTIME_MINUTES),
  /** The template's parameters, as `npm run job -- list` names them (nested objects and lists as YAML). @default {} */
  parameters: z.record(z.string(), z.unknown()).default({}),
});

export type ScheduledJobConfig = z.infer<typeof ScheduledJobSchema>;

/** The job runner's image, and the environment's own scheduled jobs. */
export const JobsSchema = z.strictObject({
  /**
   * The Spark runtime image every Spark job (backfills included) and the History Server run (built from `jobs/Dockerfile`): set it
   * to the environment's mirror of that image. A pinned tag or digest, never `latest`.
   * @default VERSIONS.platformImages.sparkRuntime
   */
  image: z
    .string()
    .regex(IMAGE_REFERENCE, 'an image reference with a pinned tag or digest, such as registry/name:1.2.3')
    .refine((v) => !v.endsWith(':latest'), 'a pinned tag rather than latest')
    .default(VERSIONS.platformImages.sparkRuntime),
  /** Jobs built from the templates, each on its own schedule. @default [] */
  scheduled: z.array(ScheduledJobSchema).default([]),
});

/** When a maintenance job runs and how long the conflict check reserves for it. */
const timing = (schedule: string, expected: string) => ({
  /** When it runs, in UTC. */
  schedule: weeklyCron.default(schedule),
  /** How long one run is expected to take; the schedule-conflict check reserves this much time. */
  expectedDuration: duration('the run').default(expected),
});

const d = MAINTENANCE_DEFAULTS;

/** The maintenance schedule of one table group; the defaults are the schedule of the shipped environments. */
export const MaintenanceSchema = z
  .strictObject({
    /** `rewrite_data_files` (binpack), daily 02:00, leaving the newest hours to the offload. */
    compaction: z
      .strictObject({
        ...timing('0 2 * * *', '20m'),
        /** Newest whole hours compaction leaves alone; raised to the hours an offload of the table may still rewrite. @default 3 */
        skipRecentHours: count(1).default(d.skipRecentHours),
        /** Target size of compacted data files. @default 512Mi */
        targetFileSize: quantity('the target file size')
          .check(valueRule(targetFileSizeProblem))
          .default(d.targetFileSize),
      })
      .prefault({}),
    /** `expire_snapshots`, daily 02:20, after compaction. */
    snapshotExpiry: z
      .strictObject({
        ...timing('20 2 * * *', '30m'),
        /** Snapshots younger than this are kept; at least the data set's time-travel window. @default 7d */
        retention: duration('the snapshot retention').default(d.retention),
        /** Snapshots kept whatever their age. @default 24 */
        retainLast: count(1).min(MIN_RETAIN_LAST, RETAIN_LAST_EXPECTED).default(d.retainLast),
      })
      .prefault({}),
    /** `remove_orphan_files`, weekly (Saturday 03:20). */
    orphanCleanup: z
      .strictObject({
        ...timing('20 3 * * 6', '40m'),
        /** Only files older than this are removed (Iceberg refuses under 24 hours). @default 3d */
        olderThan: duration('the orphan-file age').check(valueRule(orphanAgeProblem)).default(d.olderThan),
      })
      .prefault({}),
    /** `rewrite_manifests`, daily 04:30: it rewrites the whole table, so it must start after the :05-:09 offloads end. */
    manifestRewrite: z.strictObject({ ...timing('30 4 * * *', '20m') }).prefault({}),
    /** Weekly data-quality audit (Sunday 03:00): ClickHouse warm counts against Iceberg cold counts per layer and hour. */
    audit: z
      .strictObject({
        ...timing('0 3 * * 0', '45m'),
        /** How far back the audit compares hours. @default 7d */
        lookback: duration('the audit look-back').default(d.lookback),
        /** Newest whole hours the audit skips; raised to the hours an offload of a table may still rewrite. @default 3 */
        skipRecentHours: count(1).default(d.skipRecentHours),
        /** Iceberg table (in the data set's namespace) the audit appends its results to. @default offload_audit */
        table: identifier('an Iceberg table name').default(d.auditTable),
      })
      .check(
        crossFieldRule<{ lookback: string; skipRecentHours: number }>([['lookback'], ['skipRecentHours']], (audit) =>
          durationMinutes(audit.lookback) <= audit.skipRecentHours * 60
            ? [
                {
                  path: ['lookback'],
                  value: audit.lookback,
                  expected: `longer than audit.skipRecentHours (${audit.skipRecentHours} h)`,
                },
              ]
            : [],
        ),
      )
      .prefault({}),
  })
  .prefault({});

type DatasetShape = {
  tables: string[];
  timeTravel: string;
  maintenance: { snapshotExpiry: { retention: string } };
};

/**
 * A data set: a group of Iceberg tables in one namespace, owned by one tenant, partitioned by
 * `hours(<eventTimeColumn>)` and maintained together. Their hourly offload from ClickHouse is the `offload` section.
 */
export const DatasetSchema = z
  .strictObject({
    /** Name of the table group; it prefixes its job names. */
    // The bound of the coarsest precision here; the environment checks the one it installs the operator with.
    name: dnsLabel(maxDatasetName('minutes')),
    /** Tenant that owns the tables and runs their jobs. */
    tenant: dnsLabel(),
    /** Iceberg namespace in the Polaris catalog. */
    namespace: identifier('an Iceberg namespace'),
    /** Event-time column every table is partitioned by, with the `hours()` transform. @default event_ts */
    eventTimeColumn: identifier('a column name').default(d.eventTimeColumn),
    /** How far back readers may time-travel; snapshot retention must cover it. @default 7d */
    timeTravel: duration('the time-travel window').default(d.timeTravel),
    /** The tables (layers), in dependency order. */
    tables: z.array(identifier('an Iceberg table name')).min(1, 'at least one table'),
    maintenance: MaintenanceSchema,
  })
  .check(
    crossFieldRule<DatasetShape>([['tables']], (dataset) =>
      dataset.tables.flatMap((table, i) =>
        dataset.tables.indexOf(table) < i ? [{ path: ['tables', i], expected: 'a table name not already listed' }] : [],
      ),
    ),
    crossFieldRule<DatasetShape>([['timeTravel'], ['maintenance', 'snapshotExpiry', 'retention']], (dataset) => {
      const { retention } = dataset.maintenance.snapshotExpiry;
      const expected = retentionProblem(retention, dataset.timeTravel);
      return expected ? [{ path: ['maintenance', 'snapshotExpiry', 'retention'], value: retention, expected }] : [];
    }),
  );

/** The keys the workloads area adds to the environment. */
export const WORKLOADS_SHAPE = {
  jobs: JobsSchema.prefault({}),
  /** Table groups whose jobs the environment runs. @default [] */
  datasets: z.array(DatasetSchema).default([]),
};

export type MaintenanceConfig = z.infer<typeof MaintenanceSchema>;
export type DatasetConfig = z.infer<typeof DatasetSchema>;

/**
 * Cross-section rules: each data set's and scheduled job's tenant exists, no table belongs to two data sets (two
 * maintenance schedules would rewrite it), and no two scheduled jobs share a name. Schedule conflicts with the offload
 * are checked when the jobs are built, where the offload's expected run time is known.
 */
export function checkWorkloads(
  env: {
    tenants: readonly { name: string }[];
    datasets: readonly DatasetConfig[];
    jobs: { scheduled: readonly Pick<ScheduledJobConfig, 'name' | 'tenant'>[] };
  },
  ctx: z.RefinementCtx,
): void {
  const tenants = env.tenants.map((t) => t.name);
  // A tenant with an invalid name is reported on its own; the data sets would only repeat that problem.
  const tenantsValid = tenants.every((name) => DNS_LABEL.test(name));
  const owners = new Map<string, string>();
  env.datasets.forEach((dataset, i) => {
    if (tenantsValid && !tenants.includes(dataset.tenant)) {
      ctx.addIssue({
        code: 'custom',
        path: ['datasets', i, 'tenant'],
        message: `one of the tenants (${tenants.join(', ')})`,
      });
    }
    dataset.tables.forEach((table, j) => {
      const qualified = `${dataset.namespace}.${table}`;
      const owner = owners.get(qualified);
      if (owner)
        ctx.addIssue({
          code: 'custom',
          path: ['datasets', i, 'tables', j],
          message: `a table not already maintained by ${owner}`,
        });
      else owners.set(qualified, `datasets[${i}]`);
    });
  });
  const names = new Map<string, number>();
  env.jobs.scheduled.forEach((job, i) => {
    if (tenantsValid && !tenants.includes(job.tenant)) {
      ctx.addIssue({
        code: 'custom',
        path: ['jobs', 'scheduled', i, 'tenant'],
        message: `one of the tenants (${tenants.join(', ')})`,
      });
    }
    const first = names.get(job.name);
    if (first !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['jobs', 'scheduled', i, 'name'],
        message: `a job name not already used by jobs.scheduled[${first}]`,
      });
    else names.set(job.name, i);
  });
}
