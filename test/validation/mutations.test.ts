/**
 * Mutation test of the validator: each case changes one field of the shipped `dev` output into what the real API
 * server (its validation, or the PodSecurity admission plugin), Spark or the Spark Operator 2.5.2 rejects, or into a
 * reference to an object that will not exist; the validator must report it. The sources each rule is ported from
 * are named in validation/rules/*.ts. The catch rate per category must stay at 90 % or more.
 */
import { loadEnvironment } from '../../config';
import { renderEnvironment } from '../../stacks/k8s';
import { formatFinding, isPerObject, MANIFEST_CHECKS, validateObjects } from '../../validation';

type Category =
  'pod spec' | 'workloads and services' | 'RBAC and metadata' | 'Pod Security' | 'Spark pods' | 'references';

// The tests address objects as loosely as the manifests are typed.

type Any = any;

interface Mutation {
  readonly category: Category;
  readonly title: string;
  readonly kind: string;
  readonly name: string;
  readonly edit: (object: Any) => void;
}

const DEPLOYMENT = ['Deployment', 'spark-history-server-trading'] as const;
const CRON_JOB = ['CronJob', 'offload-trading-raw'] as const;
const JOB = ['Job', 'polaris-provisioner'] as const;
const SPARK = ['ScheduledSparkApplication', 'trading-compaction'] as const;
const SERVICE = ['Service', 'spark-history-server-trading'] as const;
const ROLE = ['Role', 'spark-driver'] as const;
const BINDING = ['RoleBinding', 'spark-driver'] as const;
const NAMESPACE = ['Namespace', 'trading'] as const;
const CONNECT = ['SparkConnect', 'analytics-connect'] as const;

const deploymentPod = (o: Any) => o.spec.template.spec;
const historyServer = (o: Any) => o.spec.template.spec.containers[0];
const cronPod = (o: Any) => o.spec.jobTemplate.spec.template.spec;
const offload = (o: Any) => cronPod(o).containers[0];
const driver = (o: Any) => o.spec.template.driver;
const executor = (o: Any) => o.spec.template.executor;

const cases: Mutation[] = [];
function add(category: Category, [kind, name]: readonly [string, string], title: string, edit: (o: Any) => void) {
  cases.push({ category, kind, name, title, edit });
}

// Pod specs (ValidatePodSpec and what it calls).
const pod = (target: readonly [string, string], title: string, edit: (o: Any) => void) =>
  add('pod spec', target, title, edit);
