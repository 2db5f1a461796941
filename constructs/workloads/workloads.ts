import * as path from 'path';
import { Construct } from 'constructs';
import { ConfigError, EnvironmentConfig, environmentsDir } from '../../config';
import { SparkDemand } from './resource-profiles';
import { SparkJobCatalog } from './spark-job';
import { TableGroupMaintenance } from './table-group-maintenance';
import { budgetShortfalls } from './tenant-budget';

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
 * set. Fails with a ConfigError naming the environment file when a tenant's largest job does not fit its budget.
 */
export function addWorkloads(scope: Construct, env: EnvironmentConfig): TableGroupMaintenance[] {
  const jobs: TenantJob[] = [];
  const groups = env.datasets.map((dataset) => {
    const group = new TableGroupMaintenance(scope, dataset.name, {
      dataset,
      image: env.jobs.image,
      catalog: environmentCatalog(env),
      eventLogBucket: env.storage.eventLogBucket,
    });
    for (const job of Object.values(group.jobs)) jobs.push({ tenant: dataset.tenant, name: job.name, peakDemand: job.peakDemand });
    return group;
  });
  const problems = checkTenantBudgets(env, jobs);
  if (problems.length > 0) throw new ConfigError(path.join(environmentsDir(), `${env.name}.yaml`), problems);
  return groups;
}

/** One line per job whose peak demand exceeds its tenant's budget: the tenant's largest job must fit. */
export function checkTenantBudgets(env: EnvironmentConfig, jobs: readonly TenantJob[]): string[] {
  return jobs.flatMap((job) => {
    const index = env.tenants.findIndex((t) => t.name === job.tenant);
    const shortfalls = index < 0 ? [] : budgetShortfalls(job.peakDemand, env.tenants[index].budget);
    return shortfalls.length === 0
      ? []
      : [`'tenants[${index}].budget' cannot hold job ${job.name} at its peak (${shortfalls.join(', ')}); expected a budget that fits the tenant's largest Spark job, or a smaller profile`];
  });
}
