import type { KubeObject } from '../../config';
import { TENANT_LABEL } from '../../constructs/conventions';
import {
  HOST_ACCESS_EXCEPTIONS,
  KUBERNETES_RULES,
  podsOf,
  runRules,
  SYNTHESIZED_LABEL,
  unpinnedImage,
} from '../../policies/index';

/** Messages of one rule over a set of objects. */
function messages(ruleName: string, ...objects: object[]): string[] {
  const rule = KUBERNETES_RULES.find((r) => r.name === ruleName);
  if (!rule) throw new Error(`no rule ${ruleName}`);
  return runRules([rule], objects as KubeObject[]).map((f) => f.violation.message);
}

const hardened = {
  runAsNonRoot: true,
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
};
const probe = { httpGet: { path: '/healthz', port: 8080 } };

function container(overrides: object = {}): object {
  return {
    name: 'app',
    image: 'ghcr.io/acme/app:1.2.3',
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '128Mi' } },
    securityContext: hardened,
    livenessProbe: probe,
    readinessProbe: probe,
    ...overrides,
  };
}

function deployment(pod: object = {}, c: object = {}, name = 'web', namespace = 'trading'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: { template: { spec: { containers: [container(c)], ...pod } } },
  };
}

function sparkApp(driver: object = {}): KubeObject {
  const role = { cores: 1, memory: '2g', securityContext: hardened };
  return {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'SparkApplication',
    metadata: { name: 'compaction', namespace: 'trading' },
    spec: { image: 'apache/spark:3.5.3', driver: { ...role, ...driver }, executor: role },
  };
}

describe('pod walker', () => {
  test.each([
    ['Pod', { containers: [container()] }],
    ['Job', { template: { spec: { containers: [container()] } } }],
    ['StatefulSet', { template: { spec: { containers: [container()] } } }],
    ['DaemonSet', { template: { spec: { containers: [container()] } } }],
    ['CronJob', { jobTemplate: { spec: { template: { spec: { containers: [container()] } } } } }],
  ])('finds the containers of a %s', (kind, spec) => {
    const pods = podsOf({ apiVersion: 'v1', kind, metadata: { name: 'x' }, spec });
    expect(pods.flatMap((p) => p.containers.map((c) => c.image))).toEqual(['ghcr.io/acme/app:1.2.3']);
  });

  test('maps the driver and executor of a (Scheduled)SparkApplication onto containers with requests and limits', () => {
    const app = sparkApp({ coreLimit: '1200m' });
    const scheduled = { ...app, kind: 'ScheduledSparkApplication', spec: { template: app.spec } };
    for (const obj of [app, scheduled]) {
      const [driver, executor] = podsOf(obj);
      expect(driver.containers[0]).toMatchObject({
        image: 'apache/spark:3.5.3',
        resources: { requests: { cpu: 1, memory: '2g' }, limits: { cpu: '1200m', memory: '2g' } },
      });
      expect(executor.path).toMatch(/executor$/);
    }
  });

  test('ignores objects without pods', () => {
    expect(podsOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: {} })).toEqual([]);
  });
});