pod(DEPLOYMENT, 'volumeMount naming no volume', (o) => (historyServer(o).volumeMounts[0].name = 'missing'));
pod(DEPLOYMENT, "subPath with '..'", (o) => (historyServer(o).volumeMounts[0].subPath = '../etc'));
pod(DEPLOYMENT, 'absolute subPath', (o) => (historyServer(o).volumeMounts[1].subPath = '/var'));
pod(DEPLOYMENT, 'duplicate mountPath', (o) => (historyServer(o).volumeMounts[1].mountPath = '/etc/spark/conf'));
pod(
  DEPLOYMENT,
  "configMap item path with '..'",
  (o) => (deploymentPod(o).volumes[0].configMap.items = [{ key: 'spark-defaults.conf', path: '../x' }]),
);
pod(
  DEPLOYMENT,
  'configMap item with an invalid key',
  (o) => (deploymentPod(o).volumes[0].configMap.items = [{ key: 'a b', path: 'x' }]),
);
pod(
  DEPLOYMENT,
  'volume with two sources',
  (o) => (deploymentPod(o).volumes[1].configMap = { name: 'spark-history-server' }),
);
pod(DEPLOYMENT, 'volume without a source', (o) => delete deploymentPod(o).volumes[1].emptyDir);
pod(DEPLOYMENT, 'defaultMode above 0777', (o) => (deploymentPod(o).volumes[0].configMap.defaultMode = 0o1000));
pod(CRON_JOB, 'negative emptyDir.sizeLimit', (o) => (cronPod(o).volumes[1].emptyDir.sizeLimit = '-1Gi'));
pod(CRON_JOB, 'env with value and valueFrom', (o) => (offload(o).env[0].value = 'default'));
pod(CRON_JOB, 'invalid secretKeyRef.key', (o) => (offload(o).env[0].valueFrom.secretKeyRef.key = 'user name'));
pod(
  CRON_JOB,
  'valueFrom with two sources',
  (o) => (offload(o).env[0].valueFrom.configMapKeyRef = { name: 'offload-trading-raw-plan', key: 'plan.json' }),
);
pod(
  CRON_JOB,
  'envFrom with both sources',
  (o) =>
    (offload(o).envFrom = [
      { configMapRef: { name: 'offload-trading-raw-plan' }, secretRef: { name: 'clickhouse-offload' } },
    ]),
);
pod(CRON_JOB, "toleration 'Exists' with a value", (o) => (cronPod(o).tolerations[0].operator = 'Exists'));
pod(CRON_JOB, 'tolerationSeconds without NoExecute', (o) => (cronPod(o).tolerations[0].tolerationSeconds = 30));
pod(CRON_JOB, "empty toleration key with 'Equal'", (o) => (cronPod(o).tolerations[0].key = ''));
pod(CRON_JOB, 'invalid toleration key', (o) => (cronPod(o).tolerations[0].key = 'dataplane.io/spark/x'));
pod(DEPLOYMENT, 'bad nodeSelector key', (o) => (deploymentPod(o).nodeSelector = { 'node pool': 'system' }));
pod(
  DEPLOYMENT,
  'bad nodeSelector value',
  (o) => (deploymentPod(o).nodeSelector['dataplane.io/node-pool'] = 'system pool'),
);
pod(DEPLOYMENT, 'liveness successThreshold 2', (o) => (historyServer(o).livenessProbe.successThreshold = 2));
pod(DEPLOYMENT, 'two probe handlers', (o) => (historyServer(o).livenessProbe.tcpSocket = { port: 'http' }));
pod(DEPLOYMENT, 'probe without a handler', (o) => delete historyServer(o).readinessProbe.httpGet);
pod(DEPLOYMENT, 'negative periodSeconds', (o) => (historyServer(o).readinessProbe.periodSeconds = -5));
pod(
  DEPLOYMENT,
  'readiness terminationGracePeriodSeconds',
  (o) => (historyServer(o).readinessProbe.terminationGracePeriodSeconds = 10),
);
pod(DEPLOYMENT, 'negative runAsUser', (o) => (deploymentPod(o).securityContext.runAsUser = -1));
pod(DEPLOYMENT, 'negative fsGroup', (o) => (deploymentPod(o).securityContext.fsGroup = -185));
pod(DEPLOYMENT, 'negative supplementalGroup', (o) => (deploymentPod(o).securityContext.supplementalGroups = [-1]));
pod(
  DEPLOYMENT,
  'seccomp Localhost without a profile',
  (o) => (deploymentPod(o).securityContext.seccompProfile = { type: 'Localhost' }),
);
pod(
  DEPLOYMENT,
  'localhostProfile with RuntimeDefault',
  (o) => (deploymentPod(o).securityContext.seccompProfile.localhostProfile = 'p.json'),
);
pod(DEPLOYMENT, 'privileged without privilege escalation', (o) => (historyServer(o).securityContext.privileged = true));
pod(DEPLOYMENT, 'activeDeadlineSeconds 0', (o) => (deploymentPod(o).activeDeadlineSeconds = 0));
pod(DEPLOYMENT, 'invalid serviceAccountName', (o) => (deploymentPod(o).serviceAccountName = 'History_Server'));
pod(DEPLOYMENT, 'dnsPolicy None without dnsConfig', (o) => (deploymentPod(o).dnsPolicy = 'None'));
pod(
  DEPLOYMENT,
  'topology spread maxSkew 0',
  (o) =>
    (deploymentPod(o).topologySpreadConstraints = [
      { maxSkew: 0, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' },
    ]),
);

pod(
  DEPLOYMENT,
  'hostAlias with an invalid IP',
  (o) => (deploymentPod(o).hostAliases = [{ ip: '10.0.0', hostnames: ['polaris'] }]),
);

pod(
  CONNECT,
  'server env secretKeyRef key',
  (o) => (o.spec.server.template.spec.containers[0].env[0].valueFrom.secretKeyRef.key = 'client id'),
);

// Workloads and Services (batch, apps and core Service validation).
const workload = (target: readonly [string, string], title: string, edit: (o: Any) => void) =>
  add('workloads and services', target, title, edit);
workload(JOB, 'negative backoffLimit', (o) => (o.spec.backoffLimit = -1));
workload(JOB, 'negative parallelism', (o) => (o.spec.parallelism = -1));
workload(JOB, 'negative completions', (o) => (o.spec.completions = -1));
workload(JOB, 'activeDeadlineSeconds 0', (o) => (o.spec.activeDeadlineSeconds = 0));
workload(JOB, 'negative ttlSecondsAfterFinished', (o) => (o.spec.ttlSecondsAfterFinished = -1));
workload(JOB, 'Indexed without completions', (o) => (o.spec.completionMode = 'Indexed'));
workload(JOB, 'backoffLimitPerIndex without Indexed', (o) => (o.spec.backoffLimitPerIndex = 1));
workload(JOB, 'restartPolicy Always', (o) => (o.spec.template.spec.restartPolicy = 'Always'));
workload(CRON_JOB, 'negative startingDeadlineSeconds', (o) => (o.spec.startingDeadlineSeconds = -1));
workload(CRON_JOB, 'negative successfulJobsHistoryLimit', (o) => (o.spec.successfulJobsHistoryLimit = -1));
workload(CRON_JOB, 'negative failedJobsHistoryLimit', (o) => (o.spec.failedJobsHistoryLimit = -1));
workload(CRON_JOB, 'negative job backoffLimit', (o) => (o.spec.jobTemplate.spec.backoffLimit = -1));
workload(CRON_JOB, 'job activeDeadlineSeconds 0', (o) => (o.spec.jobTemplate.spec.activeDeadlineSeconds = 0));
workload(CRON_JOB, 'schedule minute 61', (o) => (o.spec.schedule = '61 * * * *'));
workload(CRON_JOB, 'job template selector', (o) => (o.spec.jobTemplate.spec.selector = { matchLabels: { a: 'b' } }));
workload(
  DEPLOYMENT,
  'maxSurge 0 and maxUnavailable 0',
  (o) => (o.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } }),
);
workload(
  DEPLOYMENT,
  'Recreate with rollingUpdate',
  (o) => (o.spec.strategy = { type: 'Recreate', rollingUpdate: { maxSurge: 1 } }),
);
workload(DEPLOYMENT, 'maxUnavailable 120%', (o) => (o.spec.strategy = { rollingUpdate: { maxUnavailable: '120%' } }));
workload(DEPLOYMENT, 'maxSurge not a percentage', (o) => (o.spec.strategy = { rollingUpdate: { maxSurge: 'ten' } }));
workload(DEPLOYMENT, 'negative replicas', (o) => (o.spec.replicas = -1));
workload(DEPLOYMENT, 'negative revisionHistoryLimit', (o) => (o.spec.revisionHistoryLimit = -1));
workload(DEPLOYMENT, 'minReadySeconds beyond the default progress deadline', (o) => (o.spec.minReadySeconds = 700));
workload(
  DEPLOYMENT,
  'selector not matching the template',
  (o) => (o.spec.selector.matchLabels['app.kubernetes.io/name'] = 'other'),
);
workload(SERVICE, 'nodePort on a ClusterIP Service', (o) => (o.spec.ports[0].nodePort = 30080));
workload(SERVICE, 'duplicate port and protocol', (o) => o.spec.ports.push({ ...o.spec.ports[0], name: 'http2' }));
workload(SERVICE, 'ExternalName without externalName', (o) => (o.spec.type = 'ExternalName'));
workload(SERVICE, 'externalTrafficPolicy on ClusterIP', (o) => (o.spec.externalTrafficPolicy = 'Local'));
workload(SERVICE, 'upper-case port name', (o) => (o.spec.ports[0].name = 'HTTP'));
workload(SERVICE, 'no ports', (o) => (o.spec.ports = []));
workload(['NetworkPolicy', 'default-deny'], 'unknown policy type', (o) => (o.spec.policyTypes = ['Ingres']));

