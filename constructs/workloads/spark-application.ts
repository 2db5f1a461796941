// What SparkJob and ScheduledSparkJob share: their props, validating them, and rendering the SparkApplication spec and
// the plan ConfigMap. Not exported from the package: the two constructs (and the props spark-job.ts re-exports) are the API.
import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { cidr, DNS_LABEL, Problems, VERSIONS } from '../../config';
import {
  JOB_RUNNER,
  jobPlan,
  JobPlan,
  PLAN_ENV,
  planClickHouse,
  PlanStep,
  renderPlan,
  SPARK_CATALOG,
} from '../../jobs/plan';
import {
  KARPENTER_DO_NOT_DISRUPT,
  JOB_UID,
  NODE_POOL_LABEL,
  POLARIS_CREDENTIALS_SECRET,
  polarisCatalogUri,
  PRIORITY_CLASSES,
  SPARK_DRIVER_SERVICE_ACCOUNT,
  SPARK_EXECUTOR_SERVICE_ACCOUNT,
  SPARK_JOB_LABEL,
  SPARK_NODE_POOLS,
  SPARK_NODE_TAINT,
  sparkEventLogDir,
  TENANT_LABEL,
  tenantQueue,
  tenantUserInfo,
  YUNIKORN_USER_INFO,
} from '../conventions';
import { NetworkAllowRule, networkPolicySpec } from '../tenancy/network-allow-rule';
import { SPARK_PROMETHEUS_CONF } from '../monitoring/scrape-targets';
import {
  checkSparkResources,
  GangScheduling,
  isDynamic,
  peakDemand,
  RESOURCE_PROFILES,
  ResourceProfileName,
  SparkDemand,
  SparkPodResources,
  SparkResources,
} from './resource-profiles';

/** The Polaris catalog a job uses. */
export interface SparkJobCatalog {
  /** Polaris catalog name (the Iceberg `warehouse`). */
  readonly warehouse: string;
  /** Polaris realm, sent as the `Polaris-Realm` header. */
  readonly realm: string;
  /**
   * Base URL of the Iceberg REST API.
   * @default - polarisCatalogUri(), the in-cluster Polaris service
   */
  readonly uri?: string;
  /**
   * OAuth scope requested with the client credentials.
   * @default 'PRINCIPAL_ROLE:ALL'
   */
  readonly scope?: string;
}

/** A ClickHouse server a job reads, registered as the Spark catalog `clickhouse`. */
export interface SparkJobClickHouse {
  /** Host of its HTTP(S) interface. */
  readonly host: string;
  readonly port: number;
  /** `https` turns on TLS in the connector. */
  readonly protocol: 'http' | 'https';
  /** Default database of the catalog. */
  readonly database: string;
  /** Secret in the tenant namespace with the user and password. */
  readonly credentialsSecret: { readonly name: string; readonly userKey: string; readonly passwordKey: string };
  /** CIDR blocks of the ClickHouse hosts: the job's pods get egress to them (the tenant namespace denies the rest). */
  readonly cidrs: readonly string[];
}

