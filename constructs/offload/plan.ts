import { CLICKHOUSE_CATALOG, jobPlan, JobPlan, OffloadStep, PlanClickHouse, SPARK_CATALOG } from '../../jobs/plan';

export type { OffloadStep } from '../../jobs/plan';

/** Spark catalog names the offload plan and its Spark configuration use. */
export const OFFLOAD_CATALOGS = { iceberg: SPARK_CATALOG, clickhouse: CLICKHOUSE_CATALOG } as const;

/**
 * The plan of one offload run (the job-plan contract of `jobs/plan.ts`); steps keep the given (dependency) order. The
 * runner configures the ClickHouse catalog and both catalogs' credentials from it and the Secret-backed variables.
 */
export function offloadPlan(
  job: string,
  tenant: string,
  steps: readonly OffloadStep[],
  clickhouse: PlanClickHouse,
): JobPlan {
  return jobPlan({ name: job, tenant }, steps, clickhouse);
}