// RBAC and object metadata.
const rbac = (target: readonly [string, string], title: string, edit: (o: Any) => void) =>
  add('RBAC and metadata', target, title, edit);
rbac(BINDING, "roleRef kind 'Roles'", (o) => (o.roleRef.kind = 'Roles'));
rbac(BINDING, 'roleRef apiGroup', (o) => (o.roleRef.apiGroup = 'rbac.k8s.io'));
rbac(BINDING, 'roleRef name with a slash', (o) => (o.roleRef.name = 'spark/driver'));
rbac(BINDING, 'roleRef without a name', (o) => delete o.roleRef.name);
rbac(BINDING, 'subject kind', (o) => (o.subjects[0].kind = 'Serviceaccount'));
rbac(
  BINDING,
  'ServiceAccount subject with the RBAC group',
  (o) => (o.subjects[0].apiGroup = 'rbac.authorization.k8s.io'),
);
rbac(BINDING, 'subject name', (o) => (o.subjects[0].name = 'Spark_Driver'));
rbac(BINDING, 'subject namespace', (o) => (o.subjects[0].namespace = 'Trading'));
rbac(BINDING, 'User subject without the RBAC group', (o) => (o.subjects[0] = { kind: 'User', name: 'alice' }));
rbac(ROLE, 'rule with no verbs', (o) => (o.rules[0].verbs = []));
rbac(ROLE, 'rule with no apiGroups', (o) => (o.rules[0].apiGroups = []));
rbac(ROLE, 'rule with no resources', (o) => (o.rules[0].resources = []));
rbac(ROLE, 'Role rule with nonResourceURLs', (o) => (o.rules[0].nonResourceURLs = ['/healthz']));
rbac(ROLE, 'name with a slash', (o) => (o.metadata.name = 'spark/driver'));
rbac(ROLE, 'unqualified finalizer', (o) => (o.metadata.finalizers = ['cleanup']));
rbac(ROLE, 'finalizer with a space', (o) => (o.metadata.finalizers = ['example.com/clean up']));
rbac(NAMESPACE, 'Namespace spec finalizer', (o) => (o.spec = { finalizers: ['example.com/a/b'] }));
rbac(NAMESPACE, 'label value too long', (o) => (o.metadata.labels['dataplane.io/tenant'] = 'x'.repeat(64)));
rbac(ROLE, 'invalid annotation key', (o) => (o.metadata.annotations = { 'a/b/c': 'x' }));
rbac(['ServiceAccount', 'spark-driver'], 'upper-case name', (o) => (o.metadata.name = 'Spark-Driver'));