describe('container rules', () => {
  test('container-resources rejects a container without a memory limit, and a Spark driver without memory', () => {
    expect(
      messages('container-resources', deployment({}, { resources: { requests: { cpu: '1', memory: '1Gi' } } })),
    ).toEqual([
      "Deployment trading/web: container 'app' has no resources.limits.memory (at spec.template.spec). Fix: set resources.limits.memory (for a Spark driver/executor: cores and memory)",
    ]);
    expect(messages('container-resources', sparkApp({ memory: undefined }))[0]).toMatch(
      /^SparkApplication trading\/compaction: container 'spark-kubernetes-driver' has no resources.requests.memory, resources.limits.memory \(at spec.driver\)\. Fix: set/,
    );
    expect(messages('container-resources', deployment(), sparkApp())).toEqual([]);
  });

  test('pinned-image-tag rejects a missing tag and latest, accepts a version tag or a digest', () => {
    expect(unpinnedImage('apache/spark')).toMatch(/without a tag/);
    expect(unpinnedImage('localhost:5000/spark')).toMatch(/without a tag/);
    expect(unpinnedImage('apache/spark:latest')).toMatch(/'latest'/);
    expect(unpinnedImage('localhost:5000/spark:3.5.3')).toBeUndefined();
    expect(unpinnedImage('apache/spark@sha256:0123abcd')).toBeUndefined();
    expect(messages('pinned-image-tag', deployment({}, { image: 'apache/spark:latest' }))).toEqual([
      "Deployment trading/web: container 'app' uses image 'apache/spark:latest' with the moving tag 'latest' (at spec.template.spec). Fix: pin the image to a version tag (e.g. `:3.5.3`) or a digest (`@sha256:…`)",
    ]);
    expect(
      messages('pinned-image-tag', deployment({ initContainers: [container({ name: 'init', image: 'busybox' })] }))[0],
    ).toMatch(/container 'init' uses image 'busybox' without a tag/);
    expect(messages('pinned-image-tag', deployment(), sparkApp())).toEqual([]);
  });

  test('no-privileged-containers', () => {
    expect(messages('no-privileged-containers', deployment({}, { securityContext: { privileged: true } }))).toEqual([
      "Deployment trading/web: container 'app' is privileged (at spec.template.spec). Fix: remove securityContext.privileged (grant only the capabilities it needs)",
    ]);
    expect(messages('no-privileged-containers', deployment())).toEqual([]);
  });

  test('no-host-path', () => {
    expect(
      messages('no-host-path', deployment({ volumes: [{ name: 'docker', hostPath: { path: '/var/run' } }] })),
    ).toEqual([
      "Deployment trading/web: volume 'docker' is a hostPath (at spec.template.spec). Fix: use an emptyDir, a ConfigMap/Secret or a PersistentVolumeClaim instead",
    ]);
    expect(messages('no-host-path', deployment({ volumes: [{ name: 'tmp', emptyDir: {} }] }))).toEqual([]);
  });

  test('no-host-namespaces rejects host namespaces except what the allow-list grants', () => {
    expect(messages('no-host-namespaces', deployment({ hostNetwork: true, hostPID: true }))).toEqual([
      'Deployment trading/web: sets hostNetwork: true (at spec.template.spec). Fix: remove hostNetwork, or add the workload to HOST_ACCESS_EXCEPTIONS in policies/kubernetes-rules.ts with the reason',
      'Deployment trading/web: sets hostPID: true (at spec.template.spec). Fix: remove hostPID, or add the workload to HOST_ACCESS_EXCEPTIONS in policies/kubernetes-rules.ts with the reason',
    ]);
    const yunikorn = HOST_ACCESS_EXCEPTIONS[0];
    expect(yunikorn.reason).not.toHaveLength(0);
    expect(
      messages('no-host-namespaces', deployment({ hostNetwork: true }, {}, yunikorn.name, yunikorn.namespace)),
    ).toEqual([]);
    expect(
      messages('no-host-namespaces', deployment({ hostPID: true }, {}, yunikorn.name, yunikorn.namespace)),
    ).toHaveLength(1);
    expect(messages('no-host-namespaces', sparkApp({ hostNetwork: true }))[0]).toMatch(
      /^SparkApplication trading\/compaction: sets hostNetwork: true \(at spec.driver\)/,
    );
  });

  test.each([
    [
      'run-as-non-root',
      { securityContext: {} },
      /container 'app' may run as root .*Fix: set securityContext.runAsNonRoot: true/,
    ],
    [
      'read-only-root-filesystem',
      { securityContext: { ...hardened, readOnlyRootFilesystem: false } },
      /has a writable root filesystem .*Fix: set securityContext.readOnlyRootFilesystem: true/,
    ],
    [
      'no-privilege-escalation',
      { securityContext: { ...hardened, allowPrivilegeEscalation: true } },
      /allows privilege escalation .*Fix: set securityContext.allowPrivilegeEscalation: false/,
    ],
    [
      'drop-all-capabilities',
      { securityContext: { ...hardened, capabilities: { drop: ['NET_RAW'] } } },
      /keeps the default Linux capabilities .*Fix: set securityContext.capabilities.drop: \[ALL\]/,
    ],
    [
      'long-running-probes',
      { livenessProbe: undefined },
      /container 'app' has no livenessProbe .*Fix: add a livenessProbe/,
    ],
  ])('advisory %s rejects a violating container and accepts a hardened one', (rule, overrides, expected) => {
    const found = messages(rule, deployment({}, overrides));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^Deployment trading\/web: /);
    expect(found[0]).toMatch(expected);
    expect(messages(rule, deployment())).toEqual([]);
  });

  test('run-as-non-root accepts the pod-level setting; long-running-probes ignores Jobs', () => {
    expect(
      messages('run-as-non-root', deployment({ securityContext: { runAsNonRoot: true } }, { securityContext: {} })),
    ).toEqual([]);
    const job = {
      ...deployment({}, { livenessProbe: undefined, readinessProbe: undefined }),
      kind: 'Job',
      apiVersion: 'batch/v1',
    };
    expect(messages('long-running-probes', job)).toEqual([]);
  });
});

