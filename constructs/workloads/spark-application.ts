// What SparkJob and ScheduledSparkJob share: validating the props and rendering the SparkApplication spec and the
// plan ConfigMap. Not exported from the package: the two constructs are the API.
import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { cidr, DNS_LABEL, Problems, VERSIONS } from '../../config';
import { JOB_RUNNER, jobPlan, JobPlan, PLAN_ENV, planClickHouse, renderPlan, SPARK_CATALOG } from '../../jobs/plan';
import {
  KARPENTER_DO_NOT_DISRUPT,
  NODE_POOL_LABEL,
  POLARIS_CREDENTIALS_SECRET,
  polarisCatalogUri,
  PRIORITY_CLASSES,
  SPARK_DRIVER_SERVICE_ACCOUNT,
  SPARK_EXECUTOR_SERVICE_ACCOUNT,
  SPARK_NODE_POOLS,
  SPARK_NODE_TAINT,
  sparkEventLogDir,
  TENANT_LABEL,
  tenantQueue,
} from '../conventions';
import { NetworkAllowRule, networkPolicySpec } from '../tenancy/network-allow-rule';
import {
  checkSparkResources,
  isDynamic,
  peakDemand,
  RESOURCE_PROFILES,
  ResourceProfileName,
  SparkDemand,
  SparkPodResources,
  SparkResources,
} from './resource-profiles';
import type { SparkJobProps } from './spark-job';
import { SPARK_PROMETHEUS_CONF } from '../monitoring/scrape-targets';

/** Defaults of SparkJob and ScheduledSparkJob. */
export const SPARK_JOB_DEFAULTS = {
  profile: 'batch-etl' as ResourceProfileName,
  retries: 2,
  retryIntervalSeconds: 60,
  catalogScope: 'PRINCIPAL_ROLE:ALL',
  /** The `spark` user of the apache/spark images the job image builds on; numeric so runAsNonRoot can be verified. */
  sparkUid: 185,
} as const;

/** Label on a job's driver and executor pods naming the job (scheduled runs carry the scheduled job's name). */
export const SPARK_JOB_LABEL = 'dataplane.io/spark-job';

/** A DNS-1035 label: what the operator requires of SparkApplication names. */
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** sparkConf keys the operator's admission webhook rejects, with what to do instead. */
export const DENIED_SPARK_CONF: Readonly<Record<string, string>> = {
  'spark.kubernetes.authenticate.driver.serviceAccountName': 'the tenant service accounts are set by the construct',
  'spark.kubernetes.authenticate.executor.serviceAccountName': 'the tenant service accounts are set by the construct',
  'spark.kubernetes.authenticate.oauthToken': 'the operator manages API credentials',
  'spark.kubernetes.authenticate.oauthTokenFile': 'the operator manages API credentials',
  'spark.kubernetes.authenticate.driver.oauthToken': 'the operator manages API credentials',
  'spark.kubernetes.authenticate.driver.oauthTokenFile': 'the operator manages API credentials',
  'spark.kubernetes.authenticate.executor.oauthToken': 'the operator manages API credentials',
  'spark.kubernetes.authenticate.executor.oauthTokenFile': 'the operator manages API credentials',
  'spark.master': 'the operator sets the master',
  'spark.kubernetes.driver.master': 'the operator sets the master',
  'spark.kubernetes.container.image': "use the 'image' prop",
  'spark.kubernetes.driver.container.image': "use the 'image' prop",
  'spark.kubernetes.executor.container.image': "use the 'image' prop",
};

/** Keys sized by `profile`/`resources`: setting them in sparkConf would fight the CRD fields. */
const RESOURCE_CONF =
  /^spark\.((driver|executor)\.(cores|memory|memoryOverhead)|executor\.instances|dynamicAllocation\..+|kubernetes\.(driver|executor)\.(limit|request)\.cores)$/;

/** Keys whose values would be credentials; those come from Secrets through environment variables only. */
const CREDENTIAL_CONF = /(credential|password|secret|token|access[._-]?key)/i;

/** Spark pods tolerate the Spark node taint, and only that. */
export function sparkTolerations() {
  return [
    { key: SPARK_NODE_TAINT.key, operator: 'Equal', value: SPARK_NODE_TAINT.value, effect: SPARK_NODE_TAINT.effect },
  ];
}

