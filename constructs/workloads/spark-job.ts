import { Construct } from 'constructs';
import { EnvironmentConfig, Problems } from '../../config';
import { JobPlan } from '../../jobs/plan';
import { SparkDemand, SparkResources } from './resource-profiles';
import { addSparkJobObjects, prepareSparkApplication, SparkJobCatalog, SparkJobProps } from './spark-application';

// The props live with the pieces SparkJob and ScheduledSparkJob share; they are part of SparkJob's API.
export type { SparkJobCatalog, SparkJobClickHouse, SparkJobProps } from './spark-application';

/** The Polaris catalog of an environment, as the Spark jobs take it. */
export function environmentCatalog(env: EnvironmentConfig): SparkJobCatalog {
  return { warehouse: env.catalog.name, realm: env.catalog.realm };
}

/**
 * A Spark job run once: a SparkApplication executing a job plan with the generic runner, plus the ConfigMap that
 * carries the plan (and, for jobs that read ClickHouse, a NetworkPolicy letting its pods reach it). Out of the box it
 * talks to Polaris with vended credentials (client credentials from the tenant's Secret, never in the manifest), writes event logs to the event-log bucket, retries on failure, and runs in the
 * tenant's namespace and YuniKorn queue on the Spark node pools.
 */
export class SparkJob extends Construct {
  /** The SparkApplication's name. */
  public readonly name: string;
  /** The resources it requests. */
  public readonly resources: SparkResources;
  /** What it holds at its peak (driver + most executors), for budget checks. */
  public readonly peakDemand: SparkDemand;
  /** The plan the runner executes. */
  public readonly plan: JobPlan;

  constructor(scope: Construct, id: string, props: SparkJobProps) {
    super(scope, id);
    this.name = props.name ?? id;
    const problems = new Problems(this.node.path);
    const app = prepareSparkApplication(problems, this.name, 63, props);
    problems.throwIfAny();

    this.resources = app.resources;
    this.peakDemand = app.peakDemand;
    this.plan = app.plan;
    addSparkJobObjects(this, app, props.clickhouse, {
      kind: 'SparkApplication',
      metadata: app.metadata,
      spec: app.spec,
    });
  }
}
