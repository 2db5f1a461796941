import {
  durationMinutes,
  isDuration,
  isQuantity,
  MAINTENANCE_DEFAULTS,
  MIN_RETAIN_LAST,
  orphanAgeProblem,
  parseQuantity,
  Problems,
  RETAIN_LAST_EXPECTED,
  retentionProblem,
  targetFileSizeProblem,
} from '../../config';
import {
  AuditLayer,
  CLICKHOUSE_CATALOG,
  IDENTIFIER,
  PlanStep,
  PlanWindow,
  QUALIFIED_TABLE,
  SPARK_CATALOG,
} from '../../jobs/plan';
import { ResourceProfileName } from './resource-profiles';
import { SparkJobClickHouse } from './spark-job';

/**
 * What a job template produces: the steps and the settings that go with them. It spreads into the props of
 * {@link SparkJob} or {@link ScheduledSparkJob}: `new ScheduledSparkJob(chart, 'x', { ...common, ...icebergCompact({...}), schedule })`.
 */
export interface JobTemplate {
  readonly steps: readonly PlanStep[];
  readonly profile: ResourceProfileName;
  readonly labels: Readonly<Record<string, string>>;
  readonly clickhouse?: SparkJobClickHouse;
  readonly sparkConf?: Readonly<Record<string, string>>;
}

/** Label naming the template a job was built from. */
export const JOB_TEMPLATE_LABEL = 'dataplane.io/job-template';

/** Defaults of the templates: the maintenance ones are the environment schema's. */
export const JOB_TEMPLATE_DEFAULTS = {
  eventTimeColumn: MAINTENANCE_DEFAULTS.eventTimeColumn,
  targetFileSize: MAINTENANCE_DEFAULTS.targetFileSize,
  skipRecentHours: MAINTENANCE_DEFAULTS.skipRecentHours,
  retainLast: MAINTENANCE_DEFAULTS.retainLast,
  orphanAge: MAINTENANCE_DEFAULTS.olderThan,
  profileResultTable: 'table_profiles',
} as const;

/** A table in the Polaris catalog (`namespace.table`) or in a named catalog (`catalog.namespace.table`). */
function qualify(problems: Problems, key: string, name: string): string {
  const qualified = name.split('.').length === 2 ? `${SPARK_CATALOG}.${name}` : name;
  problems.check(
    QUALIFIED_TABLE.test(qualified),
    key,
    name,
    'a table as namespace.table or catalog.namespace.table (letters, digits, "_")',
  );
  return qualified;
}

function qualifyAll(problems: Problems, tables: readonly string[]): string[] {
  problems.check(tables.length > 0, 'tables', tables, 'at least one table');
  return tables.map((t, i) => qualify(problems, `tables[${i}]`, t));
}

function checkColumn(problems: Problems, key: string, column: string): void {
  problems.check(IDENTIFIER.test(column), key, column, 'a column name (letters, digits, "_")');
}

function hoursOf(problems: Problems, key: string, value: string): number {
  if (!isDuration(value)) {
    problems.add(key, value, 'a duration such as 24h or 7d');
    return 0;
  }
  return Math.ceil(durationMinutes(value) / 60);
}

function wholeAtLeast(problems: Problems, key: string, value: number, min: number): void {
  problems.check(Number.isInteger(value) && value >= min, key, value, `a whole number >= ${min}`);
}

function labelled(template: string): Record<string, string> {
  return { [JOB_TEMPLATE_LABEL]: template };
}

/** Options of {@link icebergEtl}. */
export interface IcebergEtlOptions {
  /** Table read (`namespace.table` in Polaris, or `catalog.namespace.table`). */
  readonly source: string;
  /** Table written. */
  readonly target: string;
  /** A query over the view `source` whose rows are written to the target. */
  readonly transform: string;
  /**
   * Only this window of the source is read, and exactly this window of the target is replaced in one commit.
   * @default - the whole source is read and the result appended
   */
  readonly window?: PlanWindow;
  /**
   * Fail before writing when the source (window) is empty, instead of clearing the target window.
   * @default false
   */
  readonly failOnEmptySource?: boolean;
  /** @default 'batch-etl' */
  readonly profile?: ResourceProfileName;
  /**
   * The ClickHouse server, when `source` is a `clickhouse.<database>.<table>`.
   * @default - none
   */
  readonly clickhouse?: SparkJobClickHouse;
}