/** Props of {@link SparkJob}; {@link ScheduledSparkJob} takes the same plus a schedule. */
export interface SparkJobProps {
  /** Tenant the job runs for: its namespace, service accounts, Polaris credentials Secret and YuniKorn queue. */
  readonly tenant: string;
  /**
   * Object name: a DNS-1035 label of at most 63 characters (43 for scheduled jobs).
   * @default - the construct id
   */
  readonly name?: string;
  /** Job image with the runner (`jobs.image` of the environment); a pinned tag or digest. */
  readonly image: string;
  /** What the job does: the job-plan steps the runner executes, in order. */
  readonly steps: readonly PlanStep[];
  /** The Polaris catalog (from the environment's `catalog`). */
  readonly catalog: SparkJobCatalog;
  /** Bucket receiving the Spark event logs (the environment's `storage.eventLogBucket`). */
  readonly eventLogBucket: string;
  /**
   * The ClickHouse server the steps read, when they read one; its credentials come from its Secret.
   * @default - the job does not connect to ClickHouse
   */
  readonly clickhouse?: SparkJobClickHouse;
  /**
   * A resource profile. Mutually exclusive with `resources`.
   * @default 'batch-etl' (when `resources` is not given either)
   */
  readonly profile?: ResourceProfileName;
  /**
   * Explicit resources instead of a profile; such jobs run at batch priority unless `priorityClassName` says otherwise.
   * @default - the profile's resources
   */
  readonly resources?: SparkResources;
  /**
   * YuniKorn gang scheduling: on with a placeholder timeout and style, or off. Its placeholders count in the tenant
   * budget check (see `peakDemand`).
   * @default - the profile's; Soft with a 300 s timeout for explicit `resources`
   */
  readonly gangScheduling?: GangScheduling;
  /**
   * PriorityClass of the driver and executor pods.
   * @default - the interactive class for the `interactive` profile, the batch class otherwise
   */
  readonly priorityClassName?: string;
  /**
   * Retries after a failed run (and after a failed submission) before the application is marked failed.
   * @default 2
   */
  readonly retries?: number;
  /**
   * Seconds between retries.
   * @default 60
   */
  readonly retryIntervalSeconds?: number;
  /**
   * Extra Spark configuration. Keys the operator denies, keys the construct manages (catalog, event log, resources)
   * and anything holding a credential are rejected.
   * @default - none
   */
  readonly sparkConf?: Readonly<Record<string, string>>;
  /**
   * Node selector for driver and executors alike (app level); replaces the Spark node pools. Mutually exclusive
   * with `driverNodeSelector` and `executorNodeSelector`, as the operator's webhook requires.
   * @default - none: the driver and executor pools are selected per pod
   */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /**
   * Node selector of the driver pod.
   * @default - the on-demand Spark driver pool
   */
  readonly driverNodeSelector?: Readonly<Record<string, string>>;
  /**
   * Node selector of the executor pods.
   * @default - the spot Spark executor pool
   */
  readonly executorNodeSelector?: Readonly<Record<string, string>>;
  /**
   * Labels of the object and its pods.
   * @default - the tenant label only
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Defaults of SparkJob and ScheduledSparkJob. */
export const SPARK_JOB_DEFAULTS = {
  profile: 'batch-etl' as ResourceProfileName,
  retries: 2,
  retryIntervalSeconds: 60,
  catalogScope: 'PRINCIPAL_ROLE:ALL',
  /** The `spark` user of the apache/spark images the job image builds on; numeric so runAsNonRoot can be verified. */
  sparkUid: JOB_UID,
  /** Gang scheduling of jobs sized with explicit `resources`. */
  gang: { enabled: true, style: 'Soft', placeholderTimeoutSeconds: 300 } as GangScheduling,
} as const;

/** The driver annotation carrying YuniKorn's gang parameters (k8shim 1.8.0 `gang_utils.go`). */
const SCHEDULING_POLICY_ANNOTATION = 'yunikorn.apache.org/schedulingPolicyParameters';

export { SPARK_JOB_LABEL };

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
  readonly gang: GangScheduling;
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
  const gang =
    props.gangScheduling ??
    (props.resources
      ? SPARK_JOB_DEFAULTS.gang
      : RESOURCE_PROFILES[props.profile ?? SPARK_JOB_DEFAULTS.profile]?.gang) ??
    SPARK_JOB_DEFAULTS.gang;
  if (gang.enabled) {
    problems.check(
      Number.isInteger(gang.placeholderTimeoutSeconds) && gang.placeholderTimeoutSeconds >= 1,
      'gangScheduling.placeholderTimeoutSeconds',
      gang.placeholderTimeoutSeconds,
      'a whole number of seconds >= 1',
    );
  }
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
          env: driverEnv(props),
          configMaps: [{ name: planConfigMapName, path: JOB_RUNNER.planDir }],
          annotations: {
            // Karpenter never drains a driver's node for drift or consolidation: losing the driver loses the whole job.
            [KARPENTER_DO_NOT_DISRUPT.key]: KARPENTER_DO_NOT_DISRUPT.value,
            // The application's YuniKorn user (the driver is its first pod): the identity the tenant's queue admits.
            [YUNIKORN_USER_INFO.annotation]: tenantUserInfo(props.tenant, SPARK_DRIVER_SERVICE_ACCOUNT),
            ...(gang.enabled
              ? {
                  [SCHEDULING_POLICY_ANNOTATION]: `placeholderTimeoutInSeconds=${gang.placeholderTimeoutSeconds} gangSchedulingStyle=${gang.style}`,
                }
              : {}),
          },
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
    // The operator's yunikorn batch scheduler always writes task groups, so gang scheduling is on exactly when it is
    // named; otherwise YuniKorn's admission controller still sends the pods to YuniKorn, placed by namespace.
    ...(gang.enabled
      ? { batchScheduler: 'yunikorn', batchSchedulerOptions: { queue: tenantQueue(props.tenant) } }
      : {}),
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
    gang,
    peakDemand: peakDemand(resources, gang),
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
 * Spark RPC authentication and authenticated encryption (Spark 4.0.1), on every Spark this package runs. On Kubernetes
 * and in local mode Spark generates a secret per application (`SecurityManager.initializeAuth`) and hands it to the
 * executors it creates (the `_SPARK_AUTH_SECRET` variable of their pods), so no secret is configured here; a process
 * without it cannot register as an executor or fetch blocks. The version-2 key derivation, no fallback to SASL, and
 * AES-CTR, Spark's default cipher: AES-GCM would add integrity, but on real Spark 4.0.1 (the local plane) a file
 * stream over a GCM channel stalled until the 120 s RPC timeout (an executor fetching the driver's jars, every try),
 * while the same run under CTR finishes in seconds.
 */
export const SPARK_RPC_SECURITY_CONF: Readonly<Record<string, string>> = {
  'spark.authenticate': 'true',
  'spark.network.crypto.enabled': 'true',
  'spark.network.crypto.cipher': 'AES/CTR/NoPadding',
  'spark.network.crypto.authEngineVersion': '2',
  'spark.network.crypto.saslFallback': 'false',
};

/**
 * The Spark conf every Spark application of a tenant carries (batch jobs and Spark Connect servers): RPC security,
 * the Polaris catalog, event logs, spot-friendly decommissioning.
 */
export function managedSparkConf(
  props: Pick<SparkJobProps, 'catalog' | 'eventLogBucket' | 'tenant'>,
): Record<string, string> {
  return {
    ...SPARK_RPC_SECURITY_CONF,
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
    // Nobody rewrites a plan in place: a changed plan is a new object (Pulumi replaces an immutable ConfigMap).
    immutable: true,
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
