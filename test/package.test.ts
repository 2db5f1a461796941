import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DATAPLANE_COMMANDS } from '../scripts/dataplane';
import { CHART_ORDER } from '../stacks/k8s';
import { ROOT } from './helpers/run-script';

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8' });

const installedVersion = (name: string): string =>
  JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;

/** What another team does: install the packed tarball and build a chart from its own environment file. */
describe('the npm package', () => {
  let scratch: string;

  beforeAll(() => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pack-'));
    // Emit lib/ without a second type-check: `npm test` has already type-checked the sources.
    execFileSync(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--noCheck'],
      { cwd: ROOT },
    );
    const tarball = npm(['pack', '--ignore-scripts', '--pack-destination', work, '--json'], ROOT);
    const file = path.join(work, JSON.parse(tarball)[0].filename);

    scratch = path.join(work, 'consumer');
    fs.mkdirSync(path.join(scratch, 'environments'), { recursive: true });
    fs.writeFileSync(
      path.join(scratch, 'package.json'),
      JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }),
    );
    // As another team installs it: the tarball, and the cdk8s peers at the versions this repository is tested with,
    // from the registry into a throwaway cache, so nothing this machine has cached is used. The Pulumi peers are
    // optional and left out.
    // (@types/node is the example app's: a team writing TypeScript has it.)
    const peers = ['cdk8s', 'cdk8s-plus-28', 'constructs', '@types/node'].map(
      (name) => `${name}@${installedVersion(name)}`,
    );
    npm(['install', '--cache', path.join(work, 'npm-cache'), '--prefer-online', file, ...peers], scratch);
    // A consumer's own tenants (and no platform-service settings, which name the shipped tenants).
    const own = fs
      .readFileSync(path.join(ROOT, 'environments', 'dev.yaml'), 'utf8')
      .replace('name: analytics', 'name: research')
      .replace(/\nservices:[\s\S]*$/, '\n');
    fs.writeFileSync(path.join(scratch, 'environments', 'dev.yaml'), own);
  });

  test('installs with compiled JavaScript, type declarations and the public entry points', () => {
    const installed = path.join(scratch, 'node_modules', '@dataplane', 'spark-iceberg');
    for (const file of [
      'lib/index.js',
      'lib/index.d.ts',
      'lib/pulumi.d.ts',
      'lib/constructs/index.d.ts',
      'environments/dev.yaml',
    ]) {
      expect(fs.existsSync(path.join(installed, file))).toBe(true);
    }
    expect(fs.existsSync(path.join(installed, 'test'))).toBe(false);
    expect(fs.existsSync(path.join(installed, 'jobs', 'tests'))).toBe(false);
    // Of the scripts, only the commands `dataplane` runs (no benchmark, image or toolchain helpers).
    const commands = fs.readdirSync(path.join(installed, 'lib', 'scripts')).filter((f) => f.endsWith('.js'));
    expect(commands.sort()).toEqual(
      ['cli', 'dataplane', ...Object.keys(DATAPLANE_COMMANDS)].map((c) => `${c}.js`).sort(),
    );
  });

  test('a consumer builds a chart from its own environment file', () => {
    const consumer = `
      const { App } = require('cdk8s');
      const { loadEnvironment, buildDataPlane } = require('@dataplane/spark-iceberg');
      const env = loadEnvironment('dev', { dir: 'environments' });
      const charts = buildDataPlane(new App(), env);
      console.log(JSON.stringify(charts.tenants.toJson().filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name)));`;
    const out = execFileSync(process.execPath, ['-e', consumer], { cwd: scratch, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual(['trading', 'research']);
  });

  test('a tenant and a job added from TypeScript get the queue, principal, grants and checks the file gives them', () => {
    // The consumer's own file with the tenant and the job written in, against the same two added through DataPlane.
    const consumer = `
      const { App } = require('cdk8s');
      const { parseDocument } = require('yaml');
      const fs = require('fs');
      const { CHART_ORDER, DataPlane, loadEnvironment, parseEnvironment } = require('@dataplane/spark-iceberg');
      const tenant = { name: 'risk', owner: 'risk-desk', budget: { cpu: 4, memory: '16Gi', pods: 20 } };
      const access = { write: ['risk'], read: ['trading'] };
      const job = { name: 'risk-compact', template: 'iceberg-compact', tenant: 'risk', schedule: '30 4 * * *',
        parameters: { tables: ['risk.positions'] } };
      const objects = (plane) => Object.fromEntries(CHART_ORDER.map((l) => [l, plane.charts[l].toJson()]));

      const code = new DataPlane(new App(), 'dev', { environment: loadEnvironment('dev', { dir: 'environments' }) });
      code.addTenant({ ...tenant, catalogAccess: access });
      code.addScheduledJob(job);

      const doc = parseDocument(fs.readFileSync('environments/dev.yaml', 'utf8'));
      doc.addIn(['tenants'], doc.createNode(tenant));
      doc.setIn(['services', 'polaris', 'catalogAccess', 'risk'], doc.createNode(access));
      doc.setIn(['jobs', 'scheduled'], doc.createNode([job]));
      const file = new DataPlane(new App(), 'dev', { environment: parseEnvironment(doc.toString(), 'dev.yaml', 'dev') });

      const built = objects(code);
      const queues = built.platform.find((o) => o.metadata.name === 'yunikorn-configs').data['queues.yaml'];
      const planMap = built.provisioning.find((o) => o.kind === 'ConfigMap' && o.metadata.name.endsWith('-plan'));
      const plan = JSON.parse(Object.values(planMap.data)[0]).tenants.find((t) => t.tenant === 'risk');
      let refused;
      try {
        code.addScheduledJob({ ...job, name: 'risk-big', template: 'iceberg-etl',
          parameters: { source: 'trading.raw_trades', target: 'risk.copy', transform: 'SELECT * FROM source', profile: 'large-scale' } });
      } catch (error) { refused = error.message; }
      console.log(JSON.stringify({
        same: JSON.stringify(built) === JSON.stringify(objects(file)),
        queue: /^ *- name: risk$/m.test(queues),
        principal: plan.principal,
        grants: plan.grants.map((g) => g.namespace),
        job: built.workloads.filter((o) => o.metadata.name === 'risk-compact').map((o) => o.kind),
        refused,
      }));`;
    const out = JSON.parse(execFileSync(process.execPath, ['-e', consumer], { cwd: scratch, encoding: 'utf8' }));
    expect(out).toMatchObject({
      same: true,
      queue: true,
      principal: 'risk-spark',
      grants: ['risk', 'trading'],
      job: ['ScheduledSparkApplication'],
    });
    expect(out.refused).toMatch(/^dev: addScheduledJob\("risk-big"\): 1 problem/);
    expect(out.refused).toMatch(/risk-big \(cpu .* exceeds tenant 'risk' budget\.cpu 4/);
  });

  test('the cdk8s entry point does not need Pulumi installed', () => {
    expect(fs.existsSync(path.join(scratch, 'node_modules', '@pulumi'))).toBe(false);
  });

  const sharedDir = path.join(ROOT, '..', 'shared');

  test('the dataplane command synthesizes, lists templates and validates from the installed package', () => {
    const dataplane = (...args: string[]) =>
      execFileSync(path.join(scratch, 'node_modules', '.bin', 'dataplane'), args, {
        cwd: scratch,
        encoding: 'utf8',
        // The schema data the validator reads is found the way README documents: DATAPLANE_SHARED_DIR.
        env: { ...process.env, DATAPLANE_SHARED_DIR: sharedDir },
      });
    expect(dataplane('--help')).toMatch(/^usage: dataplane <command>/);
    // ./environments of the working directory: the consumer's own file, not the package's.
    expect(dataplane('synth', '--env', 'dev')).toMatch(
      new RegExp(`^dev: \\d+ objects in ${CHART_ORDER.length} files under dist/dev/`),
    );
    expect(fs.readFileSync(path.join(scratch, 'dist', 'dev', 'tenants.k8s.yaml'), 'utf8')).toContain('name: research');
    expect(dataplane('job', 'list')).toContain('iceberg-compact: ');
    expect(dataplane('validate', '--dir', 'dist')).toMatch(/no findings/);
  });

  test('the example app builds and synthesizes against the tarball', () => {
    const example = path.join(scratch, '..', 'example');
    fs.cpSync(path.join(ROOT, 'examples', 'consumer'), example, { recursive: true });
    fs.symlinkSync(path.join(scratch, 'node_modules'), path.join(example, 'node_modules'));
    // The repository's own compiler checks the example against the package's published declarations.
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], {
      cwd: example,
      encoding: 'utf8',
    });
    const out = execFileSync(process.execPath, ['lib/main.js'], { cwd: example, encoding: 'utf8' });
    // One file per layer, and the app's own.
    expect(out).toContain(`wrote ${CHART_ORDER.length + 1} files`);
    // The tenant and the job the app adds from TypeScript: namespace, leaf queue, principal and the job itself.
    const dist = (layer: string) => fs.readFileSync(path.join(example, 'dist', 'dev', `${layer}.k8s.yaml`), 'utf8');
    const namespaces = dist('tenants')
      .split(/^---$/m)
      .filter((doc) => /^kind: Namespace$/m.test(doc));
    expect(namespaces.some((doc) => /^ {2}name: risk$/m.test(doc))).toBe(true);
    expect(dist('platform')).toMatch(/^ *- name: risk$/m);
    expect(dist('provisioning')).toContain('"principal": "risk-spark"');
    expect(dist('workloads')).toContain('name: risk-positions-compact');
    const adhoc = fs.readFileSync(path.join(example, 'dist', 'dev', 'adhoc.k8s.yaml'), 'utf8');
    expect(adhoc).toContain('kind: SparkApplication');
    expect(adhoc).toContain('namespace: markets');
  });
});

