import { Testing } from 'cdk8s';
import { ContainerResources, EnvironmentConfig, loadEnvironment } from '../../config';
import { addWorkloads } from '../../constructs/workloads';
import { mergeValues, splitImage } from '../../constructs/releases/helm-values';
import { AWS_INPUTS } from '../helpers/platform-inputs';
import { installMocks, MockedResource } from '../helpers/pulumi-mocks';

const BAD: ContainerResources = { requests: { cpu: '2', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } };

describe('Helm release components', () => {
  let releases: typeof import('../../constructs/releases');
  let resources: MockedResource[];

  beforeAll(async () => {
    jest.resetModules();
    resources = await installMocks('dev');
    releases = await import('../../constructs/releases');
  });

  test('SparkOperator defaults: one controller and webhook replica, 10 workers, system nodes', () => {
    const op = new releases.SparkOperator('defaults');
    expect(op.values.controller).toMatchObject({
      replicas: 1,
      workers: 10,
      nodeSelector: { 'dataplane.io/node-pool': 'system' },
    });
    expect(op.values.webhook).toMatchObject({ replicas: 1, enable: true });
  });

  test('every release runs on the tainted system nodes at the platform priority; the operator upgrades its CRDs', () => {
    const toleration = { key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' };
    const placed = { tolerations: [toleration], priorityClassName: 'dataplane-platform' };
    const op = new releases.SparkOperator('placement');
    expect(op.values.controller).toMatchObject(placed);
    expect(op.values.webhook).toMatchObject(placed);
    // hook.upgradeCrd (chart 2.5.2): a pre-install/pre-upgrade Job applies the chart's CRDs on every chart bump.
    expect(op.values.hook).toEqual({
      upgradeCrd: true,
      image: { registry: 'ghcr.io', repository: 'kubeflow/spark-operator/kubectl', tag: '2.5.2' },
      nodeSelector: { 'dataplane.io/node-pool': 'system' },
      tolerations: [toleration],
    });
    const yk = new releases.Yunikorn('placement', { tenantNamespaces: ['trading'] });
    expect(yk.values).toMatchObject(placed);
    expect(yk.values.admissionController).toMatchObject(placed);
    const polaris = new releases.Polaris('placement', {
      realm: 'POLARIS',
      database: AWS_INPUTS.polarisDatabase,
      catalogStorage: AWS_INPUTS.catalogStorage,
    });
    expect(polaris.values).toMatchObject(placed);
  });

  test('the run-name timestamp precision is passed to the controller, and an unknown one is refused', () => {
    expect(new releases.SparkOperator('precision-default').values.controller).toMatchObject({
      scheduledSparkApplicationTimestampPrecision: 'nanos',
    });
    expect(
      new releases.SparkOperator('precision-millis', { runTimestampPrecision: 'millis' }).values.controller,
    ).toMatchObject({ scheduledSparkApplicationTimestampPrecision: 'millis' });
    expect(() => new releases.SparkOperator('precision-bad', { runTimestampPrecision: 'hours' as never })).toThrow(
      /'runTimestampPrecision' is "hours"; expected one of nanos, micros, millis, seconds, minutes/,
    );
  });

  test("one environment setting drives the controller's run names and the job-name length check", () => {
    // A data set whose job names (`<name>-snapshot-expiry`, 46 characters) fit millisecond run names only.
    const base = loadEnvironment('dev');
    const longName = 'a'.repeat(30);
    const withPrecision = (runTimestampPrecision?: 'millis') => ({
      ...base,
      datasets: base.datasets.map((d, i) => (i === 0 ? { ...d, name: longName } : d)),
      services: { ...base.services, sparkOperator: { ...base.services?.sparkOperator, runTimestampPrecision } },
    });
    const workloads = (env: EnvironmentConfig) => () => addWorkloads(Testing.chart(), env);
    expect(workloads(withPrecision())).toThrow(/'name' is "a{30}-[a-z-]+"; expected .* at most 43 characters/);
    const env = withPrecision('millis');
    expect(workloads(env)).not.toThrow();
    const services = new releases.PlatformServices('precision', { env, ...AWS_INPUTS });
    expect(services.sparkOperator.values.controller.scheduledSparkApplicationTimestampPrecision).toBe('millis');
  });

  test('extra values are deep-merged over the typed ones without touching the caller’s object', async () => {
    const extraValues = Object.freeze({
      controller: Object.freeze({
        logLevel: 'debug',
        batchScheduler: Object.freeze({ kubeSchedulerNames: ['default-scheduler'] }),
      }),
    });
    const op = new releases.SparkOperator('extra', { extraValues });
    expect(op.values.controller).toMatchObject({
      logLevel: 'debug',
      batchScheduler: { enable: true, default: '', kubeSchedulerNames: ['default-scheduler'] },
      workers: 10,
    });
    expect(extraValues).toEqual({
      controller: { logLevel: 'debug', batchScheduler: { kubeSchedulerNames: ['default-scheduler'] } },
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(resources.find((r) => r.name === 'extra-release')!.inputs.values.controller.logLevel).toBe('debug');
  });

  test.each([
    ['controllerReplicas', { controllerReplicas: 0 }, /'controllerReplicas' is 0; expected a whole number >= 1/],
    ['webhookReplicas', { webhookReplicas: 1.5 }, /'webhookReplicas' is 1.5/],
    ['workers', { workers: -1 }, /'workers' is -1/],
    ['controllerResources', { controllerResources: BAD }, /'controllerResources'.*requests.cpu 2 exceeds limits.cpu 1/],
    [
      'webhookResources',
      { webhookResources: { ...BAD, limits: { cpu: 'lots', memory: '1Gi' } } },
      /'webhookResources'.*limits.cpu "lots" is not a Kubernetes quantity/,
    ],
  ])('SparkOperator rejects a bad %s', (_key, args, message) => {
    expect(() => new releases.SparkOperator(`bad-${_key}`, args)).toThrow(message);
  });

  test('SparkOperator reports every problem at once', () => {
    expect(() => new releases.SparkOperator('many', { controllerReplicas: 0, workers: 0 })).toThrow(/2 problems/);
  });

  test.each([
    [
      'tenantNamespaces (empty)',
      { tenantNamespaces: [] },
      /'tenantNamespaces' is \[\]; expected at least one namespace/,
    ],
    ['tenantNamespaces (not a DNS label)', { tenantNamespaces: ['Trading'] }, /'tenantNamespaces\[0\]' is "Trading"/],
    [
      'admissionControllerReplicas',
      { tenantNamespaces: ['a'], admissionControllerReplicas: 0 },
      /'admissionControllerReplicas' is 0/,
    ],
    ['schedulerResources', { tenantNamespaces: ['a'], schedulerResources: BAD }, /'schedulerResources'/],
    [
      'admissionControllerResources',
      { tenantNamespaces: ['a'], admissionControllerResources: BAD },
      /'admissionControllerResources'/,
    ],
  ])('Yunikorn rejects a bad %s', (key, args, message) => {
    expect(() => new releases.Yunikorn(`bad-${key.split(' ')[0]}`, args)).toThrow(message);
  });

  test.each([
    ['realm', { realm: 'no spaces' }, /'realm' is "no spaces"/],
    ['replicas', { replicas: 0 }, /'replicas' is 0/],
    ['resources', { resources: BAD }, /'resources'/],
  ])('Polaris rejects a bad %s', (key, args, message) => {
    expect(
      () =>
        new releases.Polaris(`bad-${key}`, {
          realm: 'POLARIS',
          database: AWS_INPUTS.polarisDatabase,
          catalogStorage: AWS_INPUTS.catalogStorage,
          ...args,
        }),
    ).toThrow(message);
  });

  test('Polaris defaults: one replica without a disruption budget, system nodes', () => {
    const polaris = new releases.Polaris('defaults', {
      realm: 'POLARIS',
      database: AWS_INPUTS.polarisDatabase,
      catalogStorage: AWS_INPUTS.catalogStorage,
    });
    expect(polaris.values.replicaCount).toBe(1);
    expect(polaris.values.podDisruptionBudget).toEqual({ enabled: false });
    expect(polaris.values.nodeSelector).toEqual({ 'dataplane.io/node-pool': 'system' });
    expect(polaris.values.livenessProbe).toEqual({
      initialDelaySeconds: 20,
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold: 6,
    });
    expect(polaris.secrets).toHaveLength(3);
  });
});

describe('chart value helpers', () => {
  test('mergeValues: objects merge by key, lists and scalars replace, inputs stay as they were', () => {
    const base = { a: { b: 1, c: [1, 2] }, d: 'x' };
    const extra = { a: { c: [3], e: null }, f: true };
    expect(mergeValues(base, extra)).toEqual({ a: { b: 1, c: [3], e: null }, d: 'x', f: true });
    expect(base).toEqual({ a: { b: 1, c: [1, 2] }, d: 'x' });
    expect(extra).toEqual({ a: { c: [3], e: null }, f: true });
  });

  test('splitImage splits at the tag, keeping registry ports', () => {
    expect(splitImage('registry.k8s.io/pause:3.10')).toEqual({ repository: 'registry.k8s.io/pause', tag: '3.10' });
    expect(splitImage('localhost:5000/x/y:1.0')).toEqual({ repository: 'localhost:5000/x/y', tag: '1.0' });
    expect(() => splitImage('localhost:5000/x/y')).toThrow(/has no tag/);
  });
});