// Pod Security admission (the trading namespace enforces baseline).
const security = (target: readonly [string, string], title: string, edit: (o: Any) => void) =>
  add('Pod Security', target, title, edit);
security(
  NAMESPACE,
  'enforce level misspelt',
  (o) => (o.metadata.labels['pod-security.kubernetes.io/enforce'] = 'baselin'),
);
security(
  NAMESPACE,
  'enforce-version with a patch',
  (o) => (o.metadata.labels['pod-security.kubernetes.io/enforce-version'] = 'v1.34.0'),
);
security(NAMESPACE, 'warn level unknown', (o) => (o.metadata.labels['pod-security.kubernetes.io/warn'] = 'strict'));
security(
  NAMESPACE,
  'audit-version without v',
  (o) => (o.metadata.labels['pod-security.kubernetes.io/audit-version'] = '1.34'),
);
security(NAMESPACE, 'unknown mode', (o) => (o.metadata.labels['pod-security.kubernetes.io/enforced'] = 'baseline'));
security(CRON_JOB, 'hostNetwork', (o) => (cronPod(o).hostNetwork = true));
security(CRON_JOB, 'hostPID', (o) => (cronPod(o).hostPID = true));
security(CRON_JOB, 'hostIPC', (o) => (cronPod(o).hostIPC = true));
security(CRON_JOB, 'NET_ADMIN capability', (o) => (offload(o).securityContext.capabilities.add = ['NET_ADMIN']));
security(CRON_JOB, 'hostPort', (o) => (offload(o).ports = [{ containerPort: 8080, hostPort: 8080 }]));
security(CRON_JOB, 'pod seccomp Unconfined', (o) => (cronPod(o).securityContext.seccompProfile.type = 'Unconfined'));
security(
  CRON_JOB,
  'container seccomp Unconfined',
  (o) => (offload(o).securityContext.seccompProfile = { type: 'Unconfined' }),
);
security(CRON_JOB, 'SELinux type spc_t', (o) => (offload(o).securityContext.seLinuxOptions = { type: 'spc_t' }));
security(CRON_JOB, 'SELinux user', (o) => (cronPod(o).securityContext.seLinuxOptions = { user: 'system_u' }));
security(CRON_JOB, 'procMount Unmasked', (o) => (offload(o).securityContext.procMount = 'Unmasked'));
security(
  CRON_JOB,
  'unsafe sysctl',
  (o) => (cronPod(o).securityContext.sysctls = [{ name: 'kernel.msgmax', value: '65536' }]),
);
security(
  CRON_JOB,
  'AppArmor unconfined',
  (o) =>
    (o.spec.jobTemplate.spec.template.metadata.annotations = {
      'container.apparmor.security.beta.kubernetes.io/offload': 'unconfined',
    }),
);
security(
  CRON_JOB,
  'AppArmor field Unconfined',
  (o) => (offload(o).securityContext.appArmorProfile = { type: 'Unconfined' }),
);
security(CRON_JOB, 'Windows host process', (o) => (offload(o).securityContext.windowsOptions = { hostProcess: true }));
security(SPARK, 'driver SYS_ADMIN capability', (o) => (driver(o).securityContext.capabilities.add = ['SYS_ADMIN']));
security(SPARK, 'executor hostNetwork', (o) => (executor(o).hostNetwork = true));
security(
  SPARK,
  'executor seccomp Unconfined',
  (o) => (executor(o).podSecurityContext.seccompProfile.type = 'Unconfined'),
);
security(SPARK, 'driver template hostPID', (o) => (driver(o).template = { spec: { hostPID: true } }));

