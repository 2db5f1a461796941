import {
  dataProfiling,
  icebergCompact,
  icebergEtl,
  icebergOrphanCleanup,
  icebergRewriteManifests,
  icebergSnapshotExpire,
  JOB_TEMPLATE_DEFAULTS,
  JobTemplate,
  offloadAudit,
  schemaMigration,
} from './job-templates';
import { SparkJobClickHouse } from './spark-job';

/**
 * The job templates as data: each template's parameters (name, type, default, description) next to the factory
 * function the constructs call, so `npm run job -- list` and `render` read the same definitions the TypeScript API
 * has. The parameter list is typed against the factory's options: the compiler rejects a template whose parameters
 * miss an option, name one that does not exist, or mark a required one optional.
 */

/** How a parameter is written on the command line (`--set key=value`) and shown by `list`. */
export type TemplateParamType =
  'string' | 'integer' | 'boolean' | 'string-list' | 'string-map' | 'object' | 'object-list' | 'clickhouse';

/** One parameter of a template. */
export interface TemplateParam {
  readonly type: TemplateParamType;
  /** What the parameter means, and the form of its value. */
  readonly description: string;
  /** Whether the template fails without it. */
  readonly required: boolean;
  /**
   * The value used when it is not given, as shown by `list`.
   * @default - no default: required, or absent means "not used" as the description says
   */
  readonly default?: string | number | boolean;
  /** The fields of an `object` or of each element of an `object-list`. */
  readonly fields?: Readonly<Record<string, TemplateParam>>;
}

type Flag<B extends boolean> = { readonly required: B };

/** The parameter shape each option type must have. */
type ParamFor<T> = [T] extends [boolean]
  ? { readonly type: 'boolean' }
  : [T] extends [number]
    ? { readonly type: 'integer' }
    : [T] extends [string]
      ? { readonly type: 'string' }
      : [T] extends [SparkJobClickHouse]
        ? { readonly type: 'clickhouse' }
        : [T] extends [readonly string[]]
          ? { readonly type: 'string-list' }
          : [T] extends [readonly (infer E)[]]
            ? { readonly type: 'object-list'; readonly fields: TemplateParams<E> }
            : [T] extends [Readonly<Record<string, string>>]
              ? string extends keyof T
                ? { readonly type: 'string-map' }
                : { readonly type: 'object'; readonly fields: TemplateParams<T> }
              : { readonly type: 'object'; readonly fields: TemplateParams<T> };

/** One entry per option of `O`, each of the type that option has and required exactly when the option is. */
export type TemplateParams<O> = {
  readonly [K in keyof O]-?: TemplateParam &
    ParamFor<NonNullable<O[K]>> &
    Flag<{} extends Pick<O, K> ? false : true> & { readonly default?: NonNullable<O[K]> & (string | number | boolean) };
};

/** A template as `npm run job` sees it. */
export interface JobTemplateDefinition {
  readonly name: string;
  readonly description: string;
  readonly params: Readonly<Record<string, TemplateParam>>;
  /** Builds the template from options of the shape `params` describes (the factory checks every value). */
  readonly build: (options: Record<string, unknown>) => JobTemplate;
}

function define<O>(
  name: string,
  description: string,
  params: TemplateParams<O>,
  build: (options: O) => JobTemplate,
): JobTemplateDefinition {
  return {
    name,
    description,
    params: params as Readonly<Record<string, TemplateParam>>,
    build: (options) => build(options as O),
  };
}

const d = JOB_TEMPLATE_DEFAULTS;
const tables = (what: string) =>
  ({
    type: 'string-list',
    required: true,
    description: `Tables ${what}, as namespace.table or catalog.namespace.table, comma-separated.`,
  }) as const;
const clickhouse = <R extends boolean>(why: string, required: R) =>
  ({
    type: 'clickhouse',
    required,
    description: `${why} Taken from the environment's offload.clickhouse; not set on the command line.`,
  }) as const;

