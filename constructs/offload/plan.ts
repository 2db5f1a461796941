import { polarisCatalogUri } from '../conventions';

/** Spark catalog names the offload plan and its Spark configuration use. */
export const OFFLOAD_CATALOGS = { iceberg: 'polaris', clickhouse: 'clickhouse' } as const;

/** The `offload` step of a job plan: one table, replaced hour by hour (handler `jobs/dataplane_job/steps/offload.py`). */
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

/** A job plan as the generic entry point reads it (`python -m dataplane_job <plan.json>`). */
export interface OffloadPlan {
  readonly apiVersion: 'dataplane.io/v1';
  readonly job: string;
  readonly catalog: { readonly name: string; readonly uri: string; readonly warehouse: string; readonly realm: string };
  readonly steps: readonly OffloadStep[];
}

/** Renders the plan of one offload run; steps keep the given (dependency) order. */
export function offloadPlan(job: string, catalog: { name: string; realm: string }, steps: readonly OffloadStep[]): OffloadPlan {
  return {
    apiVersion: 'dataplane.io/v1',
    job,
    catalog: { name: OFFLOAD_CATALOGS.iceberg, uri: polarisCatalogUri(), warehouse: catalog.name, realm: catalog.realm },
    steps,
  };
}
