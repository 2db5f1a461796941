import { JobPlan, planTables } from '../jobs/plan';

/**
 * Names that several layers must agree on (the tenant's service accounts, its queue, the catalog endpoint). They are
 * defined once here so a construct never guesses another's naming.
 */

/** Namespaces of the platform services (tenants may not take them, so the environment schema holds them). */
import { PLATFORM_NAMESPACES } from '../config';

export { PLATFORM_NAMESPACES };

/**
 * The EKS Pod Identity Agent: pods whose service account has a Pod Identity association fetch AWS credentials from
 * it (on every node, at this link-local address).
 */
export const POD_IDENTITY_AGENT = { address: '169.254.170.23', port: 80 } as const;

/** Label on tenant namespaces that the Spark Operator's `spark.jobNamespaceSelector` matches. */
export const SPARK_JOB_NAMESPACE_LABEL = { key: 'dataplane.io/spark-jobs', value: 'enabled' } as const;

/** Label carrying the tenant name, on the tenant namespace and on every object in it. */
export const TENANT_LABEL = 'dataplane.io/tenant';

/** Service account Spark drivers run as, in each tenant namespace. */
export const SPARK_DRIVER_SERVICE_ACCOUNT = 'spark-driver';

/** Service account Spark executors run as (no API access). */
export const SPARK_EXECUTOR_SERVICE_ACCOUNT = 'spark-executor';

/** Service account of the tenant's scheduled jobs that are not SparkApplications (e.g. offload CronJobs). */
export const TENANT_JOB_SERVICE_ACCOUNT = 'scheduled-jobs';

/** The tenant's Polaris client credentials (written by the Polaris provisioner, read by the tenant's jobs). */
export const POLARIS_CREDENTIALS_SECRET = {
  name: 'polaris-spark-credentials',
  clientIdKey: 'client-id',
  clientSecretKey: 'client-secret',
} as const;

/** The YuniKorn parent queue of every tenant's leaf queue. */
export const TENANTS_PARENT_QUEUE = 'root.tenants';

/** The tenant's leaf queue in YuniKorn. */
export function tenantQueue(tenant: string): string {
  return `${TENANTS_PARENT_QUEUE}.${tenant}`;
}

/**
 * The ConfigMap YuniKorn reads its queue configuration from (in PLATFORM_NAMESPACES.yunikorn; Helm never manages it),
 * and its key holding the queues (`service.policyGroup` left at its default, `queues`).
 */
export const YUNIKORN_CONFIG_MAP = { name: 'yunikorn-configs', queuesKey: 'queues.yaml' } as const;

/**
 * PriorityClasses for Spark pods: `interactive` for ad-hoc and latency-sensitive work (may preempt, is not preempted
 * by YuniKorn), `batch` for scheduled jobs (never preempts, may be preempted to restore another queue's guarantee).
 */
export const PRIORITY_CLASSES = { interactive: 'spark-interactive', batch: 'spark-batch' } as const;

/** The Polaris service inside the cluster. */
export const POLARIS_SERVICE = { name: 'polaris', port: 8181, managementPort: 8182 } as const;

/** Base URL of the Iceberg REST catalog API, as seen from inside the cluster. */
export function polarisCatalogUri(): string {
  return `http://${POLARIS_SERVICE.name}.${PLATFORM_NAMESPACES.polaris}.svc.cluster.local:${POLARIS_SERVICE.port}/api/catalog`;
}

/** Pod labels that identify Spark driver and executor pods (set by Spark on Kubernetes). */
export const SPARK_ROLE_LABEL = 'spark-role';

/** Label on a Spark job's driver and executor pods naming the job (scheduled runs carry the scheduled job's name). */
export const SPARK_JOB_LABEL = 'dataplane.io/spark-job';

/** Labels of the ClickHouse offload's pods (`app.kubernetes.io/name`), beside `dataplane.io/offload: <run name>`. */
export const OFFLOAD_POD_LABEL = { key: 'app.kubernetes.io/name', value: 'clickhouse-offload' } as const;