/** Another team that uses every entry point installs the package with every declared peer, and nothing more. */
describe('the npm package with all its declared peers', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  let scratch: string;

  beforeAll(() => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'peers-'));
    execFileSync(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--noCheck'],
      { cwd: ROOT },
    );
    const tarball = npm(['pack', '--ignore-scripts', '--pack-destination', work, '--json'], ROOT);
    scratch = path.join(work, 'consumer');
    fs.mkdirSync(scratch);
    fs.writeFileSync(
      path.join(scratch, 'package.json'),
      JSON.stringify({ name: 'all-peers', version: '1.0.0', private: true }),
    );
    const peers = Object.keys(manifest.peerDependencies).map((name) => `${name}@${installedVersion(name)}`);
    // Install scripts fetch Pulumi plugins from the network; loading the entry points does not need them.
    npm(
      [
        'install',
        '--ignore-scripts',
        '--cache',
        path.join(work, 'npm-cache'),
        '--prefer-online',
        path.join(work, JSON.parse(tarball)[0].filename),
        ...peers,
      ],
      scratch,
    );
  });

  test('every entry point loads', () => {
    const entries = Object.keys(manifest.exports).filter((e) => e !== './package.json');
    const script = `for (const e of ${JSON.stringify(entries)}) {
      const m = require(e === '.' ? '@dataplane/spark-iceberg' : '@dataplane/spark-iceberg/' + e.slice(2));
      console.log(e, Object.keys(m).length);
    }`;
    const out = execFileSync(process.execPath, ['-e', script], { cwd: scratch, encoding: 'utf8' });
    expect(
      out
        .trim()
        .split('\n')
        .map((line) => line.split(' ')[0]),
    ).toEqual(entries);
    for (const line of out.trim().split('\n')) expect(Number(line.split(' ')[1])).toBeGreaterThan(0);
  });
});
