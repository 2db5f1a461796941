import { formatFinding, validateDirectory } from '../../validation';
import { FIXTURES } from './helpers';

const lines = (environment: string) => validateDirectory(FIXTURES, [environment]).findings.map(formatFinding);

describe('manifest fixtures', () => {
  test('a realistic data plane (RBAC, config, workloads, policies, Spark applications) has no findings', () => {
    const report = validateDirectory(FIXTURES, ['clean']);
    expect(report.findings.map(formatFinding)).toEqual([]);
    expect(report.objectCount).toBe(16);
  });

  test('a typo in a field name is an unknown field', () => {
    expect(lines('typo-field')).toEqual([
      `${FIXTURES}/typo-field/web.k8s.yaml: Deployment default/web: spec.replica: unknown field "replica"`,
    ]);
  });

  test('a value outside the enum the 1.28 server publishes is rejected', () => {
    expect(lines('bad-enum')).toEqual([
      `${FIXTURES}/bad-enum/cron-job.k8s.yaml: CronJob default/nightly: spec.concurrencyPolicy: ` +
        'unsupported value "Forbidd"; supported values: "Allow", "Forbid", "Replace" (Kubernetes 1.28)',
    ]);
  });

  test('a malformed quantity is rejected', () => {
    expect(lines('bad-quantity')).toEqual([
      `${FIXTURES}/bad-quantity/pod.k8s.yaml: Pod default/worker: spec.containers[0].resources.limits.memory: ` +
        '"1Gb" is not a valid quantity (a number with an optional suffix, such as 500m, 1.5Gi or 2e3)',
    ]);
  });

  test('a six-field cron schedule is rejected', () => {
    expect(lines('six-field-cron')).toEqual([
      `${FIXTURES}/six-field-cron/cron-job.k8s.yaml: CronJob default/every-minute: spec.schedule: ` +
        'invalid value "0 * * * * *": expected exactly 5 fields, found 6: [0 * * * * *]',
    ]);
  });

  test('a 64-character namespace name is too long', () => {
    const name = 'analytics-team-with-a-very-long-name-that-does-not-fit-in-a-dns1';
    expect(lines('long-name')).toEqual([
      `${FIXTURES}/long-name/namespace.k8s.yaml: Namespace ${name}: metadata.name: ` +
        `invalid value "${name}": must be no more than 63 characters (is 64)`,
    ]);
  });

  test('an unknown field in a custom resource is rejected by the CRD schema', () => {
    expect(lines('unknown-crd-field')).toEqual([
      `${FIXTURES}/unknown-crd-field/spark-application.k8s.yaml: SparkApplication default/pi: spec.driver.coress: unknown field "coress"`,
    ]);
  });
});
