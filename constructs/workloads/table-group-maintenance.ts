import { Construct } from 'constructs';
import {
  DatasetConfig,
  DatasetSchema,
  durationMinutes,
  findScheduleConflicts,
  formatWeekMinute,
  isDuration,
  MaintenanceConfig,
  Problems,
  RunTimestampPrecision,
  ScheduledOperation,
  validate,
  weeklyCronProblem,
} from '../../config';
import {
  icebergCompact,
  icebergOrphanCleanup,
  icebergRewriteManifests,
  icebergSnapshotExpire,
  JobTemplate,
  offloadAudit,
} from './job-templates';
import { ScheduledSparkJob } from './scheduled-spark-job';
import { SparkJobCatalog, SparkJobClickHouse } from './spark-job';

/** The hourly offload of one of the group's tables. */
export interface OffloadedTable {
  /** The table, in the group's namespace. */
  readonly table: string;
  /** The ClickHouse table holding its warm rows, `database.table`. */
  readonly warm: string;
  /** Its event-time column in ClickHouse; it must be the group's. */
  readonly eventTimeColumn: string;
  /** When the offload runs (five-field cron, UTC). */
  readonly schedule: string;
  /** How long an offload run is expected to take, in minutes. */
  readonly expectedRuntimeMinutes: number;
  /** Hours between the end of an hour and its first offload. */
  readonly lagHours: number;
  /** Hours before the lagged limit that every run replaces again (late rows). */
  readonly allowedLatenessHours: number;
  /** Hours ClickHouse keeps the warm rows (its TTL); the audit compares only hours still there. */
  readonly warmRetentionHours: number;
  /** Where the offload is declared (e.g. `offload.runs[0].tables[0]`), for messages. */
  readonly source: string;
}

/** The group's hourly offload: what maintenance must stay clear of and what the audit compares. */
export interface TableGroupOffload {
  /** The ClickHouse server the offload reads (its default database is that of the first table). */
  readonly clickhouse: Omit<SparkJobClickHouse, 'database'>;
  readonly tables: readonly OffloadedTable[];
}

/** Props of {@link TableGroupMaintenance}. */
export interface TableGroupMaintenanceProps {
  /** The table group: its tables and maintenance settings (an environment's data set). */
  readonly dataset: DatasetConfig;
  /** Job image with the runner. */
  readonly image: string;
  /** The Polaris catalog. */
  readonly catalog: SparkJobCatalog;
  /** Bucket receiving the Spark event logs. */
  readonly eventLogBucket: string;
  /**
   * The hourly offload of the group's tables.
   * @default - none: nothing to stay clear of, and no audit job (it compares offloaded tables only)
   */
  readonly offload?: TableGroupOffload;
  /**
   * The run-name timestamp precision the Spark Operator is installed with; it bounds the job names.
   * @default - the operator's default, 'nanos'
   */
  readonly runTimestampPrecision?: RunTimestampPrecision;
}

/** Job name suffix per maintenance kind. */
const JOB_SUFFIX: Readonly<Record<keyof MaintenanceConfig, string>> = {
  compaction: 'compaction',
  snapshotExpiry: 'snapshot-expiry',
  orphanCleanup: 'orphan-cleanup',
  manifestRewrite: 'manifest-rewrite',
  audit: 'audit',
};

/**
 * The ADR maintenance schedule of one table group, in UTC: compaction, snapshot expiry, orphan-file cleanup, manifest
 * rewrite and the weekly warm/cold audit, one ScheduledSparkApplication each, working through the group's tables in
 * order. It refuses unsafe settings (orphan cleanup under 24 hours, retention shorter than the promised time-travel
 * window, too few snapshots kept) and any run that would overlap the hourly offload of the same table on the hours
 * the offload rewrites. Compaction and the audit always skip at least the hours an offload may still rewrite.
 */