security(CONNECT, 'SparkConnect server hostNetwork', (o) => (o.spec.server.template.spec.hostNetwork = true));

// Spark driver and executor fields, as the pods the operator creates.
const spark = (title: string, edit: (o: Any) => void) => add('Spark pods', SPARK, title, edit);
spark('driver label key', (o) => (driver(o).labels['bad key'] = 'x'));
spark('driver label value too long', (o) => (driver(o).labels['dataplane.io/tenant'] = 'x'.repeat(64)));
spark('executor label key prefix', (o) => (executor(o).labels['Dataplane.io/x'] = 'y'));
spark('executor annotation key', (o) => (executor(o).annotations = { 'a/b/c': 'x' }));
spark('driver env name', (o) => (driver(o).env[0].name = '1POLARIS'));
spark('driver env secretKeyRef key', (o) => (driver(o).env[0].valueFrom.secretKeyRef.key = 'client id'));
spark('driver env value and valueFrom', (o) => (driver(o).env[0].value = 'x'));
spark('executor envVars name', (o) => (executor(o).envVars = { 'BAD NAME': 'x' }));
spark('driver nodeSelector key', (o) => (driver(o).nodeSelector['node pool'] = 'x'));
spark('executor nodeSelector value', (o) => (executor(o).nodeSelector['dataplane.io/node-pool'] = 'spark executor'));
spark("driver toleration 'Exists' with a value", (o) => (driver(o).tolerations[0].operator = 'Exists'));
spark('executor tolerationSeconds without NoExecute', (o) => (executor(o).tolerations[0].tolerationSeconds = 60));
spark('driver serviceAccount name', (o) => (driver(o).serviceAccount = 'Spark_Driver'));
spark('driver priorityClassName', (o) => (driver(o).priorityClassName = 'Spark_Batch'));
spark('executor coreLimit not a quantity', (o) => (executor(o).coreLimit = '2 cores'));
spark('driver coreLimit below cores', (o) => (driver(o).coreLimit = '500m'));
spark('driver memory fractional', (o) => (driver(o).memory = '3.5g'));
spark('executor memory suffix', (o) => (executor(o).memory = '6gib'));
spark('driver memoryOverhead in Kubernetes units', (o) => (driver(o).memoryOverhead = '1Gi'));
spark('executor memory not a size', (o) => (executor(o).memory = 'lots'));
spark('driver memoryLimit below memory + overhead', (o) => (driver(o).memoryLimit = '1g'));
spark('driver podSecurityContext runAsUser', (o) => (driver(o).podSecurityContext.runAsUser = -1));
spark(
  'executor seccomp Localhost without a profile',
  (o) => (executor(o).podSecurityContext.seccompProfile = { type: 'Localhost' }),
);
spark('driver privileged without privilege escalation', (o) => (driver(o).securityContext.privileged = true));
add('Spark pods', CONNECT, 'SparkConnect server memory fractional', (o) => (o.spec.server.memory = '2.5g'));
// Not caught: sparkConf values are not parsed as the pod fields they set (spark.kubernetes.*.limit.cores, …).
spark(
  'sparkConf executor core limit',
  (o) => (o.spec.template.sparkConf['spark.kubernetes.executor.limit.cores'] = 'two'),
);
spark('driver configMap volume name', (o) => (driver(o).configMaps[0].name = 'Plan_Map'));