/** iceberg-etl: source, transform SQL, target. */
export function icebergEtl(options: IcebergEtlOptions): JobTemplate {
  const problems = new Problems('iceberg-etl template');
  const source = qualify(problems, 'source', options.source);
  const target = qualify(problems, 'target', options.target);
  problems.check(source !== target, 'target', options.target, 'a table other than the source');
  problems.check(
    /\bsource\b/i.test(options.transform),
    'transform',
    options.transform,
    'a query that reads the view "source"',
  );
  problems.check(
    !source.startsWith(`${CLICKHOUSE_CATALOG}.`) || options.clickhouse !== undefined,
    'clickhouse',
    options.clickhouse,
    'the ClickHouse server the source lives on',
  );
  if (options.window) {
    checkColumn(problems, 'window.column', options.window.column);
    const from = Date.parse(options.window.from);
    const to = Date.parse(options.window.to);
    problems.check(from < to, 'window', options.window, 'from before to (ISO-8601 instants)');
    problems.check(
      from % 3_600_000 === 0 && to % 3_600_000 === 0,
      'window',
      options.window,
      'whole-hour bounds, so the replace matches whole hour partitions',
    );
  }
  problems.throwIfAny();
  return {
    steps: [
      {
        type: 'etl',
        source,
        target,
        transform: options.transform,
        ...(options.window ? { window: options.window } : {}),
        emptySource: options.failOnEmptySource ? 'fail' : 'allow',
      },
    ],
    profile: options.profile ?? 'batch-etl',
    labels: labelled('iceberg-etl'),
    ...(options.clickhouse ? { clickhouse: options.clickhouse } : {}),
  };
}

/** Options of {@link icebergCompact}. */
export interface IcebergCompactOptions {
  /** Tables compacted one after another. */
  readonly tables: readonly string[];
  /**
   * Target size of the rewritten data files (a Kubernetes quantity).
   * @default '512Mi'
   */
  readonly targetFileSize?: string;
  /**
   * Newest whole hours left alone because the offload may still rewrite them.
   * @default 3
   */
  readonly skipRecentHours?: number;
  /**
   * The column the tables are partitioned by with `hours()`.
   * @default 'event_ts'
   */
  readonly eventTimeColumn?: string;
}

/** iceberg-compact: `rewrite_data_files` (binpack) to the target file size, skipping the newest hours. */
export function icebergCompact(options: IcebergCompactOptions): JobTemplate {
  const problems = new Problems('iceberg-compact template');
  const d = JOB_TEMPLATE_DEFAULTS;
  const tables = qualifyAll(problems, options.tables);
  const size = options.targetFileSize ?? d.targetFileSize;
  const skip = options.skipRecentHours ?? d.skipRecentHours;
  const column = options.eventTimeColumn ?? d.eventTimeColumn;
  const sizeProblem = isQuantity(size) ? targetFileSizeProblem(String(size)) : 'a size such as 512Mi';
  if (sizeProblem) problems.add('targetFileSize', size, sizeProblem);
  wholeAtLeast(problems, 'skipRecentHours', skip, 1);
  checkColumn(problems, 'eventTimeColumn', column);
  problems.throwIfAny();
  return {
    steps: tables.map((table) => ({
      type: 'rewrite-data-files' as const,
      table,
      eventTimeColumn: column,
      skipRecentHours: skip,
      targetFileSizeBytes: Math.round(parseQuantity(size)),
    })),
    profile: 'batch-etl',
    labels: labelled('iceberg-compact'),
  };
}

