import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ENVIRONMENT_NAMES } from '../config';
import { ROOT, runScript } from './helpers/run-script';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'synth-'));

describe('npm run synth', () => {
  test('writes every layer of the selected environment only', () => {
    const out = tmp();
    const result = runScript('scripts/synth.ts', ['--env', 'staging', '--out', out]);
    expect(result.status).toBe(0);
    expect(fs.readdirSync(out)).toEqual(['staging']);
    expect(fs.readdirSync(path.join(out, 'staging')).sort()).toEqual([
      'monitoring.k8s.yaml',
      'platform.k8s.yaml',
      'provisioning.k8s.yaml',
      'tenants.k8s.yaml',
      'workloads.k8s.yaml',
    ]);
    expect(fs.readFileSync(path.join(out, 'staging', 'tenants.k8s.yaml'), 'utf8')).toMatch(
      /kind: Namespace\nmetadata:[\s\S]*name: trading/,
    );
  });

  test('writes every environment by default', () => {
    const out = tmp();
    expect(runScript('scripts/synth.ts', ['--out', out]).status).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual([...ENVIRONMENT_NAMES].sort());
  });

  test('bad configuration: one line per problem, no stack trace, non-zero exit, nothing written', () => {
    const envDir = tmp();
    for (const name of ENVIRONMENT_NAMES)
      fs.copyFileSync(path.join(ROOT, 'environments', `${name}.yaml`), path.join(envDir, `${name}.yaml`));
    const dev = path.join(envDir, 'dev.yaml');
    fs.writeFileSync(
      dev,
      fs.readFileSync(dev, 'utf8').replace('name: trading', 'name: Trading').replace('pods: 30', 'pods: -3'),
    );
    const out = tmp();

    const result = runScript('scripts/synth.ts', ['--out', out], { DATAPLANE_ENVIRONMENTS_DIR: envDir });

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(dev);
    expect(result.stderr).toContain(`${dev}:26: 'tenants[0].name' is Trading; expected a DNS label`);
    expect(result.stderr).toContain(`${dev}:31: 'tenants[1].budget.pods' is -3; expected a whole number >= 1`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  test('an unknown environment is rejected', () => {
    const result = runScript('scripts/synth.ts', ['--env', 'qa', '--out', tmp()]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /environment "qa" does not exist; expected one of the environments in .*: dev, prod, staging\n/,
    );
  });

  test('cdk8s synth runs the same app', () => {
    const out = tmp();
    const result = spawnSync(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s'), 'synth', '--check-upgrade=false', '-o', out],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, DATAPLANE_ENV: 'dev' },
      },
    );
    expect(result.status).toBe(0);
    expect(fs.readdirSync(path.join(out, 'dev')).sort()).toEqual([
      'monitoring.k8s.yaml',
      'platform.k8s.yaml',
      'provisioning.k8s.yaml',
      'tenants.k8s.yaml',
      'workloads.k8s.yaml',
    ]);
  });

  test('the synth path never loads Pulumi', () => {
    const probe = `require('./index.ts'); require('./stacks/k8s/render.ts');
      console.log(JSON.stringify(Object.keys(require.cache).filter((m) => m.includes('@pulumi'))));`;
    const result = spawnSync(process.execPath, ['-r', './scripts/register.js', '-e', probe], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([]);
  });
});
