import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { loadEnvironment, PACKAGE_ROOT } from '../../config';
import {
  addBackfill,
  dataProfiling,
  environmentCatalog,
  icebergEtl,
  schemaMigration,
  SparkJob,
} from '../../constructs/workloads';
import { PLAN_API_VERSION } from '../../jobs/plan';
import { renderEnvironment } from '../../stacks/k8s';
import { pythonBin } from '../helpers/python';

/** Every plan the package renders: the dev environment's jobs (offload included), a backfill, and one job per remaining template. */
function renderedPlans(): Record<string, string> {
  const env = loadEnvironment('dev');
  const plans: Record<string, string> = {};
  const collect = (objects: readonly any[]) => {
    // Job plans only: the Polaris provisioner mounts a plan.json of its own.
    for (const o of objects) {
      const text = o.kind === 'ConfigMap' ? o.data?.['plan.json'] : undefined;
      if (text && JSON.parse(text).apiVersion === PLAN_API_VERSION) plans[o.metadata.name] = text;
    }
  };
  collect(renderEnvironment(env).flatMap((chart) => chart.objects));
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
  collect(Testing.synth(chart));
  return plans;
}

describe('the PySpark job runner (jobs/dataplane_job)', () => {
  test('passes its unittest suite, including every plan rendered here run against the fake session', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plans-'));
    try {
      const plans = renderedPlans();
      expect(Object.keys(plans).sort()).toEqual(
        [
          'backfill-raw-trades-2026081900-2026081906-plan',
          'etl-plan',
          'migration-plan',
          'offload-trading-bronze-plan',
          'offload-trading-gold-plan',
          'offload-trading-raw-plan',
          'offload-trading-silver-plan',
          'profiling-plan',
          'trading-audit-plan',
          'trading-compaction-plan',
          'trading-manifest-rewrite-plan',
          'trading-orphan-cleanup-plan',
          'trading-snapshot-expiry-plan',
        ].sort(),
      );
      for (const [name, text] of Object.entries(plans)) fs.writeFileSync(path.join(dir, `${name}.json`), text);
      const run = spawnSync(pythonBin(), ['-m', 'unittest', 'discover', '-s', 'tests', '-t', '.', '-v'], {
        cwd: path.join(PACKAGE_ROOT, 'jobs'),
        env: { ...process.env, DATAPLANE_RENDERED_PLANS: dir, PYTHONDONTWRITEBYTECODE: '1' },
        encoding: 'utf8',
        // The offload writer's scenarios commit to a real catalog and run ClickHouse's engine: most of the time.
        timeout: 300_000,
      });
      const output = `${run.stdout}${run.stderr}`;
      expect({ status: run.status, output }).toEqual({ status: 0, output: expect.stringMatching(/\nOK\n/) });
      expect(output).not.toMatch(/skipped=|\.\.\. skipped/);
      expect(output).toMatch(/test_every_rendered_plan_runs_to_the_end .* ok/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