/** Options of {@link icebergSnapshotExpire}. */
export interface IcebergSnapshotExpireOptions {
  readonly tables: readonly string[];
  /** Snapshots younger than this are kept (a duration such as `7d`). */
  readonly retention: string;
  /** The time-travel window promised to readers; `retention` may not be shorter. */
  readonly timeTravel: string;
  /**
   * Snapshots kept whatever their age (at least 24, a day of hourly offload commits).
   * @default 24
   */
  readonly retainLast?: number;
}

/** iceberg-snapshot-expire: `expire_snapshots` past the retention, never inside the promised time-travel window. */
export function icebergSnapshotExpire(options: IcebergSnapshotExpireOptions): JobTemplate {
  const problems = new Problems('iceberg-snapshot-expire template');
  const tables = qualifyAll(problems, options.tables);
  const retention = hoursOf(problems, 'retention', options.retention);
  hoursOf(problems, 'timeTravel', options.timeTravel);
  const retainLast = options.retainLast ?? JOB_TEMPLATE_DEFAULTS.retainLast;
  const short =
    isDuration(options.retention) && isDuration(options.timeTravel)
      ? retentionProblem(options.retention, options.timeTravel)
      : undefined;
  if (short) problems.add('retention', options.retention, short);
  problems.check(
    Number.isInteger(retainLast) && retainLast >= MIN_RETAIN_LAST,
    'retainLast',
    retainLast,
    RETAIN_LAST_EXPECTED,
  );
  problems.throwIfAny();
  return {
    steps: tables.map((table) => ({ type: 'expire-snapshots' as const, table, retentionHours: retention, retainLast })),
    profile: 'batch-etl',
    labels: labelled('iceberg-snapshot-expire'),
  };
}

/** Options of {@link icebergOrphanCleanup}. */
export interface IcebergOrphanCleanupOptions {
  readonly tables: readonly string[];
  /**
   * Only files older than this are removed; at least 24h (Iceberg refuses less: younger files may belong to a write
   * in progress).
   * @default '3d'
   */
  readonly olderThan?: string;
  /**
   * List what would be removed without removing it.
   * @default false
   */
  readonly dryRun?: boolean;
}

/** Orphan-file cleanup: `remove_orphan_files` with a safe age, listing through the table's FileIO. */
export function icebergOrphanCleanup(options: IcebergOrphanCleanupOptions): JobTemplate {
  const problems = new Problems('iceberg-orphan-cleanup template');
  const tables = qualifyAll(problems, options.tables);
  const olderThan = options.olderThan ?? JOB_TEMPLATE_DEFAULTS.orphanAge;
  const hours = hoursOf(problems, 'olderThan', olderThan);
  const young = isDuration(olderThan) ? orphanAgeProblem(olderThan) : undefined;
  if (young) problems.add('olderThan', olderThan, young);
  problems.throwIfAny();
  return {
    steps: tables.map((table) => ({
      type: 'remove-orphan-files' as const,
      table,
      olderThanHours: hours,
      dryRun: options.dryRun ?? false,
    })),
    profile: 'batch-etl',
    labels: labelled('iceberg-orphan-cleanup'),
  };
}

/** Options of {@link icebergRewriteManifests}. */
export interface IcebergRewriteManifestsOptions {
  readonly tables: readonly string[];
}

/** Manifest rewrite: `rewrite_manifests`, so planning reads few, well-clustered manifests. */
export function icebergRewriteManifests(options: IcebergRewriteManifestsOptions): JobTemplate {
  const problems = new Problems('iceberg-rewrite-manifests template');
  const tables = qualifyAll(problems, options.tables);
  problems.throwIfAny();
  return {
    steps: tables.map((table) => ({ type: 'rewrite-manifests' as const, table })),
    profile: 'batch-etl',
    labels: labelled('iceberg-rewrite-manifests'),
  };
}

/** Options of {@link dataProfiling}. */
export interface DataProfilingOptions {
  readonly table: string;
  /** About how many rows are sampled. */
  readonly sampleRows: number;
  /**
   * Table the statistics are appended to.
   * @default - `table_profiles` in the profiled table's namespace
   */
  readonly resultTable?: string;
}

