import { runScript } from '../helpers/run-script';
import { FIXTURES } from './helpers';

const validate = (args: string[], env: Record<string, string> = {}) => runScript('scripts/validate.ts', args, env);

describe('npm run validate', () => {
  test('prints one line per finding and exits 1', () => {
    const run = validate(['--dir', FIXTURES, '--env', 'typo-field,bad-enum']);
    expect(run.status).toBe(1);
    expect(run.stdout.trim().split('\n')).toEqual([
      `${FIXTURES}/bad-enum/cron-job.k8s.yaml: CronJob default/nightly: spec.concurrencyPolicy: unsupported value "Forbidd"; supported values: "Allow", "Forbid", "Replace" (Kubernetes 1.28)`,
      `${FIXTURES}/typo-field/web.k8s.yaml: Deployment default/web: spec.replica: unknown field "replica"`,
    ]);
    expect(run.stderr).toMatch(/^2 finding\(s\) in 2 objects/);
  });

  test('exits 0 with a one-line summary when everything is valid', () => {
    const run = validate(['--dir', FIXTURES, '--env', 'clean']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /^16 objects in 3 files \(clean\) valid for Kubernetes 1\.28 and 1\.35: no findings \(\d+ ms\)\n$/,
    );
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
