import { specialSecretSig, specialSigKey } from '@pulumi/pulumi/runtime/rpc';
import { ENVIRONMENT_NAMES, loadEnvironment, VERSIONS } from '../../config';
import { kubePrometheusStackValues } from '../../constructs/releases/kube-prometheus-stack';
import { SCHEDULED_JOB_METRIC_LABEL } from '../../constructs/conventions';
import { AWS_INPUTS } from '../helpers/platform-inputs';
import { installMocks, MockedResource, urnName } from '../helpers/pulumi-mocks';

const RELEASE = 'kubernetes:helm.sh/v3:Release';

/** What the tls and random providers would compute. */
const PROVIDER_OUTPUTS = {
  'tls:index/privateKey:PrivateKey': () => ({
    publicKeyPem: 'mock public pem',
    privateKeyPemPkcs8: 'mock pkcs8 pem',
    privateKeyPem: 'mock pkcs1 pem',
  }),
  'random:index/randomString:RandomString': () => ({ result: 'mockclientid' }),
  'random:index/randomPassword:RandomPassword': () => ({ result: 'mockclientsecret' }),
};

/** The value inside a Pulumi secret, failing unless the value is marked secret. */
function secretValue(value: any): any {
  expect(value?.[specialSigKey]).toBe(specialSecretSig);
  return value.value;
}