/** data-profiling: per-column statistics over a random sample of a table. */
export function dataProfiling(options: DataProfilingOptions): JobTemplate {
  const problems = new Problems('data-profiling template');
  const table = qualify(problems, 'table', options.table);
  const namespace = table.split('.').slice(0, 2).join('.');
  const resultTable = qualify(
    problems,
    'resultTable',
    options.resultTable ?? `${namespace}.${JOB_TEMPLATE_DEFAULTS.profileResultTable}`,
  );
  wholeAtLeast(problems, 'sampleRows', options.sampleRows, 1);
  problems.check(resultTable !== table, 'resultTable', options.resultTable, 'a table other than the profiled one');
  problems.throwIfAny();
  return {
    steps: [{ type: 'profile-table', table, sampleRows: options.sampleRows, resultTable }],
    profile: 'profiling',
    labels: labelled('data-profiling'),
  };
}

/** A Spark catalog the migration reads from. */
export interface MigrationCatalog {
  /** Spark catalog name. */
  readonly name: string;
  /**
   * Its configuration without the `spark.sql.catalog.<name>` prefix (`''` for the implementation class). No
   * credentials: the job authenticates with its pod identity.
   */
  readonly conf: Readonly<Record<string, string>>;
}

/** Options of {@link schemaMigration}. */
export interface SchemaMigrationOptions {
  /** The catalog the tables come from. */
  readonly sourceCatalog: MigrationCatalog;
  /**
   * The catalog they are copied to.
   * @default 'polaris'
   */
  readonly targetCatalog?: string;
  /** Namespace in the source catalog. */
  readonly namespace: string;
  /**
   * Namespace in the target catalog.
   * @default - the same name
   */
  readonly targetNamespace?: string;
  /**
   * Tables to copy.
   * @default - every table of the namespace
   */
  readonly tables?: readonly string[];
}

/** schema-migration: copies a namespace's tables (schema, partitioning, rows) from one catalog to another. */
export function schemaMigration(options: SchemaMigrationOptions): JobTemplate {
  const problems = new Problems('schema-migration template');
  const source = options.sourceCatalog;
  const target = options.targetCatalog ?? SPARK_CATALOG;
  const targetNamespace = options.targetNamespace ?? options.namespace;
  problems.check(
    IDENTIFIER.test(source.name),
    'sourceCatalog.name',
    source.name,
    'a catalog name (letters, digits, "_")',
  );
  problems.check(
    source.name !== target && source.name !== CLICKHOUSE_CATALOG,
    'sourceCatalog.name',
    source.name,
    `a catalog other than ${target} and ${CLICKHOUSE_CATALOG}`,
  );
  problems.check(IDENTIFIER.test(target), 'targetCatalog', target, 'a catalog name (letters, digits, "_")');
  problems.check(
    IDENTIFIER.test(options.namespace),
    'namespace',
    options.namespace,
    'a namespace name (letters, digits, "_")',
  );
  problems.check(
    IDENTIFIER.test(targetNamespace),
    'targetNamespace',
    targetNamespace,
    'a namespace name (letters, digits, "_")',
  );
  problems.check('' in source.conf, 'sourceCatalog.conf', source.conf, "the catalog implementation under the key ''");
  for (const key of Object.keys(source.conf)) {
    problems.check(
      !/(credential|password|secret|token|access[._-]?key)/i.test(key),
      `sourceCatalog.conf.${key}`,
      source.conf[key],
      'no credentials (the job uses its pod identity)',
    );
  }
  (options.tables ?? []).forEach((t, i) =>
    problems.check(IDENTIFIER.test(t), `tables[${i}]`, t, 'a table name (letters, digits, "_")'),
  );
  problems.throwIfAny();
  const prefix = `spark.sql.catalog.${source.name}`;
  return {
    steps: [
      {
        type: 'migrate-namespace',
        source: `${source.name}.${options.namespace}`,
        target: `${target}.${targetNamespace}`,
        ...(options.tables ? { tables: options.tables } : {}),
      },
    ],
    profile: 'batch-etl',
    labels: labelled('schema-migration'),
    sparkConf: Object.fromEntries(
      Object.entries(source.conf).map(([key, value]) => [key ? `${prefix}.${key}` : prefix, value]),
    ),
  };
}