/** Every template, by the name its jobs carry in the `dataplane.io/job-template` label. */
export const JOB_TEMPLATE_CATALOG: Readonly<Record<string, JobTemplateDefinition>> = Object.fromEntries(
  [
    define(
      'iceberg-etl',
      'Reads a source table (or a window of it), runs a SQL transform over the view "source", writes the target.',
      {
        source: {
          type: 'string',
          required: true,
          description: 'Table read: namespace.table or catalog.namespace.table.',
        },
        target: { type: 'string', required: true, description: 'Table written.' },
        transform: { type: 'string', required: true, description: 'A query over the view "source".' },
        window: {
          type: 'object',
          required: false,
          description: 'Only this window is read, and exactly this window of the target is replaced in one commit.',
          fields: {
            column: { type: 'string', required: true, description: 'Event-time column the window is cut on.' },
            from: { type: 'string', required: true, description: 'Start (inclusive), an ISO-8601 whole hour.' },
            to: { type: 'string', required: true, description: 'End (exclusive), an ISO-8601 whole hour.' },
          },
        },
        failOnEmptySource: {
          type: 'boolean',
          required: false,
          default: false,
          description: 'Fail before writing when the source (window) is empty, instead of clearing the target window.',
        },
        profile: { type: 'string', required: false, default: 'batch-etl', description: 'Resource profile.' },
        clickhouse: clickhouse('The ClickHouse server, when the source is clickhouse.<database>.<table>.', false),
      },
      icebergEtl,
    ),
    define(
      'iceberg-compact',
      'rewrite_data_files (binpack) to the target file size, skipping the newest hours.',
      {
        tables: tables('compacted one after another'),
        targetFileSize: {
          type: 'string',
          required: false,
          default: d.targetFileSize,
          description: 'Target size of the rewritten data files (a Kubernetes quantity).',
        },
        skipRecentHours: {
          type: 'integer',
          required: false,
          default: d.skipRecentHours,
          description: 'Newest whole hours left alone because the offload may still rewrite them.',
        },
        eventTimeColumn: {
          type: 'string',
          required: false,
          default: d.eventTimeColumn,
          description: 'The column the tables are partitioned by with hours().',
        },
      },
      icebergCompact,
    ),
    define(
      'iceberg-snapshot-expire',
      'expire_snapshots past the retention, never inside the promised time-travel window.',
      {
        tables: tables('whose snapshots expire'),
        retention: { type: 'string', required: true, description: 'Snapshots younger than this are kept (e.g. 7d).' },
        timeTravel: {
          type: 'string',
          required: true,
          description: 'The time-travel window promised to readers; retention may not be shorter.',
        },
        retainLast: {
          type: 'integer',
          required: false,
          default: d.retainLast,
          description: 'Snapshots kept whatever their age (at least 24, a day of hourly offload commits).',
        },
      },
      icebergSnapshotExpire,
    ),
    define(
      'iceberg-orphan-cleanup',
      'remove_orphan_files with a safe age, listing through the table FileIO.',
      {
        tables: tables('cleaned'),
        olderThan: {
          type: 'string',
          required: false,
          default: d.orphanAge,
          description: 'Only files older than this are removed; at least 24h.',
        },
        dryRun: {
          type: 'boolean',
          required: false,
          default: false,
          description: 'List what would be removed without removing it.',
        },
      },
      icebergOrphanCleanup,
    ),
    define(
      'iceberg-rewrite-manifests',
      'rewrite_manifests, so planning reads few, well-clustered manifests.',
      { tables: tables('whose manifests are rewritten') },
      icebergRewriteManifests,
    ),
    define(
      'data-profiling',
      'Per-column statistics over a random sample of a table.',
      {
        table: { type: 'string', required: true, description: 'The table profiled.' },
        sampleRows: { type: 'integer', required: true, description: 'About how many rows are sampled.' },
        resultTable: {
          type: 'string',
          required: false,
          description: `Table the statistics are appended to; absent: ${d.profileResultTable} in the profiled table's namespace.`,
        },
      },
      dataProfiling,
    ),
    define(
      'schema-migration',
      "Copies a namespace's tables (schema, partitioning, rows) from one catalog to another.",
      {
        sourceCatalog: {
          type: 'object',
          required: true,
          description: 'The catalog the tables come from.',
          fields: {
            name: { type: 'string', required: true, description: 'Spark catalog name.' },
            conf: {
              type: 'string-map',
              required: true,
              description:
                'Its configuration without the spark.sql.catalog.<name> prefix: sourceCatalog.conf.<key>=<value>; the implementation class under the empty key (sourceCatalog.conf.=<class>). No credentials.',
            },
          },
        },
        targetCatalog: { type: 'string', required: false, default: 'polaris', description: 'The catalog written.' },
        namespace: { type: 'string', required: true, description: 'Namespace in the source catalog.' },
        targetNamespace: {
          type: 'string',
          required: false,
          description: 'Namespace in the target catalog; absent: the same name.',
        },
        tables: {
          type: 'string-list',
          required: false,
          description: 'Tables to copy, comma-separated; absent: every table of the namespace.',
        },
      },
      schemaMigration,
    ),
    define(
      'offload-audit',
      'Warm (ClickHouse) against cold (Iceberg) row counts per layer and hour; the run fails on any mismatch.',
      {
        layers: {
          type: 'object-list',
          required: true,
          description: 'The layers compared: layers[0].layer=raw, layers[0].clickhouseTable=db.t, …',
          fields: {
            layer: { type: 'string', required: true, description: 'Layer name in the results.' },
            clickhouseTable: { type: 'string', required: true, description: 'The warm table, database.table.' },
            icebergTable: { type: 'string', required: true, description: 'The cold table, namespace.table.' },
            skipRecentHours: {
              type: 'integer',
              required: false,
              description: "Newest hours skipped for this layer; absent: the audit's skipRecentHours.",
            },
            warmRetentionHours: {
              type: 'integer',
              required: false,
              description: "Hours ClickHouse keeps the warm rows; absent: the audit's lookback.",
            },
          },
        },
        clickhouse: clickhouse('The ClickHouse server holding the warm tables.', true),
        resultTable: { type: 'string', required: true, description: 'Table the results are appended to.' },
        lookback: { type: 'string', required: true, description: 'How far back hours are compared (e.g. 7d).' },
        skipRecentHours: {
          type: 'integer',
          required: true,
          description: 'Newest whole hours skipped because the offload may still rewrite them.',
        },
        eventTimeColumn: {
          type: 'string',
          required: false,
          default: d.eventTimeColumn,
          description: 'The event-time column of every layer.',
        },
      },
      offloadAudit,
    ),
  ].map((t) => [t.name, t]),
);
