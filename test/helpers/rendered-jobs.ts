import { Testing } from 'cdk8s';
import { KubeObject, loadEnvironment } from '../../config';
import {
  addBackfill,
  dataProfiling,
  environmentCatalog,
  icebergEtl,
  schemaMigration,
  SparkJob,
} from '../../constructs/workloads';
import { JOB_RUNNER, PLAN_API_VERSION } from '../../jobs/plan';
import { renderEnvironment } from '../../stacks/k8s';

/**
 * Every job the package renders, as synthesized objects: the dev environment's jobs (offload included), a backfill, and
 * one job per remaining template (ETL, profiling, migration).
 */
export function renderedJobObjects(): KubeObject[] {
  const env = loadEnvironment('dev');
  const chart = Testing.chart();
  const common = {
    tenant: 'trading',
    image: env.jobs.image,
    catalog: environmentCatalog(env),
    eventLogBucket: env.storage.eventLogBucket,
  };
  addBackfill(chart, env, {
    table: 'raw_trades',
    from: '2026-08-19T00:00Z',
    to: '2026-08-19T06:00Z',
    now: new Date('2026-08-20T00:00Z'),
  });
  new SparkJob(chart, 'etl', {
    ...common,
    ...icebergEtl({
      source: 'trading.bronze_trades',
      target: 'trading.silver_trades',
      transform: 'SELECT * FROM source',
    }),
  });
  new SparkJob(chart, 'profiling', {
    ...common,
    ...dataProfiling({ table: 'trading.silver_trades', sampleRows: 1000 }),
  });
  new SparkJob(chart, 'migration', {
    ...common,
    ...schemaMigration({
      sourceCatalog: { name: 'glue', conf: { '': 'org.apache.iceberg.spark.SparkCatalog', type: 'glue' } },
      namespace: 'trading',
      tables: ['ref_symbols'],
    }),
  });
  return [...renderEnvironment(env).flatMap((c) => c.objects), ...(Testing.synth(chart) as KubeObject[])];
}

/** The job plans of {@link renderedJobObjects} (SparkApplications and offload CronJobs), by ConfigMap name. */
export function renderedPlans(): Record<string, string> {
  const plans: Record<string, string> = {};
  // Job plans only: the Polaris provisioner mounts a plan.json of its own.
  for (const o of renderedJobObjects() as any[]) {
    const text = o.kind === 'ConfigMap' ? o.data?.[JOB_RUNNER.planFile] : undefined;
    if (text && JSON.parse(text).apiVersion === PLAN_API_VERSION) plans[o.metadata.name] = text;
  }
  return plans;
}
