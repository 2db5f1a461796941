import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { DataPlaneError, loadEnvironment } from '../../config';
import {
  dataProfiling,
  icebergCompact,
  icebergEtl,
  icebergOrphanCleanup,
  icebergRewriteManifests,
  icebergSnapshotExpire,
  IcebergCompactOptions,
  JOB_TEMPLATE_CATALOG,
  JOB_TEMPLATE_DEFAULTS,
  JobTemplate,
  offloadAudit,
  schemaMigration,
  TemplateParams,
} from '../../constructs/workloads';
import { runJob } from '../../scripts/job';
import { renderTemplateJob } from '../../stacks/k8s';
import { runScript } from '../helpers/run-script';

const env = loadEnvironment('dev');
const clickhouse = { ...env.offload!.clickhouse, database: 'trading' };

/** Per template: the command-line assignments and the same options given to the factory function directly. */
const CASES: Record<string, { set: string[]; direct: JobTemplate }> = {
  'iceberg-etl': {
    set: [
      'source=clickhouse.trading.raw_trades',
      'target=trading.silver_trades',
      'transform=SELECT * FROM source',
      'window.column=event_ts',
      'window.from=2026-08-01T00:00:00Z',
      'window.to=2026-08-01T06:00:00Z',
      'failOnEmptySource=true',
    ],
    direct: icebergEtl({
      source: 'clickhouse.trading.raw_trades',
      target: 'trading.silver_trades',
      transform: 'SELECT * FROM source',
      window: { column: 'event_ts', from: '2026-08-01T00:00:00Z', to: '2026-08-01T06:00:00Z' },
      failOnEmptySource: true,
      clickhouse,
    }),
  },
  'iceberg-compact': {
    set: ['tables=trading.raw_trades,trading.bronze_trades', 'targetFileSize=256Mi', 'skipRecentHours=4'],
    direct: icebergCompact({
      tables: ['trading.raw_trades', 'trading.bronze_trades'],
      targetFileSize: '256Mi',
      skipRecentHours: 4,
    }),
  },
  'iceberg-snapshot-expire': {
    set: ['tables=trading.raw_trades', 'retention=10d', 'timeTravel=7d', 'retainLast=48'],
    direct: icebergSnapshotExpire({
      tables: ['trading.raw_trades'],
      retention: '10d',
      timeTravel: '7d',
      retainLast: 48,
    }),
  },
  'iceberg-orphan-cleanup': {
    set: ['tables=trading.raw_trades', 'olderThan=5d', 'dryRun=true'],
    direct: icebergOrphanCleanup({ tables: ['trading.raw_trades'], olderThan: '5d', dryRun: true }),
  },
  'iceberg-rewrite-manifests': {
    set: ['tables=trading.raw_trades'],
    direct: icebergRewriteManifests({ tables: ['trading.raw_trades'] }),
  },
  'data-profiling': {
    set: ['table=trading.silver_trades', 'sampleRows=5000'],
    direct: dataProfiling({ table: 'trading.silver_trades', sampleRows: 5000 }),
  },
  'schema-migration': {
    set: [
      'sourceCatalog.name=glue',
      'sourceCatalog.conf.=org.apache.iceberg.spark.SparkCatalog',
      'sourceCatalog.conf.type=glue',
      'namespace=legacy',
      'targetNamespace=trading',
      'tables=ref_symbols,ref_venues',
    ],
    direct: schemaMigration({
      sourceCatalog: { name: 'glue', conf: { '': 'org.apache.iceberg.spark.SparkCatalog', type: 'glue' } },
      namespace: 'legacy',
      targetNamespace: 'trading',
      tables: ['ref_symbols', 'ref_venues'],
    }),
  },
  'offload-audit': {
    set: [
      'layers[0].layer=raw',
      'layers[0].clickhouseTable=trading.raw_trades',
      'layers[0].icebergTable=trading.raw_trades',
      'layers[1].layer=bronze',
      'layers[1].clickhouseTable=trading.bronze_trades',
      'layers[1].icebergTable=trading.bronze_trades',
      'layers[1].warmRetentionHours=48',
      'resultTable=trading.audit_results',
      'lookback=3d',
      'skipRecentHours=3',
    ],
    direct: offloadAudit({
      layers: [
        { layer: 'raw', clickhouseTable: 'trading.raw_trades', icebergTable: 'trading.raw_trades' },
        {
          layer: 'bronze',
          clickhouseTable: 'trading.bronze_trades',
          icebergTable: 'trading.bronze_trades',
          warmRetentionHours: 48,
        },
      ],
      clickhouse,
      resultTable: 'trading.audit_results',
      lookback: '3d',
      skipRecentHours: 3,
    }),
  },
};