/** The name of a table group's warm/cold audit job (the only Spark job that reads ClickHouse credentials). */
export function auditJobName(tableGroup: string): string {
  return `${tableGroup}-audit`;
}

/** Values Spark gives SPARK_ROLE_LABEL. */
export const SPARK_ROLES = { driver: 'driver', executor: 'executor' } as const;

/** SPARK_ROLE_LABEL of a Spark Connect server pod (the operator's `SparkRoleConnectServer`, v2.5.2 pkg/common). */
export const SPARK_CONNECT_SERVER_ROLE = 'connect-server';

/** Label the operator puts on a SparkConnect's server and executor pods, valued with the object's name. */
export const SPARK_CONNECT_NAME_LABEL = 'sparkoperator.k8s.io/connect-name';

/** The Spark Connect gRPC port (Spark's default `spark.connect.grpc.binding.port`; the operator's Service exposes it). */
export const SPARK_CONNECT_PORT = 15002;

/**
 * Spark node pools: the AWS layer provisions them (Karpenter), the Spark job constructs select them. Drivers run on
 * on-demand capacity (losing a driver loses the job), executors on spot.
 */
export const SPARK_NODE_POOLS = {
  driver: { name: 'spark-driver', capacityType: 'on-demand' },
  executor: { name: 'spark-executor', capacityType: 'spot' },
} as const;

/** Node label whose value is the Spark node pool name. */
export const NODE_POOL_LABEL = 'dataplane.io/node-pool';

/** Taint on every Spark node, so only Spark pods (which tolerate it) land there. */
export const SPARK_NODE_TAINT = { key: 'dataplane.io/spark', value: 'true', effect: 'NoSchedule' } as const;

/** The toleration of {@link SPARK_NODE_TAINT} every pod on the Spark node pools carries. */
export const SPARK_NODE_TOLERATION = {
  key: SPARK_NODE_TAINT.key,
  operator: 'Equal',
  value: SPARK_NODE_TAINT.value,
  effect: SPARK_NODE_TAINT.effect,
} as const;

/**
 * The numeric user (and group) job pods run as: the `spark` user of the apache/spark images the Spark runtime builds
 * on, which the offload image creates too; numeric so `runAsNonRoot` can be verified.
 */
export const JOB_UID = 185;

/** An environment variable read from a key of a Secret in the pod's namespace. */
export function secretEnv(name: string, secret: string, key: string) {
  return { name, valueFrom: { secretKeyRef: { name: secret, key } } };
}

/**
 * Label on every scheduled job giving its ADR-006 batch tier: `1` the hourly lightweight offload, `2` the Spark
 * maintenance and audits. `npm run report` totals each tier against its budget.
 */
export const BATCH_TIER_LABEL = 'dataplane.io/batch-tier';

/** Node label of the system nodes (the managed node group and Karpenter's system pool): operators, Polaris, History Server. */
export const SYSTEM_NODE_LABEL = { key: 'dataplane.io/node-pool', value: 'system' } as const;

/**
 * Taint on every system node, so only platform pods land there: the key EKS and the upstream charts already use for
 * cluster-critical add-ons (CoreDNS, the EBS CSI controller and Karpenter tolerate it by default). Platform releases and
 * Deployments carry {@link SYSTEM_NODE_TOLERATION}; tenant pods never do.
 */