// References to objects that neither the output nor the deploy-time list creates.
const reference = (target: readonly [string, string], title: string, edit: (o: Any) => void) =>
  add('references', target, title, edit);
reference(DEPLOYMENT, 'ServiceAccount', (o) => (deploymentPod(o).serviceAccountName = 'history'));
reference(DEPLOYMENT, 'ConfigMap volume', (o) => (deploymentPod(o).volumes[0].configMap.name = 'history-config'));
reference(
  DEPLOYMENT,
  'PersistentVolumeClaim',
  (o) => (deploymentPod(o).volumes[1] = { name: 'tmp', persistentVolumeClaim: { claimName: 'scratch' } }),
);
reference(DEPLOYMENT, 'image pull Secret', (o) => (deploymentPod(o).imagePullSecrets = [{ name: 'regcred' }]));
reference(DEPLOYMENT, 'envFrom Secret', (o) => (historyServer(o).envFrom = [{ secretRef: { name: 'history-env' } }]));
reference(DEPLOYMENT, 'PriorityClass', (o) => (deploymentPod(o).priorityClassName = 'platform-critical'));
reference(CRON_JOB, 'secretKeyRef Secret', (o) => (offload(o).env[0].valueFrom.secretKeyRef.name = 'clickhouse'));
reference(CRON_JOB, 'plan ConfigMap', (o) => (cronPod(o).volumes[0].configMap.name = 'offload-trading-raw-plans'));
reference(CRON_JOB, 'ServiceAccount', (o) => (cronPod(o).serviceAccountName = 'scheduled-job'));
reference(CRON_JOB, 'PriorityClass', (o) => (cronPod(o).priorityClassName = 'spark-batchy'));
reference(JOB, 'ServiceAccount', (o) => (o.spec.template.spec.serviceAccountName = 'provisioner'));
reference(
  JOB,
  'deploy-time Secret misnamed',
  (o) =>
    (o.spec.template.spec.containers[0].env.find((e: Any) => e.valueFrom?.secretKeyRef).valueFrom.secretKeyRef.name =
      'polaris-root-creds'),
);
reference(SPARK, 'driver ServiceAccount', (o) => (driver(o).serviceAccount = 'spark-drivers'));
reference(SPARK, 'executor ServiceAccount', (o) => (executor(o).serviceAccount = 'executor'));
reference(SPARK, 'driver PriorityClass', (o) => (driver(o).priorityClassName = 'spark-urgent'));
reference(SPARK, 'executor PriorityClass', (o) => (executor(o).priorityClassName = 'spark-low'));
reference(SPARK, 'YuniKorn queue', (o) => (o.spec.template.batchSchedulerOptions.queue = 'root.tenants.nobody'));
reference(SPARK, 'driver ConfigMap', (o) => (driver(o).configMaps[0].name = 'trading-compaction-plans'));
reference(SPARK, 'driver env Secret', (o) => (driver(o).env[0].valueFrom.secretKeyRef.name = 'polaris-credentials'));
reference(SPARK, 'sparkConfigMap', (o) => (o.spec.template.sparkConfigMap = 'spark-defaults'));
reference(
  CONNECT,
  'SparkConnect executor ServiceAccount',
  (o) => (o.spec.executor.template.spec.serviceAccountName = 'connect'),
);
// Not caught: the key must exist in the Secret, whose contents are made at deploy time (kubelet then fails the pod).
reference(
  CRON_JOB,
  'key missing from a deploy-time Secret',
  (o) => (offload(o).env[1].valueFrom.secretKeyRef.key = 'passwd'),
);
reference(BINDING, 'Role', (o) => (o.roleRef.name = 'spark-drivers'));
reference(
  BINDING,
  'ClusterRole',
  (o) => (o.roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'spark-driver' }),
);
reference(BINDING, 'subject ServiceAccount', (o) => (o.subjects[0].name = 'spark-drivers'));
reference(BINDING, 'subject namespace', (o) => (o.subjects[0].namespace = 'spark-history'));

