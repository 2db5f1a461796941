import * as path from 'path';
import { Construct } from 'constructs';
import { ConfigError, EnvironmentConfig, environmentsDir } from '../../config';
import { ClickHouseOffload } from '../offload';
import { fitsTenantQuota } from '../tenancy';
import { SparkDemand } from './resource-profiles';
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
 * set, kept clear of the `offloads` writing its tables. Fails with a ConfigError naming the environment file when a
 * job does not fit its tenant's budget.
 */
export function addWorkloads(
  scope: Construct,
  env: EnvironmentConfig,
  offloads: readonly ClickHouseOffload[] = [],
): TableGroupMaintenance[] {
  const offloaded = offloadedTables(offloads);
  const jobs: TenantJob[] = [];
  const groups = env.datasets.map((dataset) => {
    const mine = offloaded.filter((o) => o.namespace === dataset.namespace && dataset.tables.includes(o.table.table));
    const group = new TableGroupMaintenance(scope, dataset.name, {
      dataset,
      image: env.jobs.image,
      catalog: environmentCatalog(env),
      eventLogBucket: env.storage.eventLogBucket,
      offload: mine.length > 0 ? { clickhouse: mine[0].clickhouse, tables: mine.map((o) => o.table) } : undefined,
    });
    for (const job of Object.values(group.jobs))
      jobs.push({ tenant: dataset.tenant, name: job.name, peakDemand: job.peakDemand });
    return group;
  });
  const problems = checkTenantBudgets(env, jobs);
  if (problems.length > 0) throw new ConfigError(path.join(environmentsDir(), `${env.name}.yaml`), problems);
  return groups;
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

/** One line per job whose peak demand exceeds its tenant's quota: the tenant's largest job must fit. */
export function checkTenantBudgets(env: EnvironmentConfig, jobs: readonly TenantJob[]): string[] {
  return jobs.flatMap((job) => {
    const index = env.tenants.findIndex((t) => t.name === job.tenant);
    if (index < 0) return [];
    const { cpu, memoryBytes, pods } = job.peakDemand;
    const fit = fitsTenantQuota(env.tenants[index], { cpu, memory: memoryBytes, pods });
    return fit.fits
      ? []
      : [
          `'tenants[${index}].budget' cannot hold job ${job.name} at its peak (${fit.problems.join('; ')}); expected a budget that fits the tenant's largest Spark job, or a smaller profile`,
        ];
  });
}