describe('object rules', () => {
  const labels = { [SYNTHESIZED_LABEL.key]: SYNTHESIZED_LABEL.value };
  const secret = (extra: object, metadata: object = { labels }) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'creds', namespace: 'trading', ...metadata },
    ...extra,
  });

  test('no-secret-data rejects synthesized Secrets with values, not Secrets the Pulumi program creates from secret outputs', () => {
    expect(messages('no-secret-data', secret({ stringData: { password: 'x' } }))).toEqual([
      'Secret trading/creds: has stringData in the manifest. Fix: remove the values and let the owning service (e.g. the Polaris provisioner), a Pulumi secret or an external secret store write them at runtime',
    ]);
    expect(messages('no-secret-data', secret({ data: {} }), secret({}))).toEqual([]);
    expect(messages('no-secret-data', secret({ stringData: { password: 'x' } }, {}))).toEqual([]);
  });

  test('scheduled-spark-application-schedule', () => {
    const scheduled = (spec: object) => ({
      apiVersion: 'sparkoperator.k8s.io/v1beta2',
      kind: 'ScheduledSparkApplication',
      metadata: { name: 'nightly', namespace: 'trading' },
      spec,
    });
    expect(messages('scheduled-spark-application-schedule', scheduled({ schedule: '0 2 * * *' }))).toEqual([
      'ScheduledSparkApplication trading/nightly: has no spec.concurrencyPolicy. Fix: set spec.concurrencyPolicy (usually Forbid)',
      'ScheduledSparkApplication trading/nightly: has no spec.timeZone. Fix: set spec.timeZone to an IANA zone (e.g. Etc/UTC)',
    ]);
    expect(
      messages('scheduled-spark-application-schedule', scheduled({ concurrencyPolicy: 'Forbid', timeZone: 'Etc/UTC' })),
    ).toEqual([]);
  });

  test('cronjob-schedule', () => {
    const cron = (spec: object) => ({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'offload', namespace: 'trading' },
      spec,
    });
    expect(
      messages(
        'cronjob-schedule',
        cron({ concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 30, timeZone: 'Etc/UTC' }),
      ),
    ).toEqual([
      'CronJob trading/offload: has spec.startingDeadlineSeconds 30. Fix: set spec.startingDeadlineSeconds to at least 60',
    ]);
    expect(messages('cronjob-schedule', cron({}))).toHaveLength(3);
    expect(
      messages(
        'cronjob-schedule',
        cron({ concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 60, timeZone: 'Etc/UTC' }),
      ),
    ).toEqual([]);
  });
});