export const SYSTEM_NODE_TAINT = { key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' } as const;

/** The toleration of {@link SYSTEM_NODE_TAINT} that platform pods carry. */
export const SYSTEM_NODE_TOLERATION = {
  key: SYSTEM_NODE_TAINT.key,
  operator: 'Exists',
  effect: SYSTEM_NODE_TAINT.effect,
} as const;

/** Name of the Karpenter NodePool that adds system nodes when the managed node group is full. */
export const SYSTEM_NODE_POOL = 'system';

/**
 * PriorityClass of every platform pod (operators, Polaris, History Server, provisioner): above all tenant work (the
 * Spark classes in PRIORITY_CLASSES), so a full node evicts Spark pods before the services they need.
 */
export const PLATFORM_PRIORITY_CLASS = { name: 'dataplane-platform', value: 1_000_000 } as const;

/** Annotation Karpenter honours on a pod: the node running it is never disrupted voluntarily (drift, consolidation). */
export const KARPENTER_DO_NOT_DISRUPT = { key: 'karpenter.sh/do-not-disrupt', value: 'true' } as const;

/**
 * Annotation on every scheduled job (ScheduledSparkApplication, CronJob) giving its expected run time in whole minutes.
 * The schedule-conflict checks and `npm run report` read it from the synthesized objects.
 */
export const EXPECTED_RUNTIME_ANNOTATION = 'dataplane.io/expected-runtime-minutes';

/**
 * Service accounts of platform services that get AWS credentials through EKS Pod Identity: the AWS layer associates
 * their roles with exactly these names (in {@link PLATFORM_NAMESPACES}), so the Helm releases must use them.
 */
export const PLATFORM_SERVICE_ACCOUNTS = { polaris: 'polaris', historyServer: 'spark-history-server' } as const;

/**
 * Ports the Kubernetes API server calls on admission webhooks. The Spark Operator webhook is an ordinary pod; the YuniKorn
 * admission controller runs on the host network, so the AWS layer must open both from the control plane to the nodes.
 */
export const WEBHOOK_PORTS = { sparkOperator: 9443, yunikornAdmission: 9089 } as const;

/** Port of the Polaris PostgreSQL database; network policies allow it and the AWS layer serves the database on it. */
export const POLARIS_DATABASE_PORT = 5432;

/**
 * Objects the Pulumi program creates at deploy time in the Polaris namespace. Synthesized objects (the Polaris values and
 * the provisioning Job) refer to them by name only, so no credential or key is ever written to `dist/`.
 */
export const POLARIS_DEPLOY_TIME_OBJECTS = {
  /** JDBC connection of the relational-jdbc persistence. */
  persistenceSecret: {
    name: 'polaris-persistence',
    usernameKey: 'username',
    passwordKey: 'password',
    jdbcUrlKey: 'jdbcUrl',
  },
  /** RSA key pair every Polaris replica signs and verifies tokens with. */
  tokenBrokerSecret: { name: 'polaris-token-broker', publicKeyKey: 'public.pem', privateKeyKey: 'private.pem' },
  /** The realm's root client credentials (bootstrap and provisioning). */
  rootCredentialsSecret: {
    name: 'polaris-root-credentials',
    clientIdKey: 'client-id',
    clientSecretKey: 'client-secret',
  },
  /** How Polaris reaches the catalog's storage: IAM role, its external ID and the buckets' KMS key (AWS outputs, not secrets). */
  catalogStorageConfigMap: {
    name: 'polaris-catalog-storage',
    roleArnKey: 'role-arn',
    externalIdKey: 'external-id',
    kmsKeyArnKey: 'kms-key-arn',
  },
} as const;

/** Key prefix of the Spark event logs in the event-log bucket. */
export const SPARK_EVENTS_PREFIX = 'spark-events';

/** Key prefix of one tenant's event logs: its drivers may write only here (IAM), its History Server reads it. */
export function tenantEventLogPrefix(tenant: string): string {
  return `${SPARK_EVENTS_PREFIX}/${tenant}/`;
}

/** Where a tenant's Spark drivers write event logs and its History Server reads them. */
export function sparkEventLogDir(eventLogBucket: string, tenant: string): string {
  return `s3a://${eventLogBucket}/${tenantEventLogPrefix(tenant)}`;
}

/**
 * Annotation on every scheduled job naming the Iceberg tables it writes or maintains (comma-separated, as
 * `namespace.table`). `npm run report` reads it to flag jobs whose windows intersect on the same table.
 */
export const ICEBERG_TABLES_ANNOTATION = 'dataplane.io/iceberg-tables';

/** The annotations of a scheduled job: its expected run time and the Iceberg tables its plan writes. */
export function scheduledJobAnnotations(plan: JobPlan, expectedRuntimeMinutes: number): Record<string, string> {
  const tables = planTables(plan);
  return {
    [EXPECTED_RUNTIME_ANNOTATION]: String(expectedRuntimeMinutes),
    ...(tables.length > 0 ? { [ICEBERG_TABLES_ANNOTATION]: tables.join(',') } : {}),
  };
}

/**
 * The pod annotation YuniKorn reads an application's user and groups from (k8shim 1.8.0 `utils.GetUserFromPod`, JSON
 * of `si.UserGroupInformation`), and the pod label it falls back to when the annotation is absent.
 */
export const YUNIKORN_USER_INFO = {
  annotation: 'yunikorn.apache.org/user.info',
  fallbackLabel: 'yunikorn.apache.org/username',
} as const;

/**
 * The user YuniKorn attributes pods of `serviceAccount` in `tenant`'s namespace to, and its group. The Kubernetes name
 * `system:serviceaccount:<ns>:<sa>` cannot be used: yunikorn-core 1.8.0's ACL parser (`security/acl.go`) silently
 * drops every ACL name with a colon, so a queue ACL could never admit it. This spelling passes both the ACL and the
 * user-name patterns of yunikorn-core.
 */
export function tenantSchedulingIdentity(tenant: string, serviceAccount: string): { user: string; groups: string[] } {
  return { user: `serviceaccount.${tenant}.${serviceAccount}`, groups: [`tenant-${tenant}`] };
}

/** The `yunikorn.apache.org/user.info` value of pods running as `serviceAccount` in `tenant`'s namespace. */
export function tenantUserInfo(tenant: string, serviceAccount: string): string {
  return JSON.stringify(tenantSchedulingIdentity(tenant, serviceAccount));
}

/** The service accounts of a tenant whose pods start YuniKorn applications: Spark drivers and scheduled jobs. */
export const TENANT_SUBMITTING_SERVICE_ACCOUNTS = [SPARK_DRIVER_SERVICE_ACCOUNT, TENANT_JOB_SERVICE_ACCOUNT] as const;

/** A Pod Security Standards level. */
export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

/**
 * The Pod Security admission labels of a namespace: `enforce` rejects pods above the level, `warn` and `audit` report
 * pods above the stricter level; all pinned to the Kubernetes minor the cluster runs (`version`, e.g. `1.34`).
 */
export function podSecurityLabels(
  levels: { readonly enforce: PodSecurityLevel; readonly warn: PodSecurityLevel; readonly audit: PodSecurityLevel },
  version: string,
): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [mode, level] of Object.entries(levels)) {
    labels[`pod-security.kubernetes.io/${mode}`] = level;
    labels[`pod-security.kubernetes.io/${mode}-version`] = `v${version}`;
  }
  return labels;
}
/**
 * The monitoring stack (kube-prometheus-stack) the platform layer installs: its namespace, Helm release, the service
 * account its Prometheus runs as (Pod Identity for the remote write is bound to exactly this name) and the labels the
 * Prometheus Operator puts on every Prometheus pod (network policies admit scrapes from them only).
 */
export const MONITORING = {
  namespace: 'monitoring',
  release: 'kube-prometheus-stack',
  prometheusServiceAccount: 'prometheus',
  prometheusPodLabels: {
    'app.kubernetes.io/name': 'prometheus',
    'app.kubernetes.io/managed-by': 'prometheus-operator',
  },
  /** The label the chart's Grafana sidecar discovers dashboard ConfigMaps by (`grafana.sidecar.dashboards.label`). */
  dashboardLabel: { key: 'grafana_dashboard', value: '1' },
} as const;

/**
 * Label on every ScheduledSparkApplication (and so on each run, which the operator copies it to) carrying the job name.
 * The operator's `--metrics-labels` turns it into the metric label `dataplane_job` ("-" becomes "_"); a key with "." or
 * "/" would not be a valid Prometheus label name.
 */
export const SCHEDULED_JOB_METRIC_LABEL = { key: 'dataplane-job', metricLabel: 'dataplane_job' } as const;