export class TableGroupMaintenance extends Construct {
  /** The scheduled jobs, keyed by maintenance kind (no `audit` without an offload to compare with). */
  public readonly jobs: Readonly<Partial<Record<keyof MaintenanceConfig, ScheduledSparkJob>>>;

  constructor(scope: Construct, id: string, props: TableGroupMaintenanceProps) {
    super(scope, id);
    const { dataset } = props;
    const offloaded = (props.offload?.tables ?? []).filter((t) => dataset.tables.includes(t.table));
    const problems = new Problems(this.node.path);
    problems.addAll(validate(DatasetSchema, dataset).problems, dataset, ['dataset']);
    for (const t of offloaded) {
      problems.check(
        t.eventTimeColumn === dataset.eventTimeColumn,
        `offload.tables(${t.table}).eventTimeColumn`,
        t.eventTimeColumn,
        `the group's event-time column ${JSON.stringify(dataset.eventTimeColumn)}: the audit and compaction cut hours on it`,
      );
    }
    // Compaction (one `where` for the group) and the audit (per layer) stay out of the hours an offload may rewrite.
    const m = dataset.maintenance;
    const compactionSkip = Math.max(m.compaction.skipRecentHours, ...offloaded.map(rewrittenHours));
    // The conflict check computes with the schedules and durations; a malformed one is reported above.
    const wellFormed =
      Object.values(m).every((job) => isDuration(job.expectedDuration) && !weeklyCronProblem(job.schedule)) &&
      [m.snapshotExpiry.retention, m.orphanCleanup.olderThan, m.audit.lookback].every(isDuration);
    if (wellFormed) for (const line of conflicts(dataset, offloaded, compactionSkip)) problems.note(line);
    problems.throwIfAny();

    const tables = dataset.tables.map((t) => `${dataset.namespace}.${t}`);
    const templates: Partial<Record<keyof MaintenanceConfig, JobTemplate>> = {
      compaction: icebergCompact({
        tables,
        targetFileSize: m.compaction.targetFileSize,
        skipRecentHours: compactionSkip,
        eventTimeColumn: dataset.eventTimeColumn,
      }),
      snapshotExpiry: icebergSnapshotExpire({
        tables,
        retention: m.snapshotExpiry.retention,
        timeTravel: dataset.timeTravel,
        retainLast: m.snapshotExpiry.retainLast,
      }),
      orphanCleanup: icebergOrphanCleanup({ tables, olderThan: m.orphanCleanup.olderThan }),
      manifestRewrite: icebergRewriteManifests({ tables }),
    };
    if (props.offload && offloaded.length > 0) {
      templates.audit = offloadAudit({
        layers: offloaded.map((t) => ({
          layer: t.table,
          clickhouseTable: t.warm,
          icebergTable: `${dataset.namespace}.${t.table}`,
          skipRecentHours: rewrittenHours(t),
          warmRetentionHours: t.warmRetentionHours,
        })),
        clickhouse: { ...props.offload.clickhouse, database: offloaded[0].warm.split('.')[0] },
        resultTable: `${dataset.namespace}.${m.audit.table}`,
        lookback: m.audit.lookback,
        skipRecentHours: m.audit.skipRecentHours,
        eventTimeColumn: dataset.eventTimeColumn,
      });
    }
    const jobs: Partial<Record<keyof MaintenanceConfig, ScheduledSparkJob>> = {};
    for (const [key, template] of Object.entries(templates) as [keyof MaintenanceConfig, JobTemplate][]) {
      jobs[key] = new ScheduledSparkJob(this, key, {
        ...template,
        name: `${dataset.name}-${JOB_SUFFIX[key]}`,
        tenant: dataset.tenant,
        image: props.image,
        catalog: props.catalog,
        eventLogBucket: props.eventLogBucket,
        schedule: m[key].schedule,
        timeZone: 'UTC',
        concurrencyPolicy: 'Forbid',
        expectedRuntimeMinutes: durationMinutes(m[key].expectedDuration),
        runTimestampPrecision: props.runTimestampPrecision,
        labels: { ...template.labels, 'dataplane.io/table-group': dataset.name },
      });
    }
    this.jobs = jobs;
  }
}

