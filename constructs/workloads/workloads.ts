import { Construct } from 'constructs';
import { ConfigProblem, EnvironmentConfig, environmentError } from '../../config';
import { ClickHouseOffload } from '../offload';
import { fitsTenantQuota } from '../tenancy';
import { DynamicExecutors, SparkDemand } from './resource-profiles';
import { addScheduledTemplateJobs } from './scheduled-template-jobs';
import { SPARK_CONNECT_DEFAULTS, SparkConnectServer } from './spark-connect-server';
import { environmentCatalog } from './spark-job';
import {
  maintenanceProblems,
  OffloadedTable,
  TableGroupMaintenance,
  TableGroupMaintenanceProps,
} from './table-group-maintenance';

/** A job with its tenant and peak demand, for the budget check. */
export interface TenantJob {
  readonly tenant: string;
  readonly name: string;
  readonly peakDemand: SparkDemand;
}

/**
 * Adds the environment's Spark workloads to `scope` (the `workloads` chart): the maintenance schedule of every data
 * set, kept clear of the `offloads` writing its tables, the scheduled template jobs and the Spark Connect servers. Fails with a ConfigError naming the file the environment was
 * loaded from when a job does not fit its tenant's budget.
 */
export function addWorkloads(
  scope: Construct,
  env: EnvironmentConfig,
  offloads: readonly ClickHouseOffload[] = [],
): TableGroupMaintenance[] {
  const offloaded = offloadedTables(offloads);
  const props = env.datasets.map((dataset): TableGroupMaintenanceProps => {
    const mine = offloaded.filter((o) => o.namespace === dataset.namespace && dataset.tables.includes(o.table.table));
    return {
      dataset,
      image: env.jobs.image,
      catalog: environmentCatalog(env),
      eventLogBucket: env.storage.eventLogBucket,
      offload: mine.length > 0 ? { clickhouse: mine[0].clickhouse, tables: mine.map((o) => o.table) } : undefined,
      runTimestampPrecision: env.services?.sparkOperator?.runTimestampPrecision,
    };
  });
  // A maintenance schedule that collides with the offload is a problem of the environment file, reported there.
  const scheduling = props.flatMap((p, i) =>
    maintenanceProblems(p).map((problem) => ({ ...problem, path: ['datasets', i, ...problem.path.slice(1)] })),
  );
  if (scheduling.length > 0) throw environmentError(env, scheduling);
  const jobs: TenantJob[] = [];
  const groups = props.map((p) => {
    const { dataset } = p;
    const group = new TableGroupMaintenance(scope, dataset.name, p);
    for (const job of Object.values(group.jobs))
      jobs.push({ tenant: dataset.tenant, name: job.name, peakDemand: job.peakDemand });
    return group;
  });
  for (const { job, tenant } of addScheduledTemplateJobs(scope, env, offloaded))
    jobs.push({ tenant, name: job.name, peakDemand: job.peakDemand });
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

/** Each offloaded Iceberg table with its offload's timing, as the offload constructs expose them. */
function offloadedTables(offloads: readonly ClickHouseOffload[]) {
  return offloads.flatMap((offload) =>
    offload.targets.map(
      ({
        namespace,
        ...table
      }): { namespace: string; table: OffloadedTable; clickhouse: ClickHouseOffload['clickhouse'] } => ({
        namespace,
        table,
        clickhouse: offload.clickhouse,
      }),
    ),
  );
}

/**
 * One problem per tenant whose budget cannot hold one of its jobs at its peak (the tenant's largest job must fit),
 * naming the first such job and how many more there are.
 */
export function checkTenantBudgets(env: EnvironmentConfig, jobs: readonly TenantJob[]): ConfigProblem[] {
  return env.tenants.flatMap((tenant, index) => {
    const misfits = jobs.flatMap((job) => {
      if (job.tenant !== tenant.name) return [];
      const { cpu, memoryBytes, pods } = job.peakDemand;
      const fit = fitsTenantQuota(tenant, { cpu, memory: memoryBytes, pods });
      return fit.fits ? [] : [`${job.name} (${fit.problems.join('; ')})`];
    });
    if (misfits.length === 0) return [];
    const more = misfits.length > 1 ? `, and ${misfits.length - 1} more job${misfits.length > 2 ? 's' : ''}` : '';
    return [
      {
        path: ['tenants', index, 'budget'],
        expected: `a budget that holds each of the tenant's Spark jobs at its peak, or smaller profiles: ${misfits[0]}${more}`,
      },
    ];
  });
}
