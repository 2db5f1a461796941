/**
 * The job plan: the JSON document the generic PySpark runner (`jobs/dataplane_job`) executes. TypeScript builds and
 * renders it, a ConfigMap mounts it in the driver, and `python -m dataplane_job <plan.json>` runs its steps in order.
 *
 * Contract with the runner: `apiVersion` is {@link PLAN_API_VERSION}; each step is `{ type, ... }` and `type` selects
 * the handler registered with `@step('<type>')` in `jobs/dataplane_job/steps/`. A new step type is one interface
 * here (added to {@link PlanStep}) plus one handler module imported from `steps/__init__.py`. Tables are always
 * fully qualified (`<catalog>.<namespace>.<table>`); hours and sizes are whole numbers.
 */

export const PLAN_API_VERSION = 'dataplane.io/v1';

/**
 * Exit code of the runner when a step refuses to run because running it could lose or duplicate data (the offload's
 * outage tolerance, an orphan-file age under the minimum, an empty source a replace must not apply). Retrying cannot
 * help, so the Job's podFailurePolicy fails the Job on it; every other non-zero code (1: a step failed, 2: the plan is
 * invalid) is retried. `jobs/dataplane_job/errors.py` mirrors it.
 */
export const REFUSAL_EXIT_CODE = 3;

/** Where the job image keeps the runner; `jobs/Dockerfile` copies `jobs/dataplane_job` into it and puts it on PYTHONPATH. */
const RUNNER_PACKAGE_DIR = '/opt/dataplane';

/** The runner inside the job image and the plan mount inside the driver. */
export const JOB_RUNNER = {
  /** Folder of the image holding the `dataplane_job` package (put it on PYTHONPATH). */
  packageDir: RUNNER_PACKAGE_DIR,
  /** The runner's entry point, as SparkApplication `mainApplicationFile`. */
  mainApplicationFile: `local://${RUNNER_PACKAGE_DIR}/dataplane_job/__main__.py`,
  /** Folder the plan ConfigMap is mounted at in the driver. */
  planDir: '/etc/dataplane/plan',
  /** Key of the plan in the ConfigMap (and file name under `planDir`). */
  planFile: 'plan.json',
} as const;

/** Spark catalog name of the Polaris catalog in every job. */
export const SPARK_CATALOG = 'polaris';

/** Spark catalog name of ClickHouse in jobs that read it (`clickhouse.<database>.<table>`). */
export const CLICKHOUSE_CATALOG = 'clickhouse';

/** Environment variables the runner reads credentials from; the SparkApplication fills them from Secrets. */
export const PLAN_ENV = {
  polarisClientId: 'POLARIS_CLIENT_ID',
  polarisClientSecret: 'POLARIS_CLIENT_SECRET',
  clickhouseUser: 'CLICKHOUSE_USER',
  clickhousePassword: 'CLICKHOUSE_PASSWORD',
} as const;

/** An identifier part the runner splices into SQL unquoted. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A fully qualified table: `<catalog>.<namespace>.<table>`. */
export const QUALIFIED_TABLE = /^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/;

/** The Iceberg catalog the runner configures before the first step. */
export interface PlanCatalog {
  /** Spark catalog name SQL uses. */
  readonly name: string;
  /**
   * Environment variables holding the OAuth client id and secret. The runner joins them into
   * `spark.sql.catalog.<name>.credential` at start, so the secret never appears in a manifest or in Spark conf files.
   */
  readonly credentialEnv: { readonly clientId: string; readonly clientSecret: string };
}

/** A ClickHouse server the runner registers as a Spark catalog before the first step. */
export interface PlanClickHouse {
  /** Spark catalog name (`<catalog>.<database>.<table>`). */
  readonly catalog: string;
  readonly host: string;
  readonly port: number;
  readonly protocol: 'http' | 'https';
  /** Default database of the catalog. */
  readonly database: string;
  /** Environment variables holding the user and password. */
  readonly credentialEnv: { readonly user: string; readonly password: string };
}

/** Runs SQL statements in order (DDL, `CALL`s, `INSERT ... SELECT`). */
export interface SqlStep {
  readonly type: 'sql';
  readonly statements: readonly string[];
}

/** A half-open time window `[from, to)` on an event-time column; bounds are ISO-8601 UTC instants. */
export interface PlanWindow {
  readonly column: string;
  readonly from: string;
  readonly to: string;
}

/**
 * Reads `source`, runs `transform` over it (the source is visible as the temporary view `source`) and writes the
 * result to `target`. With a window, only that window of the source is read and exactly that window of the target is
 * replaced in one atomic commit (re-runs are idempotent; bounds must match whole partitions); without one, the result
 * is appended.
 */
export interface EtlStep {
  readonly type: 'etl';
  readonly source: string;
  readonly target: string;
  /** A query over the view `source`. */
  readonly transform: string;
  readonly window?: PlanWindow;
  /** `fail` stops before writing when the source window is empty (a backfill must not wipe the target). */
  readonly emptySource: 'allow' | 'fail';
}

/** `rewrite_data_files` (binpack) on everything older than the newest `skipRecentHours` hours. */
export interface RewriteDataFilesStep {
  readonly type: 'rewrite-data-files';
  readonly table: string;
  readonly eventTimeColumn: string;
  readonly skipRecentHours: number;
  readonly targetFileSizeBytes: number;
}

/** `expire_snapshots` older than `retentionHours`, keeping at least `retainLast`. */
export interface ExpireSnapshotsStep {
  readonly type: 'expire-snapshots';
  readonly table: string;
  readonly retentionHours: number;
  readonly retainLast: number;
}