// The parameter list is typed against the factory's options: the compiler rejects one that is incomplete or wrong.
// @ts-expect-error -- 'tables' is missing
const missing: TemplateParams<IcebergCompactOptions> = {
  targetFileSize: { type: 'string', required: false, description: '' },
  skipRecentHours: { type: 'integer', required: false, description: '' },
  eventTimeColumn: { type: 'string', required: false, description: '' },
};
const wrongType: TemplateParams<IcebergCompactOptions> = {
  // @ts-expect-error -- 'tables' is a list, not a string
  tables: { type: 'string', required: true, description: '' },
  targetFileSize: { type: 'string', required: false, description: '' },
  skipRecentHours: { type: 'integer', required: false, description: '' },
  eventTimeColumn: { type: 'string', required: false, description: '' },
};
const optionalMarkedRequired: TemplateParams<IcebergCompactOptions> = {
  tables: { type: 'string-list', required: true, description: '' },
  // @ts-expect-error -- targetFileSize is optional
  targetFileSize: { type: 'string', required: true, description: '' },
  skipRecentHours: { type: 'integer', required: false, description: '' },
  eventTimeColumn: { type: 'string', required: false, description: '' },
};

describe('the template catalog', () => {
  test('has one definition per template, each named as the label its jobs carry', () => {
    expect(Object.keys(JOB_TEMPLATE_CATALOG).sort()).toEqual(Object.keys(CASES).sort());
    for (const [name, { direct }] of Object.entries(CASES)) {
      expect(direct.labels['dataplane.io/job-template']).toBe(name);
    }
    expect([missing, wrongType, optionalMarkedRequired]).toHaveLength(3);
  });

  test("lists each template's parameters with the factories' defaults", () => {
    const text = runJob(['list']);
    for (const definition of Object.values(JOB_TEMPLATE_CATALOG)) {
      expect(text).toContain(`${definition.name}: ${definition.description}`);
      for (const name of Object.keys(definition.params)) expect(text).toMatch(new RegExp(`\\n {4}${name} {2}\\(`));
    }
    expect(text).toContain(`targetFileSize  (string, default "${JOB_TEMPLATE_DEFAULTS.targetFileSize}")`);
    expect(text).toContain(`retainLast  (integer, default ${JOB_TEMPLATE_DEFAULTS.retainLast})`);
    expect(text).toContain('        column  (string, required)');
  });
});

