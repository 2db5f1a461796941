import { Construct } from 'constructs';
import { ConfigProblem, EnvironmentConfig, environmentError } from '../../config';
import { SPARK_CATALOG } from '../../jobs/plan';
import { ClickHouseOffload } from '../offload';
import { fitsTenantQuota } from '../tenancy';
import { DynamicExecutors, SparkDemand } from './resource-profiles';
import { SPARK_CONNECT_DEFAULTS, SparkConnectServer } from './spark-connect-server';
import { SparkJobCatalog } from './spark-job';
import { OffloadedTable, TableGroupMaintenance } from './table-group-maintenance';

/** The Polaris catalog of an environment, as the Spark jobs take it. */
export function environmentCatalog(env: EnvironmentConfig): SparkJobCatalog {
  return { warehouse: env.catalog.name, realm: env.catalog.realm };
}

/** A job with its tenant and peak demand, for the budget check. */
export interface TenantJob {
  readonly tenant: string;
  readonly name: string;
  readonly peakDemand: SparkDemand;
}

/**
 * Adds the environment's Spark workloads to `scope` (the `workloads` chart): the maintenance schedule of every data
 * set, kept clear of the `offloads` writing its tables. Fails with a ConfigError naming the file the environment was
 * loaded from when a job does not fit its tenant's budget.
 */
export function addWorkloads(
  scope: Construct,
  env: EnvironmentConfig,
  offloads: readonly ClickHouseOffload[] = [],
): TableGroupMaintenance[] {
  const offloaded = offloadedTables(env, offloads);
  const jobs: TenantJob[] = [];
  const groups = env.datasets.map((dataset) => {
    const mine = offloaded.filter((o) => o.namespace === dataset.namespace && dataset.tables.includes(o.table.table));
    const group = new TableGroupMaintenance(scope, dataset.name, {
      dataset,
      image: env.jobs.image,
      catalog: environmentCatalog(env),
      eventLogBucket: env.storage.eventLogBucket,
      offload: mine.length > 0 ? { clickhouse: mine[0].clickhouse, tables: mine.map((o) => o.table) } : undefined,
      runTimestampPrecision: env.services?.sparkOperator?.runTimestampPrecision,
    });
    for (const job of Object.values(group.jobs))
      jobs.push({ tenant: dataset.tenant, name: job.name, peakDemand: job.peakDemand });
    return group;
  });
  for (const server of addSparkConnectServers(scope, env))
    jobs.push({ tenant: server.tenant, name: server.name, peakDemand: server.peakDemand });
  const problems = checkTenantBudgets(env, jobs);
  if (problems.length > 0) throw environmentError(env, problems);
  return groups;
}

/** The Spark Connect server of every tenant that declares `sparkConnect`. */
export function addSparkConnectServers(scope: Construct, env: EnvironmentConfig): SparkConnectServer[] {
  return env.tenants.flatMap((tenant) => {
    const connect = tenant.sparkConnect;
    if (!connect) return [];
    const base = SPARK_CONNECT_DEFAULTS.resources;
    const executors = base.executors as DynamicExecutors;
    return [
      new SparkConnectServer(scope, `${tenant.name}-connect`, {
        tenant: tenant.name,
        image: env.jobs.image,
        catalog: environmentCatalog(env),
        eventLogBucket: env.storage.eventLogBucket,
        apiCidr: env.network.vpcCidr,
        clientNamespaces: connect.clientNamespaces,
        clientCidrs: connect.clientCidrs,
        resources: { ...base, executors: { ...executors, max: connect.maxExecutors ?? executors.max } },
      }),
    ];
  });
}

/** Each offloaded Iceberg table with its offload's timing, named by its key in the environment's `offload.runs`. */
function offloadedTables(env: EnvironmentConfig, offloads: readonly ClickHouseOffload[]) {
  return offloads.flatMap((offload) => {
    const run = env.offload?.runs.findIndex((r) => `offload-${r.tenant}-${r.name}` === offload.jobName) ?? -1;
    return offload.steps.map((step, i) => {
      const { ttlHours } = offload.tables[i].source;
      const [, namespace, table] = step.target.split('.');
      const [, database, warmTable] = step.source.split('.');
      const offloadedTable: OffloadedTable = {
        table,
        warm: `${database}.${warmTable}`,
        eventTimeColumn: step.eventTimeColumn,
        schedule: offload.schedule,
        expectedRuntimeMinutes: offload.expectedRuntimeMinutes,
        lagHours: step.lagHours,
        allowedLatenessHours: step.allowedLatenessHours,
        warmRetentionHours: ttlHours,
        source:
          run >= 0
            ? `offload.runs[${run}].tables[${i}]`
            : `${offload.node.path} (${SPARK_CATALOG}.${namespace}.${table})`,
      };
      return { namespace, table: offloadedTable, clickhouse: offload.clickhouse };
    });
  });
}

/** One problem per job whose peak demand exceeds its tenant's quota: the tenant's largest job must fit. */
export function checkTenantBudgets(env: EnvironmentConfig, jobs: readonly TenantJob[]): ConfigProblem[] {
  return jobs.flatMap((job) => {
    const index = env.tenants.findIndex((t) => t.name === job.tenant);
    if (index < 0) return [];
    const { cpu, memoryBytes, pods } = job.peakDemand;
    const fit = fitsTenantQuota(env.tenants[index], { cpu, memory: memoryBytes, pods });
    return fit.fits
      ? []
      : [
          {
            path: ['tenants', index, 'budget'],
            expected: `a budget that holds job ${job.name} at its peak (${fit.problems.join('; ')}): the tenant's largest Spark job must fit, or take a smaller profile`,
          },
        ];
  });
}
