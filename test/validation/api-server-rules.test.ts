import { FieldPath, Problem } from '../../validation';
import * as fields from '../../validation/rules/pod-spec-fields';
import * as workloads from '../../validation/rules/workloads';
import * as rbac from '../../validation/rules/rbac';
import * as services from '../../validation/rules/services';
import { disruptionBudgetSpec } from '../../validation/rules/disruption-budgets';
import { finalizerNames } from '../../validation/rules/object-metadata';
import { podSecurityLabels } from '../../validation/rules/pod-security';
import * as spark from '../../validation/rules/spark-pods';
import * as pss from '../../validation/pod-security-standards';
import { SparkPod } from '../../validation/spark-pods';

const P: FieldPath = ['x'];
type Case = readonly [
  name: string,
  check: (value: Record<string, unknown>) => Problem[],
  bad: object,
  good: object,
  message: string,
];

const container = (extra: object = {}) => ({ name: 'main', image: 'busybox:1.36', ...extra });
const view = (spec: object) => pss.podViewOf(spec as Record<string, unknown>, ['spec']);
const driver = (extra: Record<string, unknown>, app: Record<string, unknown> = {}): SparkPod => ({
  role: 'driver',
  path: ['spec', 'driver'],
  fields: { cores: 1, memory: '1g', memoryOverhead: '512m', ...extra },
  app,
  appPath: ['spec'],
});
const mounts = new Set(['data']);