describe('npm run job -- render', () => {
  let out: string;
  beforeEach(() => (out = fs.mkdtempSync(path.join(os.tmpdir(), 'job-'))));
  afterEach(() => fs.rmSync(out, { recursive: true, force: true }));
  const render = (template: string, ...args: string[]) =>
    runJob(['render', template, '--env', 'dev', '--tenant', 'trading', '--out', out, ...args]);
  const written = () =>
    fs.existsSync(path.join(out, 'dev'))
      ? fs.readdirSync(path.join(out, 'dev')).map((f) => path.join(out, 'dev', f))
      : [];

  test.each(Object.keys(CASES))('%s: renders the plan the factory builds, validated with the environment', (name) => {
    const { set, direct } = CASES[name];
    const message = render(name, ...set.flatMap((s) => ['--set', s]));
    const [file] = written();
    expect(message).toContain(`wrote ${file}`);
    const objects = parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS());
    const app = objects.find((o) => o.kind === 'SparkApplication');
    expect(app.metadata).toMatchObject({ namespace: 'trading', labels: direct.labels });
    expect(app.spec.batchSchedulerOptions.queue).toBe('root.tenants.trading');
    const plan = JSON.parse(objects.find((o) => o.kind === 'ConfigMap').data['plan.json']);
    expect(plan.steps).toEqual(direct.steps);
    expect(objects.some((o) => o.kind === 'NetworkPolicy')).toBe(direct.clickhouse !== undefined);
  });

  test('--schedule renders a ScheduledSparkApplication with the expected run time', () => {
    render('iceberg-rewrite-manifests', '--set', 'tables=trading.raw_trades', '--schedule', '15 2 * * *');
    const objects = parseAllDocuments(fs.readFileSync(written()[0], 'utf8')).map((d) => d.toJS());
    const scheduled = objects.find((o) => o.kind === 'ScheduledSparkApplication');
    expect(scheduled.spec.schedule).toBe('15 2 * * *');
    expect(scheduled.metadata.annotations['dataplane.io/expected-runtime-minutes']).toBe('30');
  });

  test('the same request renders the same name; other parameters another', () => {
    const a = renderTemplateJob(env, { template: 'iceberg-compact', tenant: 'trading', set: ['tables=trading.a'] });
    const b = renderTemplateJob(env, { template: 'iceberg-compact', tenant: 'trading', set: ['tables=trading.a'] });
    const c = renderTemplateJob(env, { template: 'iceberg-compact', tenant: 'trading', set: ['tables=trading.b'] });
    expect(a.name).toBe(b.name);
    expect(c.name).not.toBe(a.name);
  });

  const problemsOf = (fn: () => unknown): readonly string[] => {
    try {
      fn();
    } catch (error) {
      if (error instanceof DataPlaneError) return error.problems;
      throw error;
    }
    throw new Error('expected a DataPlaneError');
  };

  test.each([
    [
      'an unknown template',
      ['render', 'iceberg-vacuum', '--env', 'dev', '--tenant', 'trading'],
      [`'template' is "iceberg-vacuum"; expected one of ${Object.keys(JOB_TEMPLATE_CATALOG).join(', ')}`],
    ],
    [
      'an unknown tenant',
      ['render', 'iceberg-compact', '--env', 'dev', '--tenant', 'nobody', '--set', 'tables=trading.t'],
      [`'--tenant' is "nobody"; expected a tenant of dev: trading, analytics`],
    ],
    [
      'a missing required parameter',
      ['render', 'data-profiling', '--env', 'dev', '--tenant', 'trading', '--set', 'table=trading.t'],
      [`'sampleRows' is missing; expected a value (About how many rows are sampled.)`],
    ],
    [
      'ill-typed and unknown parameters',
      [
        'render',
        'iceberg-orphan-cleanup',
        '--env',
        'dev',
        '--tenant',
        'trading',
        ...['--set', 'tables=trading.t', '--set', 'dryRun=yes', '--set', 'keep=1', '--set', 'noequals'],
      ],
      [
        `'dryRun' is "yes"; expected true or false`,
        `'keep' is not a parameter here; expected one of tables, olderThan, dryRun`,
        `'--set' is "noequals"; expected key=value, e.g. tables=trading.raw_trades`,
      ],
    ],
    [
      'a value the template refuses',
      ['render', 'iceberg-orphan-cleanup', '--env', 'dev', '--tenant', 'trading', '--set', 'tables=trading.t'].concat(
        '--set',
        'olderThan=2h',
      ),
      [expect.stringMatching(/^'olderThan' is "2h"; expected at least 24h/)],
    ],
    [
      'a job that does not fit the tenant quota',
      // Maintenance templates run in the 2 CPU maintenance profile, which fits; a large-scale ETL does not.
      ['render', 'iceberg-etl', '--env', 'dev', '--tenant', 'analytics']
        .concat('--set', 'source=analytics.a', '--set', 'target=analytics.b')
        .concat('--set', 'transform=SELECT * FROM source', '--set', 'profile=large-scale'),
      [
        expect.stringMatching(
          /environments\/dev\.yaml:\d+: 'tenants\[1\]\.budget' is .*; expected a budget that holds each of the tenant's Spark jobs at its peak, or smaller profiles: iceberg-etl-[0-9a-f]{8} \(/,
        ),
      ],
    ],
    [
      'the ClickHouse server, which comes from the environment',
      [
        'render',
        'iceberg-rewrite-manifests',
        '--env',
        'dev',
        '--tenant',
        'trading',
        '--set',
        'tables=trading.t',
      ].concat('--set', 'clickhouse=x'),
      [`'clickhouse' is not a parameter here; expected one of tables`],
    ],
    [
      'missing flags',
      ['render', 'iceberg-compact', '--expected-runtime', '0'],
      [
        `'--env' is missing`,
        `'--tenant' is missing`,
        `'--expected-runtime' is "0"; expected a whole number of minutes >= 1`,
        `'--expected-runtime' needs --schedule; a job that runs once has no schedule to keep clear`,
      ],
    ],
  ])('refuses %s with one line per problem and writes nothing', (_, args, expected) => {
    expect(problemsOf(() => runJob([...args, '--out', out]))).toEqual(expected);
    expect(written()).toEqual([]);
  });

  test('the command answers --help, and a bad flag gets one line without a stack trace', () => {
    expect(runScript('scripts/job.ts', ['--help'])).toMatchObject({
      status: 0,
      stdout: expect.stringMatching(/^usage:/),
    });
    const bogus = runScript('scripts/job.ts', ['render', 'iceberg-compact', '--bogus']);
    expect(bogus.status).toBe(1);
    expect(bogus.stderr).toBe("error: job: 1 problem\n  - Unknown option '--bogus'; see --help\n");
    const file = path.join(out, 'a-file');
    fs.writeFileSync(file, '');
    const outFile = runScript('scripts/job.ts', ['render', 'x', '--env', 'dev', '--tenant', 'trading', '--out', file]);
    expect(outFile.stderr).toContain(`'--out' is ${JSON.stringify(file)}, a file; expected a folder`);
  });

  test('--local runs instead of writing: with --out it is refused, and a job reading ClickHouse is refused before any server starts', () => {
    const both = runScript('scripts/job.ts', [
      ...['render', 'iceberg-compact', '--env', 'dev', '--tenant', 'trading', '--set', 'tables=trading.raw_trades'],
      ...['--local', '--out', out],
    ]);
    expect({ status: both.status, stderr: both.stderr }).toEqual({
      status: 1,
      stderr:
        "error: job: 1 problem\n  - '--out' and '--local' exclude each other; --local runs the job instead of writing it\n",
    });
    const audit = runScript('scripts/job.ts', [
      ...['render', 'offload-audit', '--env', 'dev', '--tenant', 'trading', '--local'],
      ...CASES['offload-audit'].set.flatMap((assignment) => ['--set', assignment]),
    ]);
    expect(audit.status).toBe(1);
    expect(audit.stderr).toMatch(
      /^error: job \S+: 1 problem\n {2}- local plane: \S+: expected a plan that reads no ClickHouse/,
    );
    expect(audit.stdout).not.toContain('local: ');
    expect(written()).toEqual([]);
  });
});
