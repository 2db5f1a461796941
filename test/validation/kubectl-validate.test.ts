import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { loadAllEnvironments } from '../../config';
import { VERSIONS } from '../../config/versions';
import { renderEnvironment, writeEnvironment } from '../../stacks/k8s';
import { kubectlValidateVersions, runKubectlValidate } from '../../scripts/toolchain/kubectl-validate';
import { ensureGoTool } from '../../scripts/toolchain/local-tools';
import { runScript } from '../helpers/run-script';
import { FIXTURES } from './helpers';

// A clean clone builds kubectl-validate from the Go module proxy first (a few minutes); later runs reuse .local/bin.
const BUILD_TIMEOUT_MS = 20 * 60 * 1000;

describe('kubectl-validate (the apiserver validation code) agrees with the shipped output', () => {
  let binary: string;
  let dir: string;

  beforeAll(() => {
    binary = ensureGoTool('kubectlValidate');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataplane-kubectl-validate-'));
  }, BUILD_TIMEOUT_MS);

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('it checks the cluster version and the 1.28 floor', () => {
    expect(kubectlValidateVersions()).toEqual([VERSIONS.kubernetes.cluster, VERSIONS.kubernetes.apiFloor]);
  });

  test('every environment has zero findings', async () => {
    const environments = loadAllEnvironments();
    for (const env of environments) writeEnvironment(path.join(dir, 'dist'), env.name, renderEnvironment(env));
    const folders = environments.map((env) => path.join(dir, 'dist', env.name));
    expect(await runKubectlValidate(binary, folders)).toEqual([]);
  }, 120_000);

  test('it really runs: bad native and custom objects are reported, per version', async () => {
    const bad = path.join(dir, 'bad');
    fs.mkdirSync(bad);
    const objects = [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'default' },
        spec: {
          replica: 2,
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1' }] } },
        },
      },
      {
        apiVersion: 'sparkoperator.k8s.io/v1beta2',
        kind: 'SparkApplication',
        metadata: { name: 'pi', namespace: 'default' },
        spec: { type: 'Scala', sparkVersion: '4.0.1', mode: 'cluster', driver: {}, executor: { instance: 1 } },
      },
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PodMonitor',
        metadata: { name: 'spark', namespace: 'default' },
        spec: { selector: {}, podMetricsEndpoints: [{ portNumber: 'http' }] },
      },
    ];
    fs.writeFileSync(path.join(bad, 'bad.k8s.yaml'), objects.map((o) => stringify(o)).join('---\n'));
    const findings = await runKubectlValidate(binary, [bad]);
    const lines = findings.map((f) => `${f.document} ${f.version} ${f.message.split(':')[0]}`);
    for (const version of kubectlValidateVersions()) {
      expect(lines).toContain(`1 ${version} spec.replica`);
      expect(lines).toContain(`2 ${version} spec.executor.instance`);
      expect(lines).toContain(`3 ${version} spec.podMetricsEndpoints[0].portNumber`);
    }
  }, 120_000);

  test('a kind newer than the floor is checked at the cluster version only; a kind neither serves is reported', async () => {
    const newer = path.join(dir, 'newer');
    fs.mkdirSync(newer);
    const policy = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'p' },
      spec: { matchConstraints: { resourceRules: [] }, validations: [{ expression: 'true' }] },
    };
    const unserved = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'NoSuchPolicy', metadata: { name: 'q' } };
    const badPolicy = { ...policy, spec: { ...policy.spec, failurPolicy: 'Fail' } };
    fs.writeFileSync(
      path.join(newer, 'p.k8s.yaml'),
      [policy, unserved, badPolicy].map((o) => stringify(o)).join('---\n'),
    );
    const lines = (await runKubectlValidate(binary, [newer])).map((f) => `${f.document} ${f.version}`);
    expect(lines).not.toContain(`1 ${VERSIONS.kubernetes.apiFloor}`);
    expect(lines).not.toContain(`1 ${VERSIONS.kubernetes.cluster}`);
    expect(lines).toContain(`2 ${VERSIONS.kubernetes.apiFloor}`);
    expect(lines).toContain(`2 ${VERSIONS.kubernetes.cluster}`);
    expect(lines).toContain(`3 ${VERSIONS.kubernetes.cluster}`);
  }, 120_000);

  test('npm run validate runs it beside its own checks once it is installed', () => {
    const run = runScript('scripts/validate.ts', ['--dir', FIXTURES, '--env', 'typo-field']);
    expect(run.status).toBe(1);
    expect(run.stdout.trim().split('\n')).toEqual([
      `${FIXTURES}/typo-field/web.k8s.yaml: Deployment default/web: spec.replica: unknown field "replica"`,
      ...kubectlValidateVersions().map(
        (version) =>
          `${FIXTURES}/typo-field/web.k8s.yaml (document 1): kubectl-validate: spec.replica: Invalid value: value provided for unknown field (Kubernetes ${version})`,
      ),
    ]);
  }, 120_000);
});
