import { Construct } from 'constructs';
import { ConfigError, EnvironmentConfig } from '../../config';
import { CLICKHOUSE_CATALOG } from '../../jobs/plan';
import { icebergEtl } from './job-templates';
import { ResourceProfileName } from './resource-profiles';
import { environmentCatalog, SparkJob } from './spark-job';

/** One on-demand backfill: re-copy a table's rows for a window of whole hours from ClickHouse to Iceberg. */
export interface BackfillRequest {
  /** An offloaded table: `raw_trades`, or `trading.raw_trades` when several namespaces have that name. */
  readonly table: string;
  /** Start of the window (inclusive): an ISO-8601 instant on a whole hour, e.g. `2026-08-01T00:00Z`. */
  readonly from: string;
  /** End of the window (exclusive), a whole hour no later than the current hour. */
  readonly to: string;
  /**
   * Resource profile of the job.
   * @default 'batch-etl'
   */
  readonly profile?: ResourceProfileName;
  /**
   * The current time, which the window may not pass.
   * @default - now
   */
  readonly now?: Date;
}

const HOUR_MS = 3_600_000;

/**
 * Adds a SparkJob that replaces `[from, to)` of the table in Iceberg with the rows ClickHouse holds for it, in one
 * atomic commit (re-running it is harmless) that carries the offload watermark, so the hourly offload resumes after
 * it (the recovery its stale-watermark refusal names). A window reaching hours past the table's TTL is refused here;
 * at run time the job refuses again from the TTL and from ClickHouse's oldest retained row, and when ClickHouse has no
 * rows in the window. Bad requests raise a ConfigError listing every problem.
 */
export function addBackfill(scope: Construct, env: EnvironmentConfig, request: BackfillRequest): SparkJob {
  const problems: string[] = [];
  const found = findTable(env, request.table, problems);
  const from = instant(request.from, 'from', problems);
  const to = instant(request.to, 'to', problems);
  const now = (request.now ?? new Date()).getTime();
  if (from !== undefined && to !== undefined && from >= to)
    problems.push(
      `'--from' ${request.from} is not before '--to' ${request.to}; expected a window of at least one hour`,
    );
  if (to !== undefined && to > Math.floor(now / HOUR_MS) * HOUR_MS) {
    problems.push(
      `'--to' ${request.to} is after the current hour; expected a window of hours that have already closed`,
    );
  }
  if (found && from !== undefined && to !== undefined && from < to) {
    // ClickHouse deletes a row ttlHours after its event time: an hour is fully held only while its start is younger.
    const heldFrom = Math.floor((now - found.entry.ttlHours * HOUR_MS) / HOUR_MS) * HOUR_MS + HOUR_MS;
    if (from < heldFrom) {
      const hour = (ms: number) => new Date(ms).toISOString().slice(0, 13) + ':00Z';
      problems.push(
        `'--from' ${request.from} reaches hours ClickHouse no longer fully holds (${hour(from)} to ` +
          `${hour(Math.min(to, heldFrom))}, past the ${found.entry.ttlHours} h TTL of ${found.qualified}); expected ` +
          `${hour(heldFrom)} or later: replacing those hours would delete their rows from Iceberg`,
      );
    }
  }
  if (problems.length > 0 || !found || from === undefined || to === undefined)
    throw new ConfigError('backfill', problems);

  const { tenant, entry } = found;
  const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 13).replace(/[-T]/g, '');
  const window = { column: entry.eventTimeColumn, from: new Date(from).toISOString(), to: new Date(to).toISOString() };
  const template = icebergEtl({
    source: `${CLICKHOUSE_CATALOG}.${entry.database}.${entry.table}`,
    target: `${entry.target.namespace}.${entry.target.table}`,
    transform: 'SELECT * FROM source',
    window,
    failOnEmptySource: true,
    backfill: { ttlHours: entry.ttlHours, dedup: entry.dedup },
    clickhouse: { ...found.clickhouse, database: entry.database },
    profile: request.profile,
  });
  return new SparkJob(scope, `backfill-${entry.target.table}`, {
    ...template,
    name: `backfill-${entry.target.table.replace(/_/g, '-')}-${stamp(from)}-${stamp(to)}`,
    tenant,
    image: env.jobs.image,
    catalog: environmentCatalog(env),
    eventLogBucket: env.storage.eventLogBucket,
    labels: { ...template.labels, 'dataplane.io/backfill-table': `${entry.target.namespace}.${entry.target.table}` },
  });
}

type OffloadConfig = NonNullable<EnvironmentConfig['offload']>;

/** The offload entry of the table: where its warm rows are and which tenant writes it. */
function findTable(env: EnvironmentConfig, name: string, problems: string[]) {
  const clickhouse = env.offload?.clickhouse;
  const all = (env.offload?.runs ?? []).flatMap((run) =>
    run.tables.map((entry: OffloadConfig['runs'][number]['tables'][number]) => ({
      tenant: run.tenant,
      entry,
      qualified: `${entry.target.namespace}.${entry.target.table}`,
    })),
  );
  const matches = all.filter((t) => t.entry.target.table === name || t.qualified === name);
  if (matches.length === 1 && clickhouse) return { ...matches[0], clickhouse };
  const known = all.map((t) => t.qualified).join(', ') || 'none: the environment offloads no tables';
  problems.push(
    matches.length === 0
      ? `'--table' ${JSON.stringify(name)} is not a table the offload of environment ${env.name} writes; expected one of ${known}`
      : `'--table' ${JSON.stringify(name)} is ambiguous; expected one of ${matches.map((t) => t.qualified).join(', ')}`,
  );
  return undefined;
}

function instant(text: string, flag: string, problems: string[]): number | undefined {
  const ms = /(Z|[+-]\d\d:?\d\d)$/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) {
    problems.push(
      `'--${flag}' ${JSON.stringify(text)} is not an instant; expected ISO-8601 with a zone, such as 2026-08-01T00:00Z`,
    );
    return undefined;
  }
  if (ms % HOUR_MS !== 0) {
    problems.push(
      `'--${flag}' ${text} is not on a whole hour; expected a whole hour, so the replace matches whole hour partitions`,
    );
    return undefined;
  }
  return ms;
}