describe.each(ENVIRONMENT_NAMES)('platform services of %s under mocks', (envName) => {
  const env = loadEnvironment(envName);
  let resources: MockedResource[];
  const named = (name: string) => {
    const found = resources.find((r) => r.name === name);
    if (!found) throw new Error(`no resource ${name} among ${resources.map((r) => r.name).join(', ')}`);
    return found;
  };
  const deps = (name: string) => (named(name).dependsOn ?? []).map(urnName);
  const release = (component: string) => named(`${envName}-services-${component}-release`);

  beforeAll(async () => {
    jest.resetModules();
    resources = await installMocks(envName, {}, {}, PROVIDER_OUTPUTS);
    const { deployDataPlane } = await import('../../stacks/pulumi/program');
    deployDataPlane(env, { platform: AWS_INPUTS });
    await new Promise((r) => setTimeout(r, 200));
  });

  test('kube-prometheus-stack: the typed values of the environment, installed after the platform layer', () => {
    expect(release('monitoring').inputs.values).toEqual(kubePrometheusStackValues(env.monitoring.stack));
    expect(deps(`${envName}-services-monitoring-release`)).toContain(`${envName}-platform`);
  });

  test('installs the four charts at the pinned versions, from their repositories, with fixed release names', () => {
    const releases = resources
      .filter((r) => r.type === RELEASE)
      .map((r) => ({
        chart: r.inputs.chart,
        version: r.inputs.version,
        repo: r.inputs.repositoryOpts.repo,
        name: r.inputs.name,
        namespace: r.inputs.namespace,
        atomic: r.inputs.atomic,
      }));
    expect(releases.sort((a, b) => a.chart.localeCompare(b.chart))).toEqual([
      {
        chart: 'kube-prometheus-stack',
        version: VERSIONS.monitoring.chart,
        repo: VERSIONS.monitoring.chartRepository,
        name: 'kube-prometheus-stack',
        namespace: 'monitoring',
        atomic: true,
      },
      {
        chart: 'polaris',
        version: VERSIONS.polaris.chart,
        repo: VERSIONS.polaris.chartRepository,
        name: 'polaris',
        namespace: 'polaris',
        atomic: true,
      },
      {
        chart: 'spark-operator',
        version: VERSIONS.sparkOperator.chart,
        repo: VERSIONS.sparkOperator.chartRepository,
        name: 'spark-operator',
        namespace: 'spark-operator',
        atomic: true,
      },
      {
        chart: 'yunikorn',
        version: VERSIONS.yunikorn.chart,
        repo: VERSIONS.yunikorn.chartRepository,
        name: 'yunikorn',
        namespace: 'yunikorn',
        atomic: true,
      },
    ]);
  });

  test('Spark Operator: webhook, YuniKorn when an application names it, label-selected job namespaces, no chart-made Spark SA/RBAC, metrics, resources', () => {
    const v = release('spark-operator').inputs.values;
    expect(v.image).toEqual({
      registry: 'ghcr.io',
      repository: 'kubeflow/spark-operator/controller',
      tag: VERSIONS.sparkOperator.imageTag,
    });
    expect(v.webhook).toMatchObject({
      enable: true,
      port: 9443,
      failurePolicy: 'Fail',
      replicas: env.services?.sparkOperator?.webhookReplicas ?? 1,
    });
    expect(v.controller.batchScheduler).toEqual({ enable: true, default: '' });
    expect(v.controller.replicas).toBe(env.services?.sparkOperator?.controllerReplicas ?? 1);
    expect(v.spark).toEqual({
      jobNamespaces: [],
      jobNamespaceSelector: 'dataplane.io/spark-jobs=enabled',
      serviceAccount: { create: false },
      rbac: { create: false },
    });
    // Metrics per tenant namespace and scheduled job (the label the operator copies onto every run).
    expect(v.prometheus.metrics).toEqual({
      enable: true,
      port: 8080,
      labels: `namespace,${SCHEDULED_JOB_METRIC_LABEL.key}`,
    });
    expect(v.controller.resources).toEqual(
      env.services?.sparkOperator?.controllerResources ?? {
        requests: { cpu: '500m', memory: '1Gi' },
        limits: { cpu: '2', memory: '2Gi' },
      },
    );
    expect(v.webhook.resources.limits).toEqual({ cpu: '500m', memory: '256Mi' });
    expect(v.controller.nodeSelector).toEqual({ 'dataplane.io/node-pool': 'system' });
    expect(v.webhook.nodeSelector).toEqual({ 'dataplane.io/node-pool': 'system' });
  });

  test('YuniKorn: pinned images and placeholder, admission controller limited to the tenant namespaces', () => {
    const v = release('yunikorn').inputs.values;
    expect(v.image).toEqual({ repository: 'apache/yunikorn', tag: 'scheduler-1.8.0' });
    expect(v.admissionController.image).toEqual({ repository: 'apache/yunikorn', tag: 'admission-1.8.0' });
    expect(v.web.image).toEqual({ repository: 'apache/yunikorn', tag: 'web-1.8.0' });
    expect(v.embedAdmissionController).toBe(true);
    expect(v.admissionController.replicaCount).toBe(env.services?.yunikorn?.admissionControllerReplicas ?? 1);
    expect(v.yunikornDefaults).toEqual({
      'service.placeholderImage': VERSIONS.yunikorn.placeholderImage,
      'admissionController.filtering.processNamespaces': env.tenants.map((t) => `^${t.name}$`).join(','),
      'admissionController.filtering.bypassNamespaces': '^kube-system$',
      'admissionController.accessControl.bypassAuth': 'true',
    });
    expect(v.resources.requests).toEqual({ cpu: '200m', memory: '1Gi' });
  });

  test('YuniKorn: the run-time webhook configurations are Pulumi resources the release depends on, so they go after it', () => {
    const mutations = named(`${envName}-services-yunikorn-mutations`);
    const validations = named(`${envName}-services-yunikorn-validations`);
    expect(mutations.type).toBe('kubernetes:admissionregistration.k8s.io/v1:MutatingWebhookConfiguration');
    expect(mutations.inputs.metadata).toEqual({
      name: 'yunikorn-admission-controller-mutations',
      labels: { app: 'yunikorn' },
    });
    expect(mutations.inputs.webhooks).toBeUndefined();
    expect(validations.type).toBe('kubernetes:admissionregistration.k8s.io/v1:ValidatingWebhookConfiguration');
    expect(validations.inputs.metadata.name).toBe('yunikorn-admission-controller-validations');
    expect(deps(`${envName}-services-yunikorn-release`)).toEqual(
      expect.arrayContaining([mutations.name, validations.name]),
    );
  });

  test('Polaris: relational-jdbc from the persistence Secret, shared RSA token-broker keys, realm, probes, replicas, resources', () => {
    const v = release('polaris').inputs.values;
    const replicas = env.services?.polaris?.replicas ?? 1;
    expect(v.image).toEqual({ repository: 'apache/polaris', tag: '1.7.0' });
    expect(v.replicaCount).toBe(replicas);
    expect(v.persistence).toEqual({
      type: 'relational-jdbc',
      relationalJdbc: {
        secret: { name: 'polaris-persistence', username: 'username', password: 'password', jdbcUrl: 'jdbcUrl' },
      },
    });
    expect(v.authentication.tokenBroker).toEqual({
      type: 'rsa-key-pair',
      maxTokenGeneration: 'PT1H',
      secret: { name: 'polaris-token-broker', rsaKeyPair: { publicKey: 'public.pem', privateKey: 'private.pem' } },
    });
    expect(v.realmContext).toEqual({ type: 'default', realms: [env.catalog.realm] });
    expect(v.readinessProbe).toMatchObject({ periodSeconds: 5, failureThreshold: 3 });
    expect(v.livenessProbe).toMatchObject({ initialDelaySeconds: 20, failureThreshold: 6 });
    expect(v.resources).toEqual(
      env.services?.polaris?.resources ?? {
        requests: { cpu: '500m', memory: '1Gi' },
        limits: { cpu: '2', memory: '2Gi' },
      },
    );
    expect(v.podDisruptionBudget).toEqual(replicas > 1 ? { enabled: true, maxUnavailable: 1 } : { enabled: false });
    expect(v.serviceAccount).toEqual({ create: true, name: 'polaris' });
    expect(v.features).toEqual({ SUPPORTED_CATALOG_STORAGE_TYPES: ['S3'] });
  });

  test('Polaris: deploy-time Secrets from the AWS inputs, @pulumi/tls and @pulumi/random, created before the release', () => {
    const persistence = named(`${envName}-services-polaris-persistence`);
    expect(persistence.inputs.metadata).toEqual({ name: 'polaris-persistence', namespace: 'polaris' });
    expect(secretValue(persistence.inputs.stringData)).toEqual({
      username: 'polaris',
      password: 'mock-db-password',
      jdbcUrl: AWS_INPUTS.polarisDatabase.jdbcUrl,
    });
    expect(named(`${envName}-services-polaris-token-broker-key`).inputs).toEqual({ algorithm: 'RSA', rsaBits: 2048 });
    expect(secretValue(named(`${envName}-services-polaris-token-broker`).inputs.stringData)).toEqual({
      'public.pem': 'mock public pem',
      'private.pem': 'mock pkcs8 pem',
    });
    expect(named(`${envName}-services-polaris-root-client-secret`).inputs).toMatchObject({
      length: 40,
      special: false,
    });
    expect(secretValue(named(`${envName}-services-polaris-root-credentials`).inputs.stringData)).toEqual({
      'client-id': 'mockclientid',
      'client-secret': 'mockclientsecret',
    });
    expect(named(`${envName}-services-polaris-catalog-storage`).inputs.data).toEqual({
      'role-arn': AWS_INPUTS.catalogStorage.roleArn,
      'external-id': AWS_INPUTS.catalogStorage.externalId,
      'kms-key-arn': AWS_INPUTS.catalogStorage.kmsKeyArn,
    });
    expect(deps(`${envName}-services-polaris-release`)).toEqual(
      expect.arrayContaining([`${envName}-services-polaris-persistence`, `${envName}-services-polaris-token-broker`]),
    );
  });

  test('order: platform layer -> YuniKorn -> Spark Operator, Polaris -> tenants -> provisioning -> workloads', () => {
    const platform = `${envName}-platform`;
    const children = resources.filter(
      (r) =>
        r.name.startsWith(`${envName}-services-`) &&
        ![
          'dataplane:releases:Yunikorn',
          'dataplane:releases:SparkOperator',
          'dataplane:releases:Polaris',
          'dataplane:releases:KubePrometheusStack',
        ].includes(r.type),
    );
    expect(children.length).toBeGreaterThan(10);
    for (const child of children) expect(deps(child.name)).toContain(platform);

    expect(deps(`${envName}-services-spark-operator-release`)).toEqual(
      expect.arrayContaining([`${envName}-services-yunikorn-release`]),
    );
    const releases = resources.filter((r) => r.type === RELEASE).map((r) => r.name);
    expect(deps(`${envName}-tenants`)).toEqual(expect.arrayContaining(releases));
    expect(deps(`${envName}-provisioning`)).toContain(`${envName}-tenants`);
    expect(deps(`${envName}-workloads`)).toContain(`${envName}-provisioning`);
    // The monitors and rules need the stack's CRDs: the monitoring layer comes last.
    expect(deps(`${envName}-monitoring`)).toContain(`${envName}-workloads`);
  });

  test('the component tree: PlatformServices -> Yunikorn, SparkOperator, Polaris -> their releases', () => {
    const parentName = (name: string) => urnName(named(name).parent ?? '');
    expect(named(`${envName}-services`).type).toBe('dataplane:releases:PlatformServices');
    for (const [component, type] of [
      ['yunikorn', 'Yunikorn'],
      ['spark-operator', 'SparkOperator'],
      ['polaris', 'Polaris'],
    ]) {
      expect(named(`${envName}-services-${component}`).type).toBe(`dataplane:releases:${type}`);
      expect(parentName(`${envName}-services-${component}`)).toBe(`${envName}-services`);
      expect(parentName(`${envName}-services-${component}-release`)).toBe(`${envName}-services-${component}`);
    }
  });
});
