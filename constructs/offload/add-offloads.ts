import { Construct } from 'constructs';
import { EnvironmentConfig } from '../../config';
import { ClickHouseOffload } from './clickhouse-offload';

/** One ClickHouseOffload per run of the environment's `offload` section, each naming its key path. */
export function addOffloads(scope: Construct, env: EnvironmentConfig): ClickHouseOffload[] {
  const offload = env.offload;
  if (!offload) return [];
  return offload.runs.map(
    (run, index) =>
      new ClickHouseOffload(scope, `offload-${run.tenant}-${run.name}`, {
        tenant: run.tenant,
        name: run.name,
        image: offload.image,
        schedule: run.schedule,
        expectedRuntimeMinutes: run.expectedRuntimeMinutes,
        clickhouse: offload.clickhouse,
        catalog: env.catalog,
        lagHours: offload.lagHours,
        outageToleranceHours: offload.outageToleranceHours,
        maxCatchUpHours: offload.maxCatchUpHours,
        tables: run.tables.map(({ target, ...source }) => ({ source, target })),
        configPath: `offload.runs[${index}]`,
      }),
  );
}
