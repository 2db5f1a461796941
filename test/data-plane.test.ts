import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { parse, parseDocument } from 'yaml';
import { ConfigError, environmentsDir, loadEnvironment, parseEnvironment, PropsError } from '../config';
import { DataPlane, DataPlaneTenantInput, CHART_ORDER } from '../stacks/k8s';
import { buildReport } from '../stacks/report';
import type { ScheduledJobInput } from '../config';

// A tenant and a job as a consumer team would add them; the same two written into the environment file must give the
// same objects.
const RISK: DataPlaneTenantInput = {
  name: 'risk',
  owner: 'risk-analytics',
  budget: { cpu: 4, memory: '16Gi', pods: 20, guaranteed: { cpu: 2, memory: '8Gi' } },
  catalogAccess: { write: ['risk'], read: ['trading'] },
};
const NIGHTLY: ScheduledJobInput = {
  name: 'risk-positions-compact',
  template: 'iceberg-compact',
  tenant: 'risk',
  schedule: '30 4 * * *',
  expectedRuntimeMinutes: 20,
  parameters: { tables: ['risk.positions'], targetFileSize: '256Mi' },
};

const DEV_FILE = path.join(environmentsDir(), 'dev.yaml');

/** dev.yaml with `edit` applied to its document, parsed as the loader parses a file. */
function devWith(edit: (doc: ReturnType<typeof parseDocument>) => void) {
  const doc = parseDocument(fs.readFileSync(DEV_FILE, 'utf8'));
  edit(doc);
  return parseEnvironment(doc.toString(), DEV_FILE, 'dev');
}

function objectsOf(plane: DataPlane) {
  return Object.fromEntries(CHART_ORDER.map((layer) => [layer, plane.charts[layer].toJson()]));
}

function build(env = loadEnvironment('dev'), id = 'dev') {
  return new DataPlane(new App(), id, { environment: env });
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a refusal');
}

/** The tenant's leaf of YuniKorn's queues.yaml, and its plan in the Polaris provisioning ConfigMap. */
function tenantWiring(objects: Record<string, any[]>, tenant: string) {
  const queuesYaml = objects.platform.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'yunikorn-configs');
  const queues = parse(queuesYaml.data['queues.yaml']);
  const leaf = queues.partitions[0].queues[0].queues[0].queues.find((q: any) => q.name === tenant);
  const planMap = objects.provisioning.find((o) => o.kind === 'ConfigMap' && o.metadata.name.endsWith('-plan'));
  const plan = JSON.parse(Object.values(planMap.data as Record<string, string>)[0]);
  return { leaf, plan: plan.tenants.find((t: any) => t.tenant === tenant) };
}