/** The container security context of every Spark container: no privilege escalation, no capabilities. */
export function sparkContainerSecurityContext() {
  return { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
}

/** The pod security context of every Spark pod: the image's `spark` user, never root, the runtime's seccomp profile. */
export function sparkPodSecurityContext() {
  return {
    runAsNonRoot: true,
    runAsUser: SPARK_JOB_DEFAULTS.sparkUid,
    runAsGroup: SPARK_JOB_DEFAULTS.sparkUid,
    fsGroup: SPARK_JOB_DEFAULTS.sparkUid,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** A SparkApplication ready to render. */
export interface PreparedSparkApplication {
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: Record<string, string> };
  readonly spec: Record<string, unknown>;
  readonly plan: JobPlan;
  readonly planConfigMapName: string;
  readonly resources: SparkResources;
  readonly peakDemand: SparkDemand;
}

/**
 * Checks the props (recording every problem) and renders the SparkApplication spec. `maxNameLength` is 63 for
 * SparkApplications and less for ScheduledSparkApplications, whose runs append a timestamp.
 */
export function prepareSparkApplication(
  problems: Problems,
  name: string,
  maxNameLength: number,
  props: SparkJobProps,
): PreparedSparkApplication {
  problems.check(
    DNS_1035_LABEL.test(name) && name.length <= maxNameLength,
    'name',
    name,
    `a DNS-1035 label (lower-case letters, digits and "-", starting with a letter) of at most ${maxNameLength} characters`,
  );
  problems.check(DNS_LABEL.test(props.tenant), 'tenant', props.tenant, 'a tenant name (a DNS label)');
  problems.check(props.steps.length > 0, 'steps', props.steps, 'at least one step');
  const retries = props.retries ?? SPARK_JOB_DEFAULTS.retries;
  const retryInterval = props.retryIntervalSeconds ?? SPARK_JOB_DEFAULTS.retryIntervalSeconds;
  problems.check(Number.isInteger(retries) && retries >= 0, 'retries', retries, 'a whole number >= 0');
  problems.check(
    Number.isInteger(retryInterval) && retryInterval >= 1,
    'retryIntervalSeconds',
    retryInterval,
    'a whole number of seconds >= 1',
  );

  const resources = resolveResources(problems, props);
  const priority = props.resources
    ? 'batch'
    : (RESOURCE_PROFILES[props.profile ?? SPARK_JOB_DEFAULTS.profile]?.priority ?? 'batch');
  const priorityClassName = props.priorityClassName ?? PRIORITY_CLASSES[priority];

  if (props.nodeSelector && (props.driverNodeSelector || props.executorNodeSelector)) {
    problems.add(
      'nodeSelector',
      props.nodeSelector,
      "no value when driverNodeSelector or executorNodeSelector is set: the operator's webhook rejects app-level and pod-level node selectors together",
    );
  }

  const plan = jobPlan(
    { name, tenant: props.tenant },
    props.steps,
    props.clickhouse && planClickHouse(props.clickhouse),
  );
  const managed = managedSparkConf(props);
  for (const [key, value] of Object.entries(props.sparkConf ?? {})) {
    const at = `sparkConf.${key}`;
    if (key in DENIED_SPARK_CONF)
      problems.add(at, value, `no value: the Spark Operator's webhook denies this key (${DENIED_SPARK_CONF[key]})`);
    else if (key === 'spark.kubernetes.namespace' && value !== props.tenant)
      problems.add(at, value, `the tenant namespace ${JSON.stringify(props.tenant)} or no value`);
    else if (key in managed) problems.add(at, value, 'no value: the construct sets this key');
    else if (RESOURCE_CONF.test(key)) problems.add(at, value, "no value: size the job with 'profile' or 'resources'");
    else if (CREDENTIAL_CONF.test(key))
      problems.add(
        at,
        value,
        'no value: credentials come from Secrets through environment variables, never from Spark conf',
      );
  }

  if (props.clickhouse) {
    const cidrs = props.clickhouse.cidrs;
    problems.check(cidrs.length > 0, 'clickhouse.cidrs', cidrs, 'at least one CIDR block of the ClickHouse hosts');
    cidrs.forEach((c, i) =>
      problems.check(cidr.safeParse(c).success, `clickhouse.cidrs[${i}]`, c, 'an IPv4 CIDR block such as 10.0.12.0/24'),
    );
  }

  const planConfigMapName = `${name}-plan`;
  const labels = { [TENANT_LABEL]: props.tenant, ...props.labels };
  const podLabels = { ...labels, [SPARK_JOB_LABEL]: name };
  const pod = (
    role: 'driver' | 'executor',
    r: SparkPodResources,
    serviceAccount: string,
    nodeSelector: Readonly<Record<string, string>> | undefined,
  ) => ({
    cores: r.cores,
    // The tenant quota caps CPU: a limit equal to the request keeps every pod within what the quota and the YuniKorn
    // queue accounted for (and satisfies a quota on limits.cpu, which rejects pods without one).
    coreLimit: String(r.cores),
    memory: r.memory,
    memoryOverhead: r.memoryOverhead,
    serviceAccount,
    priorityClassName,
    labels: podLabels,
    ...(props.nodeSelector ? {} : { nodeSelector: { ...nodeSelector } }),
    tolerations: sparkTolerations(),
    securityContext: sparkContainerSecurityContext(),
    podSecurityContext: sparkPodSecurityContext(),
    ...(role === 'driver'
      ? {
          // Karpenter never drains a driver's node for drift or consolidation: losing the driver loses the whole job.
          annotations: { [KARPENTER_DO_NOT_DISRUPT.key]: KARPENTER_DO_NOT_DISRUPT.value },
          env: driverEnv(props),
          configMaps: [{ name: planConfigMapName, path: JOB_RUNNER.planDir }],
        }
      : isDynamic(resources.executors)
        ? {}
        : { instances: resources.executors.instances }),
  });

  const spec = {
    type: 'Python',
    pythonVersion: '3',
    mode: 'cluster',
    sparkVersion: VERSIONS.spark.version,
    image: props.image,
    imagePullPolicy: 'IfNotPresent',
    mainApplicationFile: JOB_RUNNER.mainApplicationFile,
    arguments: [`${JOB_RUNNER.planDir}/${JOB_RUNNER.planFile}`],
    sparkConf: { ...managed, ...props.sparkConf },
    restartPolicy: {
      type: 'OnFailure',
      onFailureRetries: retries,
      onFailureRetryInterval: retryInterval,
      onSubmissionFailureRetries: retries,
      onSubmissionFailureRetryInterval: retryInterval,
    },
    batchScheduler: 'yunikorn',
    batchSchedulerOptions: { queue: tenantQueue(props.tenant) },
    ...(props.nodeSelector ? { nodeSelector: { ...props.nodeSelector } } : {}),
    ...(isDynamic(resources.executors)
      ? {
          dynamicAllocation: {
            enabled: true,
            initialExecutors: resources.executors.initial,
            minExecutors: resources.executors.min,
            maxExecutors: resources.executors.max,
            // No external shuffle service on Kubernetes: executors holding shuffle data stay until it is unused.
            shuffleTrackingEnabled: true,
          },
        }
      : {}),
    driver: pod(
      'driver',
      resources.driver,
      SPARK_DRIVER_SERVICE_ACCOUNT,
      props.driverNodeSelector ?? { [NODE_POOL_LABEL]: SPARK_NODE_POOLS.driver.name },
    ),
    executor: pod(
      'executor',
      resources.executor,
      SPARK_EXECUTOR_SERVICE_ACCOUNT,
      props.executorNodeSelector ?? { [NODE_POOL_LABEL]: SPARK_NODE_POOLS.executor.name },
    ),
  };
  return {
    metadata: { name, namespace: props.tenant, labels: { ...labels } },
    spec,
    plan,
    planConfigMapName,
    resources,
    peakDemand: peakDemand(resources),
  };
}

function resolveResources(problems: Problems, props: SparkJobProps): SparkResources {
  if (props.resources && props.profile) {
    problems.add(
      'resources',
      props.resources,
      "no value when 'profile' is set: profile and resources are mutually exclusive",
    );
  }
  if (props.resources) {
    checkSparkResources(problems, 'resources', props.resources);
    return props.resources;
  }
  const profile = RESOURCE_PROFILES[props.profile ?? SPARK_JOB_DEFAULTS.profile];
  if (!profile) {
    problems.add('profile', props.profile, `one of ${Object.keys(RESOURCE_PROFILES).join(', ')}`);
    return RESOURCE_PROFILES[SPARK_JOB_DEFAULTS.profile];
  }
  return profile;
}

/**
 * Spark conf of the Polaris REST catalog with vended credentials and the Iceberg SQL extensions. The `credential` is
 * not here: the runner adds it at start from the Secret-backed environment variables.
 */
export function polarisCatalogConf(
  catalog: Pick<SparkJobProps['catalog'], 'warehouse' | 'realm' | 'uri' | 'scope'>,
): Record<string, string> {
  const uri = catalog.uri ?? polarisCatalogUri();
  const prefix = `spark.sql.catalog.${SPARK_CATALOG}`;
  return {
    'spark.sql.extensions': 'org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions',
    [prefix]: 'org.apache.iceberg.spark.SparkCatalog',
    [`${prefix}.type`]: 'rest',
    [`${prefix}.uri`]: uri,
    [`${prefix}.warehouse`]: catalog.warehouse,
    [`${prefix}.scope`]: catalog.scope ?? SPARK_JOB_DEFAULTS.catalogScope,
    [`${prefix}.oauth2-server-uri`]: `${uri}/v1/oauth/tokens`,
    [`${prefix}.token-refresh-enabled`]: 'true',
    [`${prefix}.header.X-Iceberg-Access-Delegation`]: 'vended-credentials',
    [`${prefix}.header.Polaris-Realm`]: catalog.realm,
  };
}

/**
 * The Spark conf every Spark application of a tenant carries (batch jobs and Spark Connect servers): the Polaris
 * catalog, event logs, spot-friendly decommissioning.
 */
export function managedSparkConf(
  props: Pick<SparkJobProps, 'catalog' | 'eventLogBucket' | 'tenant'>,
): Record<string, string> {
  return {
    ...polarisCatalogConf(props.catalog),
    'spark.sql.defaultCatalog': SPARK_CATALOG,
    'spark.sql.session.timeZone': 'UTC',
    // Spark's default redaction misses `credential`; the UI and event logs must not show the catalog secret.
    'spark.redaction.regex': '(?i)secret|password|token|access[.]?key|credential',
    // The tenant's own prefix, the only one its driver's Pod Identity role may write (S3A's default credential chain).
    'spark.eventLog.enabled': 'true',
    'spark.eventLog.dir': sparkEventLogDir(props.eventLogBucket, props.tenant),
    // Executors run on spot capacity: move their blocks away when a node is reclaimed.
    'spark.decommission.enabled': 'true',
    'spark.storage.decommission.enabled': 'true',
    'spark.storage.decommission.shuffleBlocks.enabled': 'true',
    'spark.storage.decommission.rddBlocks.enabled': 'true',
    // Driver and executor metrics on the driver's UI port, scraped by the monitoring stack.
    ...SPARK_PROMETHEUS_CONF,
  };
}

const fromSecret = (name: string, secret: string, key: string) => ({
  name,
  valueFrom: { secretKeyRef: { name: secret, key } },
});

/** The tenant's Polaris client credentials as environment variables, from the Secret the provisioner writes. */
export function polarisCredentialEnv() {
  return [
    fromSecret(PLAN_ENV.polarisClientId, POLARIS_CREDENTIALS_SECRET.name, POLARIS_CREDENTIALS_SECRET.clientIdKey),
    fromSecret(
      PLAN_ENV.polarisClientSecret,
      POLARIS_CREDENTIALS_SECRET.name,
      POLARIS_CREDENTIALS_SECRET.clientSecretKey,
    ),
  ];
}

/** Secret-backed variables the runner builds the catalog credentials from. */
function driverEnv(props: SparkJobProps) {
  const env = polarisCredentialEnv();
  if (props.clickhouse) {
    const secret = props.clickhouse.credentialsSecret;
    env.push(
      fromSecret(PLAN_ENV.clickhouseUser, secret.name, secret.userKey),
      fromSecret(PLAN_ENV.clickhousePassword, secret.name, secret.passwordKey),
    );
  }
  return env;
}

/** The ConfigMap the driver mounts the plan from. */
function addPlanConfigMap(scope: Construct, app: PreparedSparkApplication): k8s.KubeConfigMap {
  return new k8s.KubeConfigMap(scope, 'Plan', {
    metadata: { name: app.planConfigMapName, namespace: app.metadata.namespace, labels: { ...app.metadata.labels } },
    data: { [JOB_RUNNER.planFile]: renderPlan(app.plan) },
  });
}

/** Egress from the job's pods (driver and executors read ClickHouse) to the ClickHouse hosts, on top of the tenant's rules. */
function addClickHouseEgress(
  scope: Construct,
  app: PreparedSparkApplication,
  clickhouse: NonNullable<SparkJobProps['clickhouse']>,
): k8s.KubeNetworkPolicy {
  const [grant] = NetworkAllowRule.clickHouse({
    cidrs: clickhouse.cidrs,
    port: clickhouse.port,
    pods: { matchLabels: { [SPARK_JOB_LABEL]: app.metadata.name } },
    policyName: `${app.metadata.name}-clickhouse`,
  }).policies();
  return new k8s.KubeNetworkPolicy(scope, 'ClickHouseEgress', {
    metadata: { name: grant.name, namespace: app.metadata.namespace, labels: { ...app.metadata.labels } },
    spec: networkPolicySpec(grant),
  });
}

/**
 * The objects of a Spark job construct: the plan's ConfigMap, ClickHouse egress when the job reads ClickHouse, and the
 * operator's custom resource (`kind` with `spec`) as the construct's default child.
 */
export function addSparkJobObjects(
  scope: Construct,
  app: PreparedSparkApplication,
  clickhouse: SparkJobProps['clickhouse'],
  resource: {
    readonly kind: 'SparkApplication' | 'ScheduledSparkApplication';
    readonly metadata: ApiObjectMetadata;
    readonly spec: unknown;
  },
): ApiObject {
  addPlanConfigMap(scope, app);
  if (clickhouse) addClickHouseEgress(scope, app, clickhouse);
  return new ApiObject(scope, 'Resource', { apiVersion: VERSIONS.sparkOperator.apiVersion, ...resource });
}