const CATEGORIES: readonly Category[] = [
  'pod spec',
  'workloads and services',
  'RBAC and metadata',
  'Pod Security',
  'Spark pods',
  'references',
];
const MIN_CATCH_RATE = 0.9;
const objectChecks = MANIFEST_CHECKS.filter(isPerObject);
const environmentChecks = MANIFEST_CHECKS.filter((check) => !isPerObject(check));

describe('mutations of the dev output that a real cluster rejects are reported', () => {
  const groups = renderEnvironment(loadEnvironment('dev'));
  const results = new Map<Mutation, string[]>();

  beforeAll(() => {
    for (const mutation of cases) {
      const copy = structuredClone(groups) as Any[];
      const targets = copy
        .flatMap((group) => group.objects)
        .filter((o: Any) => o.kind === mutation.kind && o.metadata?.name === mutation.name);
      if (targets.length === 0) throw new Error(`${mutation.title}: no ${mutation.kind} ${mutation.name} in dev`);
      mutation.edit(targets[0]);
      // The other objects are unchanged and clean: object-level checks need only run on the mutated one.
      const alone = validateObjects([{ name: 'mutated', objects: [targets[0]] }], 'dev', { checks: objectChecks });
      const together = validateObjects(copy, 'dev', { checks: environmentChecks });
      results.set(mutation, [...alone.findings, ...together.findings].map(formatFinding));
    }
  });

  test('the unmutated output is clean, and there are at least 100 cases', () => {
    expect(validateObjects(groups, 'dev').findings.map(formatFinding)).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(100);
    expect(new Set(cases.map((c) => `${c.category}: ${c.kind} ${c.title}`)).size).toBe(cases.length);
  });

  test.each(CATEGORIES)(`%s: at least ${MIN_CATCH_RATE * 100} %% caught`, (category) => {
    const mine = cases.filter((c) => c.category === category);
    const missed = mine.filter((c) => results.get(c)!.length === 0).map((c) => `${c.kind} ${c.name}: ${c.title}`);
    expect(mine.length).toBeGreaterThanOrEqual(15);
    const rate = (mine.length - missed.length) / mine.length;
    // On failure the diff lists the mutations that went unreported.
    expect(rate >= MIN_CATCH_RATE ? [] : missed).toEqual([]);
  });
});