/** One layer of {@link offloadAudit}. */
export interface OffloadAuditLayer {
  /** Layer name in the results. */
  readonly layer: string;
  /** The warm table in ClickHouse, `database.table`. */
  readonly clickhouseTable: string;
  /** The cold table in Iceberg, `namespace.table`. */
  readonly icebergTable: string;
  /**
   * Newest whole hours skipped for this layer, on top of the audit's `skipRecentHours`.
   * @default - the audit's `skipRecentHours`
   */
  readonly skipRecentHours?: number;
  /**
   * Hours ClickHouse keeps the warm rows (its TTL); older hours are not compared, since their warm count would be 0.
   * @default - no TTL: the audit's `lookback`
   */
  readonly warmRetentionHours?: number;
}

/** Options of {@link offloadAudit}. */
export interface OffloadAuditOptions {
  /** The layers compared: ClickHouse (warm) table against Iceberg (cold) table. */
  readonly layers: readonly OffloadAuditLayer[];
  /** The ClickHouse server holding the warm tables. */
  readonly clickhouse: SparkJobClickHouse;
  /** Table the results are appended to (`namespace.table`). */
  readonly resultTable: string;
  /** How far back hours are compared (a duration such as `7d`). */
  readonly lookback: string;
  /** Newest whole hours skipped because the offload may still rewrite them. */
  readonly skipRecentHours: number;
  /**
   * The event-time column of every layer.
   * @default 'event_ts'
   */
  readonly eventTimeColumn?: string;
}

/**
 * Hours ClickHouse may already be expiring at the old end of its TTL while the audit runs: TTL deletes lazily and the
 * run takes time, so the oldest compared hour stays this far inside the TTL.
 */
export const WARM_RETENTION_MARGIN_HOURS = 2;

/** The data-quality audit: warm against cold row counts per layer and hour; the run fails on any mismatch. */
export function offloadAudit(options: OffloadAuditOptions): JobTemplate {
  const problems = new Problems('offload-audit template');
  const lookback = hoursOf(problems, 'lookback', options.lookback);
  const column = options.eventTimeColumn ?? JOB_TEMPLATE_DEFAULTS.eventTimeColumn;
  wholeAtLeast(problems, 'skipRecentHours', options.skipRecentHours, 0);
  problems.check(options.layers.length > 0, 'layers', options.layers, 'at least one layer');
  checkColumn(problems, 'eventTimeColumn', column);
  const layers: AuditLayer[] = options.layers.map((l, i) => {
    const warm = `${CLICKHOUSE_CATALOG}.${l.clickhouseTable}`;
    problems.check(
      QUALIFIED_TABLE.test(warm),
      `layers[${i}].clickhouseTable`,
      l.clickhouseTable,
      'a ClickHouse table as database.table',
    );
    const skip = Math.max(options.skipRecentHours, l.skipRecentHours ?? 0);
    const reach =
      l.warmRetentionHours === undefined
        ? lookback
        : Math.min(lookback, l.warmRetentionHours - WARM_RETENTION_MARGIN_HOURS);
    problems.check(
      reach > skip,
      `layers[${i}]`,
      l,
      `a look-back (${options.lookback}, capped at the warm TTL minus ${WARM_RETENTION_MARGIN_HOURS} h) longer than the ${skip} skipped hours`,
    );
    return {
      layer: l.layer,
      warm,
      cold: qualify(problems, `layers[${i}].icebergTable`, l.icebergTable),
      lookbackHours: reach,
      skipRecentHours: skip,
    };
  });
  const resultTable = qualify(problems, 'resultTable', options.resultTable);
  problems.throwIfAny();
  return {
    steps: [{ type: 'audit-counts', eventTimeColumn: column, resultTable, layers }],
    profile: 'batch-etl',
    labels: labelled('offload-audit'),
    clickhouse: options.clickhouse,
  };
}
