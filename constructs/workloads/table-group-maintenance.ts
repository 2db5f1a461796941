import { Construct } from 'constructs';
import { DatasetConfig, datasetProblems, keyPathText, MaintenanceConfig, Problems, scheduleConflictProblems } from '../../config';
import { icebergCompact, icebergOrphanCleanup, icebergRewriteManifests, icebergSnapshotExpire, JobTemplate, offloadAudit } from './job-templates';
import { ScheduledSparkJob } from './scheduled-spark-job';
import { SparkJobCatalog } from './spark-job';

/** Props of {@link TableGroupMaintenance}. */
export interface TableGroupMaintenanceProps {
  /** The table group: its tables, their offload timing, and the maintenance settings (the environment's data set). */
  readonly dataset: DatasetConfig;
  /** Job image with the runner. */
  readonly image: string;
  /** The Polaris catalog. */
  readonly catalog: SparkJobCatalog;
  /** Bucket receiving the Spark event logs. */
  readonly eventLogBucket: string;
}

/**
 * The ADR maintenance schedule of one table group, in UTC: compaction, snapshot expiry, orphan-file cleanup, manifest
 * rewrite and the weekly warm/cold audit, one ScheduledSparkApplication each, working through the group's tables in
 * order. It refuses unsafe settings (orphan cleanup under 24 hours, retention shorter than the promised time-travel
 * window, too few snapshots kept) and any run that would overlap the hourly offload of the same table.
 */
export class TableGroupMaintenance extends Construct {
  /** The scheduled jobs, keyed by maintenance kind. */
  public readonly jobs: Readonly<Record<keyof MaintenanceConfig, ScheduledSparkJob>>;

  constructor(scope: Construct, id: string, props: TableGroupMaintenanceProps) {
    super(scope, id);
    const { dataset } = props;
    const problems = new Problems(this.node.path);
    const found = [...datasetProblems(dataset).map((p) => ({ ...p, path: ['dataset', ...p.path] })), ...scheduleConflictProblems([dataset], () => 'dataset.')];
    for (const p of found) problems.add(keyPathText(p.path), p.value, p.expected);
    problems.throwIfAny();

    const m = dataset.maintenance;
    const tables = dataset.tables.map((t) => `${dataset.namespace}.${t.name}`);
    const templates: Record<keyof MaintenanceConfig, JobTemplate> = {
      compaction: icebergCompact({
        tables,
        targetFileSize: m.compaction.targetFileSize,
        skipRecentHours: m.compaction.skipRecentHours,
        eventTimeColumn: dataset.eventTimeColumn,
      }),
      snapshotExpiry: icebergSnapshotExpire({ tables, retention: m.snapshotExpiry.retention, timeTravel: dataset.timeTravel, retainLast: m.snapshotExpiry.retainLast }),
      orphanCleanup: icebergOrphanCleanup({ tables, olderThan: m.orphanCleanup.olderThan }),
      manifestRewrite: icebergRewriteManifests({ tables }),
      audit: offloadAudit({
        layers: dataset.tables.map((t) => ({ layer: t.name, clickhouseTable: t.clickhouseTable ?? t.name, icebergTable: `${dataset.namespace}.${t.name}` })),
        clickhouse: dataset.clickhouse,
        resultTable: `${dataset.namespace}.${m.audit.table}`,
        lookback: m.audit.lookback,
        skipRecentHours: m.audit.skipRecentHours,
        eventTimeColumn: dataset.eventTimeColumn,
      }),
    };
    const job = (key: keyof MaintenanceConfig, suffix: string) =>
      new ScheduledSparkJob(this, key, {
        ...templates[key],
        name: `${dataset.name}-${suffix}`,
        tenant: dataset.tenant,
        image: props.image,
        catalog: props.catalog,
        eventLogBucket: props.eventLogBucket,
        schedule: m[key].schedule,
        timeZone: 'UTC',
        concurrencyPolicy: 'Forbid',
        labels: { ...templates[key].labels, 'dataplane.io/table-group': dataset.name },
      });
    this.jobs = {
      compaction: job('compaction', 'compaction'),
      snapshotExpiry: job('snapshotExpiry', 'snapshot-expiry'),
      orphanCleanup: job('orphanCleanup', 'orphan-cleanup'),
      manifestRewrite: job('manifestRewrite', 'manifest-rewrite'),
      audit: job('audit', 'audit'),
    };
  }
}
