import { Construct } from 'constructs';
import {
  ConfigProblem,
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
import { BATCH_TIER_LABEL } from '../conventions';
import type { OffloadTarget } from '../offload';
import { ScheduledSparkJob } from './scheduled-spark-job';
import { SparkJobCatalog, SparkJobClickHouse } from './spark-job';

/** The hourly offload of one of the group's tables: an offload's target, in the group's namespace. */
export type OffloadedTable = Omit<OffloadTarget, 'namespace'>;

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
 * The maintenance schedule of one table group, in UTC: compaction, snapshot expiry, orphan-file cleanup, manifest
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
    const offloaded = offloadedTablesOf(props);
    const problems = new Problems(this.node.path);
    problems.addAll(maintenanceProblems(props), props);
    problems.throwIfAny();
    const m = dataset.maintenance;
    const compactionSkip = compactionSkipOf(dataset, offloaded);

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
          final: t.dedup === 'final',
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
        labels: { ...template.labels, 'dataplane.io/table-group': dataset.name, [BATCH_TIER_LABEL]: '2' },
      });
    }
    this.jobs = jobs;
  }
}

/** The group's tables the offload writes. */
function offloadedTablesOf(props: TableGroupMaintenanceProps): readonly OffloadedTable[] {
  return (props.offload?.tables ?? []).filter((t) => props.dataset.tables.includes(t.table));
}

/** Compaction (one `where` for the group) stays out of the hours an offload may rewrite. */
function compactionSkipOf(dataset: DatasetConfig, offloaded: readonly OffloadedTable[]): number {
  return Math.max(dataset.maintenance.compaction.skipRecentHours, ...offloaded.map(rewrittenHours));
}

/**
 * Everything wrong with a table group's props, as key paths below them (`dataset.maintenance.audit.schedule`): the
 * data set's own rules, an offload cutting hours on another column, and maintenance runs that collide with the
 * offload on the hours it rewrites. The construct throws them; `addWorkloads` reports them against the environment
 * file before building anything.
 */
export function maintenanceProblems(props: TableGroupMaintenanceProps): ConfigProblem[] {
  const { dataset } = props;
  const valid = validate(DatasetSchema, dataset);
  const problems: ConfigProblem[] = valid.problems.map((p) => ({ ...p, path: ['dataset', ...p.path] }));
  const offloaded = offloadedTablesOf(props);
  for (const t of offloaded.filter((o) => o.eventTimeColumn !== dataset.eventTimeColumn)) {
    problems.push({
      path: ['dataset', 'eventTimeColumn'],
      value: dataset.eventTimeColumn,
      expected: `the event-time column ${JSON.stringify(t.eventTimeColumn)} the offload of ${t.table} (${t.source}) cuts hours on: the audit and compaction cut hours on it too`,
    });
  }
  // The conflict check computes with the schedules and durations: only when they are well formed (a safety rule they
  // break, such as a too young orphan age, is reported above and does not hide a collision).
  const m = dataset.maintenance;
  const wellFormed =
    Object.values(m).every((job) => isDuration(job.expectedDuration) && !weeklyCronProblem(job.schedule)) &&
    [m.snapshotExpiry.retention, m.orphanCleanup.olderThan, m.audit.lookback].every(isDuration);
  if (wellFormed) problems.push(...conflicts(dataset, offloaded, compactionSkipOf(dataset, offloaded)));
  return problems;
}

/** The newest hours an offload run may rewrite, counted back from the hour it starts in. */
function rewrittenHours(t: OffloadedTable): number {
  return t.lagHours + t.allowedLatenessHours;
}

/** The hourly offload of one table as the schedule-conflict check sees it: it rewrites its newest hours. */
export function offloadOperation(namespace: string, t: OffloadedTable): ScheduledOperation {
  return {
    table: `${namespace}.${t.table}`,
    kind: 'offload',
    cron: t.schedule,
    expectedMinutes: t.expectedRuntimeMinutes,
    partitions: { fromHoursAgo: rewrittenHours(t), toHoursAgo: t.lagHours },
    source: t.source,
  };
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
    ...offloaded.map((t) => offloadOperation(dataset.namespace, t)),
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

/** One problem per maintenance job whose runs collide with another operation on the same table, naming the first collision. */
function conflicts(
  dataset: DatasetConfig,
  offloaded: readonly OffloadedTable[],
  compactionSkip: number,
): ConfigProblem[] {
  const byJob = new Map<string, { problem: ConfigProblem; count: number }>();
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
      problem: {
        // Maintenance operations are named `dataset.maintenance.<job>`.
        path: [...op.source.split('.'), 'schedule'],
        value: op.cron,
        expected:
          `runs clear of ${other.kind} of ${other.table} (${other.source}, ${formatWeekMinute(otherStart)} UTC for ` +
          `${other.expectedMinutes} min): its run at ${formatWeekMinute(start)} UTC is expected to take ${op.expectedMinutes} min`,
      },
    });
  }
  return [...byJob.values()].map(({ problem, count }) =>
    count === 1 ? problem : { ...problem, expected: `${problem.expected} (${count} overlapping runs in all)` },
  );
}
