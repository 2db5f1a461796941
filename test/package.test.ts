import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
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
    const peers = ['cdk8s', 'cdk8s-plus-28', 'constructs'].map((name) => `${name}@${installedVersion(name)}`);
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
    expect(fs.existsSync(path.join(installed, 'lib', 'scripts'))).toBe(false);
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

  test('the cdk8s entry point does not need Pulumi installed', () => {
    expect(fs.existsSync(path.join(scratch, 'node_modules', '@pulumi'))).toBe(false);
  });
});