/** `remove_orphan_files` older than `olderThanHours` (the runner refuses under 24), listing through the table's FileIO. */
export interface RemoveOrphanFilesStep {
  readonly type: 'remove-orphan-files';
  readonly table: string;
  readonly olderThanHours: number;
  readonly dryRun: boolean;
}

/** `rewrite_manifests`. */
export interface RewriteManifestsStep {
  readonly type: 'rewrite-manifests';
  readonly table: string;
}

/**
 * One layer the audit compares: its warm (ClickHouse) and cold (Iceberg) table over the hours
 * `[start hour - lookbackHours, start hour - skipRecentHours)`. The window is per layer because the warm side keeps
 * each table for its own TTL and the offload rewrites each table's recent hours for its own lateness.
 */
export interface AuditLayer {
  readonly layer: string;
  readonly warm: string;
  readonly cold: string;
  readonly lookbackHours: number;
  readonly skipRecentHours: number;
}

/**
 * Counts rows per hour in each layer's warm and cold table, appends one result row per layer and hour to
 * `resultTable`, then fails if any count differs.
 */
export interface AuditCountsStep {
  readonly type: 'audit-counts';
  readonly eventTimeColumn: string;
  readonly resultTable: string;
  readonly layers: readonly AuditLayer[];
}

/** Profiles a random sample of about `sampleRows` rows (per-column nulls, distinct values, min, max) into `resultTable`. */
export interface ProfileTableStep {
  readonly type: 'profile-table';
  readonly table: string;
  readonly sampleRows: number;
  readonly resultTable: string;
}

/**
 * Copies the schema, partitioning and rows of each table of `source` (`<catalog>.<namespace>`) into `target`,
 * skipping tables the target already has, so re-runs resume. `tables` limits the copy; by default every table.
 */
export interface MigrateNamespaceStep {
  readonly type: 'migrate-namespace';
  readonly source: string;
  readonly target: string;
  readonly tables?: readonly string[];
}

/**
 * Replaces the closed, lagged hours of one ClickHouse table in its Iceberg table, exactly once per hour, driven by the
 * watermark the offload commits with the data (handler `jobs/dataplane_job/steps/offload.py`).
 */
export interface OffloadStep {
  readonly type: 'offload';
  /** `clickhouse.<database>.<table>`. */
  readonly source: string;
  /** `polaris.<namespace>.<table>`. */
  readonly target: string;
  readonly eventTimeColumn: string;
  readonly lagHours: number;
  readonly allowedLatenessHours: number;
  readonly outageToleranceHours: number;
}

/** Every step the runner knows. */
export type PlanStep =
  | SqlStep
  | EtlStep
  | RewriteDataFilesStep
  | ExpireSnapshotsStep
  | RemoveOrphanFilesStep
  | RewriteManifestsStep
  | AuditCountsStep
  | ProfileTableStep
  | MigrateNamespaceStep
  | OffloadStep;

/** The document the runner executes. */
export interface JobPlan {
  readonly apiVersion: typeof PLAN_API_VERSION;
  /** Which job this is, for logs and result rows. */
  readonly job: { readonly name: string; readonly tenant: string };
  readonly catalog: PlanCatalog;
  /** Present when a step reads ClickHouse. */
  readonly clickhouse?: PlanClickHouse;
  readonly steps: readonly PlanStep[];
}

/** The ClickHouse section of a plan: the connection, with the user and password read from PLAN_ENV variables. */
export function planClickHouse(
  server: Pick<PlanClickHouse, 'host' | 'port' | 'protocol' | 'database'>,
): PlanClickHouse {
  return {
    catalog: CLICKHOUSE_CATALOG,
    host: server.host,
    port: server.port,
    protocol: server.protocol,
    database: server.database,
    credentialEnv: { user: PLAN_ENV.clickhouseUser, password: PLAN_ENV.clickhousePassword },
  };
}

/** The plan of a job in `tenant`, with the Polaris catalog and credential variables every job uses. */
export function jobPlan(job: JobPlan['job'], steps: readonly PlanStep[], clickhouse?: PlanClickHouse): JobPlan {
  return {
    apiVersion: PLAN_API_VERSION,
    job,
    catalog: {
      name: SPARK_CATALOG,
      credentialEnv: { clientId: PLAN_ENV.polarisClientId, clientSecret: PLAN_ENV.polarisClientSecret },
    },
    ...(clickhouse ? { clickhouse } : {}),
    steps,
  };
}

/**
 * The Iceberg tables a plan writes or maintains, as `namespace.table` of the plan's catalog (a namespace migration
 * without a table list is the whole target namespace). Reads are left out: they never conflict with a commit.
 */
export function planTables(plan: JobPlan): string[] {
  const written = plan.steps.flatMap((step): readonly string[] => {
    switch (step.type) {
      case 'etl':
      case 'offload':
        return [step.target];
      case 'rewrite-data-files':
      case 'expire-snapshots':
      case 'remove-orphan-files':
      case 'rewrite-manifests':
        return [step.table];
      case 'audit-counts':
      case 'profile-table':
        return [step.resultTable];
      case 'migrate-namespace':
        return step.tables ? step.tables.map((table) => `${step.target}.${table}`) : [step.target];
      case 'sql':
        return [];
    }
  });
  const prefix = `${plan.catalog.name}.`;
  return [...new Set(written.map((table) => (table.startsWith(prefix) ? table.slice(prefix.length) : table)))];
}

/** The plan as the runner reads it (stable key order, trailing newline). */
export function renderPlan(plan: JobPlan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}
