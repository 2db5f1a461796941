import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runScript } from '../helpers/run-script';
import { FIXTURES } from './helpers';

const validate = (args: string[], env: Record<string, string> = {}) => runScript('scripts/validate.ts', args, env);

describe('npm run validate', () => {
  test('prints one line per finding and exits 1', () => {
    const run = validate(['--dir', FIXTURES, '--env', 'typo-field,bad-enum', '--no-kubectl-validate']);
    expect(run.status).toBe(1);
    expect(run.stdout.trim().split('\n')).toEqual([
      `${FIXTURES}/bad-enum/cron-job.k8s.yaml: CronJob default/nightly: spec.concurrencyPolicy: unsupported value "Forbidd"; supported values: "Allow", "Forbid", "Replace" (Kubernetes 1.28)`,
      `${FIXTURES}/typo-field/web.k8s.yaml: Deployment default/web: spec.replica: unknown field "replica"`,
    ]);
    expect(run.stderr).toMatch(/^2 finding\(s\) in 2 objects/);
  });

  test('exits 0 with a one-line summary when everything is valid', () => {
    const run = validate(['--dir', FIXTURES, '--env', 'clean', '--no-kubectl-validate']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /^16 objects in 3 files \(clean\) valid for Kubernetes 1\.28 and 1\.35: no findings \(\d+ ms\)\n$/,
    );
  });

  test('checks the backfills beside the environments, with or without --env', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-'));
    fs.cpSync(path.join(FIXTURES, 'clean'), path.join(dir, 'dev'), { recursive: true });
    fs.cpSync(path.join(FIXTURES, 'typo-field'), path.join(dir, 'backfills', 'dev'), { recursive: true });
    const finding = `${dir}/backfills/dev/web.k8s.yaml: Deployment default/web: spec.replica: unknown field "replica"`;
    for (const args of [
      ['--dir', dir],
      ['--dir', dir, '--env', 'dev'],
    ]) {
      const run = validate(args);
      expect({ status: run.status, stdout: run.stdout.trim() }).toEqual({ status: 1, stdout: finding });
      expect(run.stderr).toMatch(/^1 finding\(s\) in 17 objects/);
    }
  });

  test('a missing schema folder names the path, the variable that overrides it, and README', () => {
    const run = validate(['--dir', FIXTURES, '--env', 'clean'], { DATAPLANE_SCHEMAS_DIR: '/nonexistent/schemas' });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      'error: Kubernetes schema data: 1 problem\n' +
        '  - /nonexistent/schemas/k8s-v1.28/openapi-v2/kube-apiserver-v1.28.0-swagger.json does not exist; point DATAPLANE_SCHEMAS_DIR ' +
        '(or DATAPLANE_SHARED_DIR, the folder holding it) at a copy of the pinned files. README, section "Schema data for offline validation", ' +
        'says where to fetch them and how to check them.\n',
    );
  });
});