describe('environment rules', () => {
  const namespace = (name: string, tenant = true) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: tenant ? { [TENANT_LABEL]: name } : {} },
  });
  const inNs = (kind: string, name: string, extra: object = {}) => ({
    apiVersion: 'v1',
    kind,
    metadata: { name, namespace: 'trading' },
    ...extra,
  });
  const denyAll = inNs('NetworkPolicy', 'default-deny', {
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  });
  const isolated = [namespace('trading'), inNs('ResourceQuota', 'budget'), inNs('LimitRange', 'defaults'), denyAll];

  test.each([
    ['tenant-namespace-quota', 'has no ResourceQuota. Fix: add a ResourceQuota'],
    ['tenant-namespace-limit-range', 'has no LimitRange. Fix: add a LimitRange'],
    [
      'tenant-namespace-default-deny',
      'has no default-deny NetworkPolicy. Fix: add a NetworkPolicy with podSelector: {}',
    ],
  ])('%s rejects a bare tenant namespace and accepts an isolated one', (rule, expected) => {
    expect(messages(rule, namespace('trading'), namespace('spark-operator', false))).toEqual([
      expect.stringContaining(`Namespace trading: ${expected}`),
    ]);
    expect(messages(rule, ...isolated)).toEqual([]);
  });

  test('a NetworkPolicy that selects some pods or allows traffic is not a default deny', () => {
    const allowsDns = inNs('NetworkPolicy', 'default-deny', {
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], egress: [{ ports: [{ port: 53 }] }] },
    });
    const someSelected = inNs('NetworkPolicy', 'default-deny', {
      spec: { podSelector: { matchLabels: { a: 'b' } }, policyTypes: ['Ingress', 'Egress'] },
    });
    const ingressOnly = inNs('NetworkPolicy', 'default-deny', { spec: { podSelector: {}, policyTypes: ['Ingress'] } });
    for (const policy of [allowsDns, someSelected, ingressOnly]) {
      expect(messages('tenant-namespace-default-deny', namespace('trading'), policy)).toHaveLength(1);
    }
  });

  const driverSubject = { kind: 'ServiceAccount', name: 'spark-driver', namespace: 'trading' };
  const roleBinding = (roleRef: object, subjects: object[] = [driverSubject]) =>
    inNs('RoleBinding', 'driver', { roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef }, subjects });

  test('tenant-rbac-no-wildcards rejects wildcard roles in tenant namespaces or bound to tenant service accounts', () => {
    const wildRole = inNs('Role', 'driver', { rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['*'] }] });
    const wildClusterRole = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'anything' },
      rules: [{ apiGroups: [''], resources: ['*'], verbs: ['get'] }],
    };
    expect(messages('tenant-rbac-no-wildcards', namespace('trading'), wildRole)).toEqual([
      'Role trading/driver: grants `*` verbs or resources to tenant service accounts. Fix: list the exact verbs and resources in each rule',
    ]);
    expect(
      messages(
        'tenant-rbac-no-wildcards',
        namespace('trading'),
        wildClusterRole,
        roleBinding({ kind: 'ClusterRole', name: 'anything' }),
      ),
    ).toEqual([expect.stringMatching(/^ClusterRole anything: grants `\*`.*Fix:/)]);
    expect(
      messages(
        'tenant-rbac-no-wildcards',
        namespace('trading'),
        roleBinding({ kind: 'ClusterRole', name: 'cluster-admin' }),
      ),
    ).toEqual([
      'RoleBinding trading/driver: binds a tenant service account to the wildcard role cluster-admin. Fix: bind a Role listing the exact verbs and resources the job needs',
    ]);
    // The same wildcard role bound only to a platform service account is not a tenant grant.
    const platformBinding = roleBinding({ kind: 'ClusterRole', name: 'anything' }, [
      { kind: 'ServiceAccount', name: 'operator', namespace: 'spark-operator' },
    ]);
    expect(messages('tenant-rbac-no-wildcards', namespace('trading'), wildClusterRole, platformBinding)).toEqual([]);
    const exact = inNs('Role', 'driver', {
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['create', 'get', 'delete'] }],
    });
    expect(
      messages('tenant-rbac-no-wildcards', namespace('trading'), exact, roleBinding({ kind: 'Role', name: 'driver' })),
    ).toEqual([]);
  });

  test('no-tenant-cluster-role-binding', () => {
    const crb = (subjects: object[]) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'read-nodes' },
      roleRef: { kind: 'ClusterRole', name: 'view' },
      subjects,
    });
    expect(messages('no-tenant-cluster-role-binding', namespace('trading'), crb([driverSubject]))).toEqual([
      'ClusterRoleBinding read-nodes: binds a tenant service account cluster-wide. Fix: use a RoleBinding in the tenant namespace instead',
    ]);
    expect(
      messages(
        'no-tenant-cluster-role-binding',
        namespace('trading'),
        crb([{ kind: 'Group', name: 'system:serviceaccounts:trading' }]),
      ),
    ).toHaveLength(1);
    expect(
      messages(
        'no-tenant-cluster-role-binding',
        namespace('trading'),
        crb([{ kind: 'ServiceAccount', name: 'yunikorn', namespace: 'yunikorn' }]),
      ),
    ).toEqual([]);
  });
});

test('replicated-disruption-budget (advisory) wants a PDB selecting the pods of a replicated Deployment', () => {
  const replicated = {
    ...deployment(),
    spec: { replicas: 2, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container()] } } },
  };
  const pdb = (namespace: string, matchLabels: object) => ({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'web', namespace },
    spec: { maxUnavailable: 1, selector: { matchLabels } },
  });
  expect(messages('replicated-disruption-budget', replicated, pdb('other', { app: 'web' }))).toEqual([
    'Deployment trading/web: has several replicas and no PodDisruptionBudget. Fix: add a PodDisruptionBudget selecting its pods (e.g. maxUnavailable: 1)',
  ]);
  expect(messages('replicated-disruption-budget', replicated, pdb('trading', { app: 'web' }))).toEqual([]);
  expect(messages('replicated-disruption-budget', deployment())).toEqual([]);
});

test('every rule has a unique name, a description and a reason', () => {
  const names = KUBERNETES_RULES.map((r) => r.name);
  expect(new Set(names).size).toBe(names.length);
  for (const rule of KUBERNETES_RULES) {
    expect(rule.description.length).toBeGreaterThan(10);
    expect(rule.reason.length).toBeGreaterThan(10);
  }
});
