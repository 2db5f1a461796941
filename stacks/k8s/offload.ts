import { Construct } from 'constructs';
import { EnvironmentConfig } from '../../config';
import { ClickHouseOffload } from '../../constructs/offload';

/** One ClickHouseOffload per configured run. */
export function addOffloads(scope: Construct, env: EnvironmentConfig): ClickHouseOffload[] {
  const offload = env.offload;
  if (!offload) return [];
  return offload.runs.map(
    (run) =>
      new ClickHouseOffload(scope, `offload-${run.tenant}-${run.name}`, {
        tenant: run.tenant,
        name: run.name,
        image: env.jobs.image,
        schedule: run.schedule,
        clickhouse: offload.clickhouse,
        catalog: env.catalog,
        lagHours: offload.lagHours,
        outageToleranceHours: offload.outageToleranceHours,
        tables: run.tables.map(({ target, ...source }) => ({ source, target })),
      }),
  );
}