/** Each rule, a value it rejects (with part of the message) and the same value corrected. */
const CASES: readonly Case[] = [
  // pod-spec-fields.ts
  [
    'localDescendingPath',
    (v) => fields.localDescendingPath(v.p, P),
    { p: 'a/../b' },
    { p: 'a/b' },
    "must not contain '..'",
  ],
  [
    'volumeSourceCount',
    (v) => fields.volumeSourceCount(v, P),
    { name: 'd', emptyDir: {}, secret: {} },
    { name: 'd', emptyDir: {} },
    'may not specify more than 1 volume type',
  ],
  [
    'emptyDirSizeLimit',
    (v) => fields.emptyDirSizeLimit(v, P),
    { emptyDir: { sizeLimit: '-1' } },
    { emptyDir: { sizeLimit: '1Gi' } },
    'SizeLimit field must be a valid resource quantity',
  ],
  [
    'volumeFileModes',
    (v) => fields.volumeFileModes(v, P),
    { secret: { defaultMode: 1000 } },
    { secret: { defaultMode: 0o440 } },
    'between 0 and 0777',
  ],
  [
    'volumeItems',
    (v) => fields.volumeItems(v, P),
    { configMap: { items: [{ key: 'k', path: '/abs' }] } },
    { configMap: { items: [{ key: 'k', path: 'rel' }] } },
    'must be a relative path',
  ],
  [
    'volumeSourceNames',
    (v) => fields.volumeSourceNames(v, P),
    { secret: {} },
    { secret: { secretName: 's' } },
    'Required value',
  ],
  [
    'volumeMounts',
    (v) => fields.volumeMounts(v, P, mounts),
    { volumeMounts: [{ name: 'other', mountPath: '/d' }] },
    { volumeMounts: [{ name: 'data', mountPath: '/d' }] },
    'Not found: "other"',
  ],
  [
    'envVarSource',
    (v) => fields.envVarSource(v, P),
    { name: 'A', value: 'x', valueFrom: { fieldRef: {} } },
    { name: 'A', valueFrom: { fieldRef: {} } },
    'may not be specified when `value` is not empty',
  ],
  [
    'envVarKeyRefs',
    (v) => fields.envVarKeyRefs(v, P),
    { valueFrom: { secretKeyRef: { name: 's', key: 'a b' } } },
    { valueFrom: { secretKeyRef: { name: 's', key: 'a-b' } } },
    "must consist of alphanumeric characters, '-', '_' or '.'",
  ],
  [
    'envFromSources',
    (v) => fields.envFromSources(v, P),
    { envFrom: [{}] },
    { envFrom: [{ secretRef: { name: 's' } }] },
    'must specify one of',
  ],
  [
    'toleration',
    (v) => fields.toleration(v, P),
    { key: 'k', operator: 'Exists', value: 'v' },
    { key: 'k', operator: 'Exists' },
    "value must be empty when `operator` is 'Exists'",
  ],
  [
    'probe',
    (v) => fields.probe(v, P, 'liveness'),
    { exec: { command: ['true'] }, successThreshold: 3 },
    { exec: { command: ['true'] }, successThreshold: 1 },
    'must be 1',
  ],
  [
    'seccompProfile',
    (v) => fields.seccompProfile(v, P),
    { seccompProfile: { type: 'Localhost' } },
    { seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } },
    'must be set when seccomp type is Localhost',
  ],
  [
    'securityContextIds',
    (v) => fields.securityContextIds(v, P),
    { runAsGroup: -2 },
    { runAsGroup: 2 },
    'must be greater than or equal to 0',
  ],
  [
    'privilegeEscalation',
    (v) => fields.privilegeEscalation(v, P),
    { allowPrivilegeEscalation: false, privileged: true },
    { allowPrivilegeEscalation: false },
    'cannot set `allowPrivilegeEscalation` to false and `privileged` to true',
  ],
  ['nodeSelector', (v) => fields.nodeSelector(v, P), { 'a b': 'c' }, { 'a.io/b': 'c' }, 'name part must consist'],
  [
    'referenceNames',
    (v) => fields.referenceNames(v, P),
    { serviceAccountName: 'A_B' },
    { serviceAccountName: 'a-b' },
    'RFC 1123 subdomain',
  ],
  [
    'podDurations',
    (v) => fields.podDurations(v, P),
    { terminationGracePeriodSeconds: -1 },
    { terminationGracePeriodSeconds: 0 },
    'must be greater than or equal to 0',
  ],
  [
    'hostNetworkPorts',
    (v) => fields.hostNetworkPorts(v, P),
    { hostNetwork: true, containers: [{ ports: [{ containerPort: 80, hostPort: 81 }] }] },
    { hostNetwork: true, containers: [{ ports: [{ containerPort: 80, hostPort: 80 }] }] },
    'must match `containerPort`',
  ],
  [
    'dnsPolicy',
    (v) => fields.dnsPolicy(v, P),
    { dnsPolicy: 'None' },
    { dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'] } },
    'at least one DNS nameserver',
  ],
  [
    'topologySpread',
    (v) => fields.topologySpread(v, P),
    { topologySpreadConstraints: [{ maxSkew: 0 }] },
    { topologySpreadConstraints: [{ maxSkew: 1 }] },
    'must be greater than zero',
  ],
  [
    'hostAliases',
    (v) => fields.hostAliases(v, P),
    { hostAliases: [{ ip: '10.0.0' }] },
    { hostAliases: [{ ip: '10.0.0.1' }] },
    'must be a valid IP address',
  ],
  // workloads.ts
  [
    'jobCounters',
    (v) => workloads.jobCounters(v, P),
    { backoffLimit: -1 },
    { backoffLimit: 0 },
    'must be greater than or equal to 0',
  ],
  [
    'jobCompletionMode',
    (v) => workloads.jobCompletionMode(v, P),
    { completionMode: 'Indexed' },
    { completionMode: 'Indexed', completions: 3 },
    'when completion mode is Indexed',
  ],
  [
    'templateMatchesSelector',
    (v) => workloads.templateMatchesSelector(v, P),
    { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'c' } } } },
    { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } } } },
    '`selector` does not match template `labels`',
  ],
  [
    'cronJobCounters',
    (v) => workloads.cronJobCounters(v, P),
    { failedJobsHistoryLimit: -1 },
    { failedJobsHistoryLimit: 1 },
    'must be greater than or equal to 0',
  ],
  [
    'deploymentCounters',
    (v) => workloads.deploymentCounters(v, P),
    { minReadySeconds: 30, progressDeadlineSeconds: 30 },
    { minReadySeconds: 30, progressDeadlineSeconds: 31 },
    'must be greater than minReadySeconds',
  ],
  [
    'deploymentStrategy',
    (v) => workloads.deploymentStrategy(v, P),
    { strategy: { rollingUpdate: { maxSurge: '0%', maxUnavailable: 0 } } },
    { strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } },
    'may not be 0 when `maxSurge` is 0',
  ],
  // rbac.ts
  [
    'policyRule',
    (v) => rbac.policyRule(v, P, true),
    { apiGroups: [''], resources: ['pods'], verbs: [] },
    { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
    'verbs must contain at least one value',
  ],
  [
    'roleRef',
    (v) => rbac.roleRef(v, P, true),
    { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
    { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'r' },
    'supported values: "ClusterRole"',
  ],
  [
    'subject',
    (v) => rbac.subject(v, P, true),
    { kind: 'ServiceAccount', name: 'sa' },
    { kind: 'ServiceAccount', name: 'sa', namespace: 'ns' },
    'Required value',
  ],
  // services.ts
  [
    'servicePorts',
    (v) => services.servicePorts(v, P),
    { ports: [{ name: 'a', port: 80, nodePort: 70000 }] },
    { ports: [{ name: 'a', port: 80, nodePort: 30080 }] },
    'must be between 1 and 65535',
  ],
  [
    'serviceType',
    (v) => services.serviceType(v, P),
    { type: 'ClusterIP', ports: [{ port: 80, nodePort: 30080 }] },
    { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] },
    "may not be used when `type` is 'ClusterIP'",
  ],
  // disruption-budgets.ts, object-metadata.ts, pod-security.ts
  [
    'disruptionBudgetSpec',
    (v) => disruptionBudgetSpec(v, P),
    { minAvailable: 1, maxUnavailable: 1 },
    { minAvailable: 1 },
    'cannot be both set',
  ],
  [
    'finalizerNames',
    (v) => finalizerNames(v.f, P),
    { f: ['cleanup'] },
    { f: ['example.com/cleanup', 'kubernetes'] },
    'neither a standard finalizer name nor is it fully qualified',
  ],
  [
    'podSecurityLabels',
    (v) => podSecurityLabels(v),
    { 'pod-security.kubernetes.io/enforce': 'base' },
    { 'pod-security.kubernetes.io/enforce': 'baseline' },
    'must be one of privileged, baseline, restricted',
  ],
  // pod-security-standards.ts (baseline, then restricted)
  [
    'hostNamespaces',
    (v) => pss.hostNamespaces(view(v)),
    { hostIPC: true },
    { hostIPC: false },
    'host namespaces (hostIPC=true)',
  ],
  [
    'privileged',
    (v) => pss.privileged(view(v)),
    { containers: [container({ securityContext: { privileged: true } })] },
    { containers: [container()] },
    'privileged',
  ],
  [
    'capabilitiesBaseline',
    (v) => pss.capabilitiesBaseline(view(v)),
    { containers: [container({ securityContext: { capabilities: { add: ['CHOWN', 'BPF'] } } })] },
    { containers: [container({ securityContext: { capabilities: { add: ['CHOWN'] } } })] },
    '"BPF"',
  ],
  [
    'hostPathVolumes',
    (v) => pss.hostPathVolumes(view(v)),
    { volumes: [{ name: 'h', hostPath: { path: '/' } }] },
    { volumes: [{ name: 'h', emptyDir: {} }] },
    'hostPath volumes',
  ],
  [
    'hostPorts',
    (v) => pss.hostPorts(view(v)),
    { containers: [container({ ports: [{ containerPort: 80, hostPort: 80 }] })] },
    { containers: [container({ ports: [{ containerPort: 80 }] })] },
    'hostPort',
  ],
  [
    'appArmorProfile',
    (v) => pss.appArmorProfile(view(v)),
    { securityContext: { appArmorProfile: { type: 'Unconfined' } } },
    { securityContext: { appArmorProfile: { type: 'RuntimeDefault' } } },
    'forbidden AppArmor profile',
  ],
  [
    'seLinuxOptions',
    (v) => pss.seLinuxOptions(view(v)),
    { securityContext: { seLinuxOptions: { role: 'r' } } },
    { securityContext: { seLinuxOptions: { type: 'container_t' } } },
    'role may not be set',
  ],
  [
    'procMount',
    (v) => pss.procMount(view(v)),
    { containers: [container({ securityContext: { procMount: 'Unmasked' } })] },
    { containers: [container({ securityContext: { procMount: 'Default' } })] },
    'procMount',
  ],
  [
    'seccompBaseline',
    (v) => pss.seccompBaseline(view(v)),
    { securityContext: { seccompProfile: { type: 'Unconfined' } } },
    { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } },
    'Unconfined',
  ],
  [
    'sysctls',
    (v) => pss.sysctls(view(v)),
    { securityContext: { sysctls: [{ name: 'vm.swappiness' }] } },
    { securityContext: { sysctls: [{ name: 'net.ipv4.tcp_syncookies' }] } },
    'forbidden sysctls',
  ],
  [
    'windowsHostProcess',
    (v) => pss.windowsHostProcess(view(v)),
    { securityContext: { windowsOptions: { hostProcess: true } } },
    { securityContext: { windowsOptions: { hostProcess: false } } },
    'hostProcess',
  ],
  [
    'restrictedVolumes',
    (v) => pss.restrictedVolumes(view(v)),
    { volumes: [{ name: 'n', nfs: {} }] },
    { volumes: [{ name: 'n', persistentVolumeClaim: {} }] },
    'uses nfs',
  ],
  [
    'allowPrivilegeEscalation',
    (v) => pss.allowPrivilegeEscalation(view(v)),
    { containers: [container()] },
    { containers: [container({ securityContext: { allowPrivilegeEscalation: false } })] },
    'allowPrivilegeEscalation != false',
  ],
  [
    'runAsNonRoot',
    (v) => pss.runAsNonRoot(view(v)),
    { securityContext: { runAsNonRoot: true }, containers: [container({ securityContext: { runAsNonRoot: false } })] },
    { securityContext: { runAsNonRoot: true }, containers: [container()] },
    'runAsNonRoot != true',
  ],
  [
    'runAsUser',
    (v) => pss.runAsUser(view(v)),
    { securityContext: { runAsUser: 0 } },
    { securityContext: { runAsUser: 1000 } },
    'runAsUser=0',
  ],
  [
    'seccompRestricted',
    (v) => pss.seccompRestricted(view(v)),
    { containers: [container()] },
    { securityContext: { seccompProfile: { type: 'RuntimeDefault' } }, containers: [container()] },
    'seccompProfile',
  ],
  [
    'capabilitiesRestricted',
    (v) => pss.capabilitiesRestricted(view(v)),
    { containers: [container({ securityContext: { capabilities: { drop: ['NET_RAW'] } } })] },
    { containers: [container({ securityContext: { capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } } })] },
    'drop=["ALL"]',
  ],
  // spark-pods.ts (the driver/executor fields as the operator's pods)
  [
    'sparkMemory',
    (v) => spark.sparkMemory(driver(v)),
    { memory: '1.5g' },
    { memory: '1536m' },
    'Fractional values are not supported',
  ],
  [
    'sparkCores',
    (v) => spark.sparkCores(driver(v)),
    { cores: 2, coreLimit: '1' },
    { cores: 2, coreLimit: '2' },
    'must be greater than or equal to the CPU request of 2',
  ],
  [
    'sparkMetadata',
    (v) => spark.sparkMetadata(driver(v)),
    { labels: { 'a b': 'c' } },
    { labels: { 'a-b': 'c' } },
    'name part must consist',
  ],
  [
    'sparkEnv',
    (v) => spark.sparkEnv(driver(v)),
    { env: [{ name: '9A', value: 'x' }] },
    { env: [{ name: 'A9', value: 'x' }] },
    'must not start with a digit',
  ],
  [
    'sparkScheduling',
    (v) => spark.sparkScheduling(driver(v)),
    { tolerations: [{ operator: 'Equal', value: 'x' }] },
    { tolerations: [{ operator: 'Exists' }] },
    'operator must be Exists when `key` is empty',
  ],
  [
    'sparkReferences',
    (v) => spark.sparkReferences(driver(v)),
    { serviceAccount: 'Spark' },
    { serviceAccount: 'spark' },
    'RFC 1123 subdomain',
  ],
  [
    'sparkSecurityContexts',
    (v) => spark.sparkSecurityContexts(driver(v)),
    { podSecurityContext: { runAsUser: -1 } },
    { podSecurityContext: { runAsUser: 185 } },
    'must be greater than or equal to 0',
  ],
];

