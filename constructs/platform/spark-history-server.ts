import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import {
  awsRegion,
  checkResources,
  ContainerResources,
  count,
  DNS_LABEL,
  parseQuantity,
  Problems,
  StorageSchema,
  VERSIONS,
} from '../../config';
import {
  PLATFORM_NAMESPACES,
  PLATFORM_PRIORITY_CLASS,
  PLATFORM_SERVICE_ACCOUNTS,
  sparkEventLogDir,
  SYSTEM_NODE_LABEL,
  SYSTEM_NODE_TOLERATION,
  TENANT_LABEL,
} from '../conventions';
import { kubeResources } from './kube-resources';
import { HISTORY_SERVER_NAME, HISTORY_SERVER_POD_LABELS, HISTORY_SERVER_PORT } from './platform-releases';

export interface SparkHistoryServerProps {
  /** The bucket Spark drivers write event logs to. */
  readonly eventLogBucket: string;
  /**
   * The tenants: one server each, reading `sparkEventLogDir(bucket, tenant)` (Spark 4.0's History Server reads one flat
   * directory, and each tenant's drivers may write only under their own prefix).
   */
  readonly tenants: readonly string[];
  /** AWS region of the bucket (S3A signs requests for it). */
  readonly region: string;
  /**
   * Replicas of each tenant's server; each reads the bucket independently.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Container requests and limits of each tenant's server; the JVM heap is three quarters of the memory limit.
   * @default - 250m / 1Gi requested, 1 CPU / 1Gi limit
   */
  readonly resources?: ContainerResources;
  /**
   * Image: the Spark runtime (the pinned Spark image plus the S3A jars, built from `jobs/Dockerfile`).
   * @default VERSIONS.platformImages.sparkRuntime
   */
  readonly image?: string;
  /**
   * Nodes the server may run on.
   * @default - the system node group (SYSTEM_NODE_LABEL)
   */
  readonly nodeSelector?: Readonly<Record<string, string>>;
}

const DEFAULTS = {
  replicas: 1,
  resources: {
    requests: { cpu: '250m', memory: '1Gi' },
    limits: { cpu: '1', memory: '1Gi' },
  } satisfies ContainerResources,
  image: VERSIONS.platformImages.sparkRuntime,
  nodeSelector: { [SYSTEM_NODE_LABEL.key]: SYSTEM_NODE_LABEL.value },
};

/** UID of the `spark` user in the Apache Spark images. */
const SPARK_UID = 185;
const CONF_DIR = '/etc/spark/conf';

/**
 * The Spark History Server: per tenant a Deployment and Service of our own on the pinned Spark image (extended with the
 * S3A jars), reading that tenant's event-log prefix with the Pod Identity credentials of the one shared service account
 * (whose role reads every tenant's prefix). Read-only: expiring old event logs is left to the bucket's lifecycle rules,
 * so the servers need no delete permission. A tenant's server shows only its own jobs.
 */
