import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, runScript } from '../helpers/run-script';

describe('npm run report', () => {
  test('--env dev writes dist/dev/report.html and prints the summary', () => {
    const file = path.join(ROOT, 'dist', 'dev', 'report.html');
    fs.rmSync(file, { force: true });
    const result = runScript('scripts/report.ts', ['--env', 'dev']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^dev: \d+ scheduled jobs, \d+ runs in the reference week/);
    expect(result.stdout).toMatch(/\nalways on: 2 x t4g\.large system nodes = 4 CPU \/ 16 GiB/);
    expect(result.stdout).toMatch(/\nsaving: always-on .* fewer CPU-hours/);
    expect(result.stdout).toMatch(
      /\nalways-on cost: \$\d+\.\d\d\/month \(eu-west-1 on-demand prices of \d{4}-\d\d-\d\d, config\/prices.ts\)/,
    );
    expect(result.stdout).toMatch(/\n {2}- EKS control plane: \$73\.00/);
    expect(result.stdout).toContain('\ncommitments: ');
    expect(result.stdout).toContain('\nversions: kubernetes cluster 1.35');
    expect(result.stdout).toContain(`wrote ${path.join('dist', 'dev', 'report.html')}`);
    expect(fs.readFileSync(file, 'utf8')).toContain('<svg id="day-timeline"');
  });

  test('the report path never loads Pulumi', () => {
    const probe = `require('./stacks/report/index.ts'); require('./stacks/k8s/render.ts');
      console.log(JSON.stringify(Object.keys(require.cache).filter((m) => m.includes('@pulumi'))));`;
    const result = spawnSync(process.execPath, ['-r', './scripts/register.js', '-e', probe], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([]);
  });

  test('an unknown environment exits 1 with the message', () => {
    const result = runScript('scripts/report.ts', ['--env', 'qa']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`'qa' is not an environment; expected one of dev, staging, prod`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