/** The newest hours an offload run may rewrite, counted back from the hour it starts in. */
function rewrittenHours(t: OffloadedTable): number {
  return t.lagHours + t.allowedLatenessHours;
}

/**
 * Every recurring operation on the group's tables, for the schedule-conflict check: the hourly offload of each table
 * and each maintenance job. A maintenance job works through its tables one after another, so each table is reserved
 * for the whole run. Snapshot expiry and orphan cleanup only delete files older than their age limit, which no
 * offload writes; manifest rewrite replaces table-wide metadata.
 */
function operations(
  dataset: DatasetConfig,
  offloaded: readonly OffloadedTable[],
  compactionSkip: number,
): ScheduledOperation[] {
  const m = dataset.maintenance;
  const hours = (d: string) => Math.ceil(durationMinutes(d) / 60);
  const perTable = (key: keyof MaintenanceConfig, extra: Partial<ScheduledOperation>) =>
    dataset.tables.map((table): ScheduledOperation => ({
      table: `${dataset.namespace}.${table}`,
      kind: JOB_SUFFIX[key],
      cron: m[key].schedule,
      expectedMinutes: durationMinutes(m[key].expectedDuration),
      source: `dataset.maintenance.${key}`,
      ...extra,
    }));
  return [
    ...offloaded.map((t): ScheduledOperation => ({
      table: `${dataset.namespace}.${t.table}`,
      kind: 'offload',
      cron: t.schedule,
      expectedMinutes: t.expectedRuntimeMinutes,
      partitions: { fromHoursAgo: rewrittenHours(t), toHoursAgo: t.lagHours },
      source: t.source,
    })),
    ...perTable('compaction', { partitions: { toHoursAgo: compactionSkip } }),
    ...perTable('snapshotExpiry', { partitions: { toHoursAgo: hours(m.snapshotExpiry.retention) } }),
    ...perTable('orphanCleanup', { partitions: { toHoursAgo: hours(m.orphanCleanup.olderThan) } }),
    ...perTable('manifestRewrite', {}),
    ...offloaded.map((t): ScheduledOperation => ({
      table: `${dataset.namespace}.${t.table}`,
      kind: JOB_SUFFIX.audit,
      cron: m.audit.schedule,
      expectedMinutes: durationMinutes(m.audit.expectedDuration),
      readOnly: true,
      partitions: {
        fromHoursAgo: hours(m.audit.lookback),
        toHoursAgo: Math.max(m.audit.skipRecentHours, rewrittenHours(t)),
      },
      source: 'dataset.maintenance.audit',
    })),
  ];
}

/** One line per maintenance job whose runs collide with another operation on the same table, naming the first collision. */
function conflicts(dataset: DatasetConfig, offloaded: readonly OffloadedTable[], compactionSkip: number): string[] {
  const byJob = new Map<string, { line: string; count: number }>();
  for (const c of findScheduleConflicts(operations(dataset, offloaded, compactionSkip))) {
    const [op, start, other, otherStart] =
      c.second.kind === 'offload'
        ? [c.first, c.firstStart, c.second, c.secondStart]
        : [c.second, c.secondStart, c.first, c.firstStart];
    const seen = byJob.get(op.source);
    if (seen) {
      seen.count++;
      continue;
    }
    byJob.set(op.source, {
      count: 1,
      line:
        `'${op.source}.schedule' is ${JSON.stringify(op.cron)}; expected runs clear of ${other.kind} of ${other.table} ` +
        `(${other.source}, ${formatWeekMinute(otherStart)} UTC for ${other.expectedMinutes} min): its run at ${formatWeekMinute(start)} UTC ` +
        `is expected to take ${op.expectedMinutes} min`,
    });
  }
  return [...byJob.values()].map(({ line, count }) =>
    count === 1 ? line : `${line} (${count} overlapping runs in all)`,
  );
}