export class SparkHistoryServer extends Construct {
  /** The event-log directory each tenant's server reads. */
  public readonly logDirectories: Readonly<Record<string, string>>;
  /** The in-cluster Service name per tenant. */
  public readonly serviceNames: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: SparkHistoryServerProps) {
    super(scope, id);
    const replicas = props.replicas ?? DEFAULTS.replicas;
    const resources = props.resources ?? DEFAULTS.resources;
    const problems = new Problems(this.node.path);
    problems.check(
      StorageSchema.shape.eventLogBucket.safeParse(props.eventLogBucket).success,
      'eventLogBucket',
      props.eventLogBucket,
      'an S3 bucket name',
    );
    problems.check(
      awsRegion.safeParse(props.region).success,
      'region',
      props.region,
      'an AWS region such as eu-west-1',
    );
    problems.check(count(1).safeParse(replicas).success, 'replicas', replicas, 'a whole number >= 1');
    problems.check(props.tenants.length > 0, 'tenants', props.tenants, 'at least one tenant');
    props.tenants.forEach((t, i) =>
      problems.check(DNS_LABEL.test(t) && t.length <= 42, `tenants[${i}]`, t, 'a tenant name of at most 42 characters'),
    );
    checkResources(problems, 'resources', resources);
    problems.throwIfAny();

    const namespace = PLATFORM_NAMESPACES.historyServer;
    this.logDirectories = Object.fromEntries(props.tenants.map((t) => [t, sparkEventLogDir(props.eventLogBucket, t)]));
    this.serviceNames = Object.fromEntries(props.tenants.map((t) => [t, `${HISTORY_SERVER_NAME}-${t}`]));
    new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: { name: PLATFORM_SERVICE_ACCOUNTS.historyServer, namespace },
      automountServiceAccountToken: false,
    });
    for (const tenant of props.tenants) this.addServer(tenant, props, replicas, resources);
  }

  private addServer(
    tenant: string,
    props: SparkHistoryServerProps,
    replicas: number,
    resources: ContainerResources,
  ): void {
    const namespace = PLATFORM_NAMESPACES.historyServer;
    const name = this.serviceNames[tenant];
    const labels = { ...HISTORY_SERVER_POD_LABELS, [TENANT_LABEL]: tenant };
    const heapMiB = Math.floor((parseQuantity(resources.limits.memory) / 2 ** 20) * 0.75);
    const conf = [
      `spark.history.fs.logDirectory ${this.logDirectories[tenant]}`,
      `spark.history.ui.port ${HISTORY_SERVER_PORT}`,
      'spark.history.fs.update.interval 30s',
      `spark.hadoop.fs.s3a.endpoint.region ${props.region}`,
      // The SDK v2 default chain reads the Pod Identity agent's credentials.
      'spark.hadoop.fs.s3a.aws.credentials.provider software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider',
    ].join('\n');

    new k8s.KubeConfigMap(this, `${tenant}-config`, {
      metadata: { name, namespace },
      data: { 'spark-defaults.conf': `${conf}\n` },
    });
    // Probes run in the container, so the UI port needs no ingress from node (that is, any VPC) addresses.
    const probe = (failureThreshold: number): k8s.Probe => ({
      exec: {
        command: [
          'python3',
          '-c',
          `import urllib.request; urllib.request.urlopen('http://127.0.0.1:${HISTORY_SERVER_PORT}/api/v1/version', timeout=4)`,
        ],
      },
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold,
    });
    new k8s.KubeDeployment(this, `${tenant}-deployment`, {
      metadata: { name, namespace, labels },
      spec: {
        replicas,
        revisionHistoryLimit: 3,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: PLATFORM_SERVICE_ACCOUNTS.historyServer,
            automountServiceAccountToken: false,
            nodeSelector: { ...(props.nodeSelector ?? DEFAULTS.nodeSelector) },
            tolerations: [{ ...SYSTEM_NODE_TOLERATION }],
            priorityClassName: PLATFORM_PRIORITY_CLASS.name,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: SPARK_UID,
              runAsGroup: SPARK_UID,
              fsGroup: SPARK_UID,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name: 'history-server',
                image: props.image ?? DEFAULTS.image,
                imagePullPolicy: 'IfNotPresent',
                command: ['/opt/spark/bin/spark-class', 'org.apache.spark.deploy.history.HistoryServer'],
                env: [
                  { name: 'SPARK_CONF_DIR', value: CONF_DIR },
                  { name: 'SPARK_DAEMON_MEMORY', value: `${heapMiB}m` },
                ],
                ports: [{ name: 'http', containerPort: HISTORY_SERVER_PORT, protocol: 'TCP' }],
                readinessProbe: probe(3),
                livenessProbe: { ...probe(6), initialDelaySeconds: 30 },
                resources: kubeResources(resources),
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
                volumeMounts: [
                  { name: 'config', mountPath: CONF_DIR, readOnly: true },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
            ],
            volumes: [
              { name: 'config', configMap: { name } },
              { name: 'tmp', emptyDir: {} },
            ],
          },
        },
      },
    });
    new k8s.KubeService(this, `${tenant}-service`, {
      metadata: { name, namespace, labels },
      spec: {
        selector: labels,
        ports: [
          { name: 'http', port: HISTORY_SERVER_PORT, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' },
        ],
      },
    });
  }
}