describe('each API-server, Pod Security and operator rule rejects a bad value and accepts the corrected one', () => {
  test.each(CASES)('%s', (_name, check, bad, good, message) => {
    expect(check(bad as Record<string, unknown>).map((p) => p.message)).toEqual(
      expect.arrayContaining([expect.stringContaining(message)]),
    );
    expect(check(good as Record<string, unknown>)).toEqual([]);
  });
});

describe('JVM memory strings, as Spark parses them', () => {
  test.each([
    ['512m', 512 * 2 ** 20],
    ['2g', 2 * 2 ** 30],
    ['2G', 2 * 2 ** 30],
    ['1024', 1024 * 2 ** 20],
    ['100kb', 100 * 2 ** 10],
  ])('%s is %d bytes', (value, bytes) => expect(spark.jvmMemoryBytes(value)).toBe(bytes));

  test.each(['1.5g', '2gib', '2 g', 'big', '-1g'])('%s is refused', (value) =>
    expect(typeof spark.jvmMemoryBytes(value)).toBe('string'),
  );

  test("the operator's memoryLimit conversion keeps its case-sensitive trim", () => {
    expect(spark.operatorMemoryQuantity('2g')).toBe('2Gi');
    expect(spark.operatorMemoryQuantity('512mb')).toBe('512Mi');
    expect(spark.operatorMemoryQuantity('2G')).toBe('2GGi');
    expect(spark.operatorMemoryQuantity('2Gi')).toBe('2Gi');
  });
});

describe('Pod Security levels', () => {
  const rootPod = view({ containers: [container({ securityContext: { capabilities: { add: ['NET_ADMIN'] } } })] });

  test('privileged enforces nothing, baseline its checks, restricted baseline and more', () => {
    expect(pss.podSecurityProblems(rootPod, 'privileged')).toEqual([]);
    const baseline = pss.podSecurityProblems(rootPod, 'baseline').map((p) => p.message);
    expect(baseline).toEqual([expect.stringContaining('violates PodSecurity "baseline": non-default capabilities')]);
    const restricted = pss.podSecurityProblems(rootPod, 'restricted').map((p) => p.message);
    expect(restricted.length).toBeGreaterThan(baseline.length);
    expect(restricted).toEqual(expect.arrayContaining([expect.stringContaining('runAsNonRoot != true')]));
  });
});