describe('DataPlane', () => {
  test('two environments fit in one App, each under its own construct path', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'dataplane-')) });
    const dev = new DataPlane(app, 'dev', { environment: loadEnvironment('dev') });
    const staging = new DataPlane(app, 'staging', { environment: loadEnvironment('staging') });
    expect(dev.charts.tenants.node.path).toBe('dev/tenants');
    expect(staging.charts.tenants.node.path).toBe('staging/tenants');
    app.synth();
    const files = fs.readdirSync(app.outdir);
    expect(files.length).toBe(2 * CHART_ORDER.length);
    for (const [plane, name] of [
      [dev, 'dev'],
      [staging, 'staging'],
    ] as const) {
      const labels = plane.charts.workloads.toJson().map((o: any) => o.metadata.labels['dataplane.io/environment']);
      expect(new Set(labels)).toEqual(new Set([name]));
    }
  });

  test('a tenant and a job added in TypeScript give exactly the objects the same two give in the file', () => {
    const fromFile = build(
      devWith((doc) => {
        const { catalogAccess, ...tenant } = RISK;
        doc.addIn(['tenants'], doc.createNode(tenant));
        doc.setIn(['services', 'polaris', 'catalogAccess', 'risk'], doc.createNode(catalogAccess));
        doc.setIn(['jobs', 'scheduled'], doc.createNode([NIGHTLY]));
      }),
    );
    const fromCode = build();
    const before = objectsOf(fromCode);
    fromCode.addTenant(RISK);
    fromCode.addScheduledJob(NIGHTLY);

    const [file, code] = [objectsOf(fromFile), objectsOf(fromCode)];
    expect(code).toEqual(file);
    expect(code).not.toEqual(before);
    // What the tenant is wired to: its namespace, quota, leaf queue, principal, grants and credentials Secret.
    const { leaf, plan } = tenantWiring(code, 'risk');
    expect(leaf.resources).toEqual({
      guaranteed: { vcore: '2', memory: String(8 * 2 ** 30) },
      max: { vcore: '4', memory: String(16 * 2 ** 30) },
    });
    expect(plan).toMatchObject({
      principal: 'risk-spark',
      catalogRole: 'risk-spark',
      credentialsSecret: { namespace: 'risk', name: 'polaris-spark-credentials' },
    });
    expect(plan.grants.map((g: any) => g.namespace)).toEqual(['risk', 'trading']);
    expect(code.tenants.filter((o: any) => o.metadata.namespace === 'risk').map((o: any) => o.kind)).toContain(
      'ResourceQuota',
    );
    const job = code.workloads.find((o: any) => o.metadata.name === NIGHTLY.name);
    expect(job).toMatchObject({ kind: 'ScheduledSparkApplication', metadata: { namespace: 'risk' } });
    // The model the report reads has them too.
    expect(fromCode.environment.tenants.map((t) => t.name)).toContain('risk');
    expect(fromCode.environment.jobs.scheduled.map((j) => j.name)).toEqual([NIGHTLY.name]);
  });

  test('the report reads the tenant and the job added in TypeScript', () => {
    const plane = build();
    plane.addTenant(RISK);
    plane.addScheduledJob(NIGHTLY);
    const charts = CHART_ORDER.map((name) => ({ name, objects: plane.charts[name].toJson() }));
    const report = buildReport(plane.environment, charts);
    expect(report.tenants).toContain('risk');
    expect(report.jobs.find((j) => j.name === NIGHTLY.name)).toMatchObject({ tenant: 'risk', schedule: '30 4 * * *' });
    expect(report.tenantCosts.find((c) => c.tenant === 'risk')).toMatchObject({ jobs: 1 });
  });

  // Each bad case: the TypeScript door refuses it naming the construct and the reason, the file door refuses the same
  // entry, and a refused addition leaves the data plane as it was.
  const etl = (over: Partial<ScheduledJobInput> & { parameters?: Record<string, unknown> }): ScheduledJobInput => ({
    name: 'etl-raw',
    template: 'iceberg-etl',
    tenant: 'trading',
    schedule: '30 4 * * *',
    ...over,
    parameters: {
      source: 'trading.raw_trades',
      target: 'trading.raw_copy',
      transform: 'SELECT * FROM source',
      ...over.parameters,
    },
  });
  const badJobs: [string, ScheduledJobInput, RegExp][] = [
    [
      'a job for a tenant that does not exist',
      etl({ tenant: 'nobody' }),
      /'jobs\.scheduled\[0\]\.tenant' is "?nobody"?; expected one of the tenants/,
    ],
    [
      'a large-scale job (50 CPU peak) in the 8-CPU analytics tenant',
      etl({
        tenant: 'analytics',
        parameters: { source: 'trading.raw_trades', target: 'analytics.big', profile: 'large-scale' },
      }),
      /'tenants\[1\]\.budget'.*a budget that holds each of the tenant's Spark jobs at its peak.*etl-raw \(cpu .* exceeds tenant 'analytics' budget\.cpu 8/,
    ],
    [
      'a job writing trading.raw_trades in the same minute as its offload',
      etl({ schedule: '5 * * * *', parameters: { source: 'trading.bronze_trades', target: 'trading.raw_trades' } }),
      /'jobs\.scheduled\[0\]\.schedule' is "5 \* \* \* \*"; expected runs clear of offload of trading\.raw_trades \(offload\.runs\[0\]/,
    ],
    [
      'an unknown template',
      etl({ template: 'nope' }),
      /'jobs\.scheduled\[0\]\.template' is "nope"; expected one of iceberg-etl/,
    ],
    [
      'a parameter of the wrong type and an unknown one',
      etl({ parameters: { failOnEmptySource: 'yes', colour: 'red' } }),
      /'jobs\.scheduled\[0\]\.parameters\.failOnEmptySource' is "yes"; expected true or false[\s\S]*'jobs\.scheduled\[0\]\.parameters\.colour' is not a parameter here/,
    ],
  ];
  test.each(badJobs)('refuses %s, through either door', (_, job, reason) => {
    const plane = build();
    const before = objectsOf(plane);
    const error = thrown(() => plane.addScheduledJob(job));
    expect(error).toBeInstanceOf(PropsError);
    expect(error.message).toMatch(new RegExp(`^dev: addScheduledJob\\("${job.name}"\\): `));
    expect(error.message).toMatch(reason);
    expect(objectsOf(plane)).toEqual(before);
    expect(plane.environment.jobs.scheduled).toEqual([]);

    const fromFile = thrown(() => build(devWith((doc) => doc.setIn(['jobs', 'scheduled'], doc.createNode([job])))));
    expect(fromFile).toBeInstanceOf(ConfigError);
    expect(fromFile.message).toMatch(reason);
  });

  test('refuses two jobs with one name and a second tenant with an existing name', () => {
    const plane = build();
    plane.addScheduledJob(etl({}));
    expect(thrown(() => plane.addScheduledJob(etl({ schedule: '0 6 * * *' }))).message).toMatch(
      /^dev: addScheduledJob\("etl-raw"\): 1 problem\n {2}- 'jobs\.scheduled\[1\]\.name' is "etl-raw"; expected a job name not already used by jobs\.scheduled\[0\]/,
    );
    expect(thrown(() => plane.addTenant({ ...RISK, name: 'trading' })).message).toMatch(
      /^dev: addTenant\("trading"\): .*\n {2}- 'tenants\[2\]\.name' is "trading"; expected a tenant name not already used by tenants\[0\]/,
    );
    expect(plane.environment.tenants.map((t) => t.name)).toEqual(['trading', 'analytics']);
  });

  test('reports every problem of an addition at once, with the key and the value', () => {
    const error = thrown(() =>
      build().addTenant({ name: 'Bad_Name', owner: '', budget: { cpu: '1.0001', memory: '1Gi', pods: 0 } }),
    );
    expect(error).toBeInstanceOf(PropsError);
    const lines = (error as PropsError).problems.join('\n');
    expect(lines).toMatch(/'tenants\[2\]\.name' is "Bad_Name"/);
    expect(lines).toMatch(/'tenants\[2\]\.owner' is ""/);
    expect(lines).toMatch(/'tenants\[2\]\.budget\.cpu' is "1\.0001"/);
    expect(lines).toMatch(/'tenants\[2\]\.budget\.pods' is 0/);
  });

  test('a tenant that would break the queue configuration is refused: guarantees beyond the Spark capacity', () => {
    const error = thrown(() =>
      build().addTenant({
        ...RISK,
        budget: { cpu: 60, memory: '64Gi', pods: 10, guaranteed: { cpu: 60, memory: '8Gi' } },
      }),
    );
    expect(error.message).toMatch(/^dev: addTenant\("risk"\)/);
    expect(error.message).toMatch(/capacity\.spark\.maxCpu.*the sum of the tenants' guaranteed cpu/);
  });
});
