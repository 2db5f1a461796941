import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import {
  awsRegion,
  checkResources,
  ContainerResources,
  count,
  parseQuantity,
  Problems,
  StorageSchema,
  VERSIONS,
} from '../../config';
import { PLATFORM_NAMESPACES, PLATFORM_SERVICE_ACCOUNTS, sparkEventLogDir, SYSTEM_NODE_LABEL } from '../conventions';
import { kubeResources } from './kube-resources';
import { HISTORY_SERVER_NAME, HISTORY_SERVER_POD_LABELS, HISTORY_SERVER_PORT } from './platform-releases';

export interface SparkHistoryServerProps {
  /** The bucket Spark drivers write event logs to; the server reads `sparkEventLogDir(bucket)`. */
  readonly eventLogBucket: string;
  /** AWS region of the bucket (S3A signs requests for it). */
  readonly region: string;
  /**
   * Server replicas; each reads the bucket independently.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Container requests and limits; the JVM heap is three quarters of the memory limit.
   * @default - 500m / 2Gi requested, 1 CPU / 2Gi limit
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
    requests: { cpu: '500m', memory: '2Gi' },
    limits: { cpu: '1', memory: '2Gi' },
  } satisfies ContainerResources,
  image: VERSIONS.platformImages.sparkRuntime,
  nodeSelector: { [SYSTEM_NODE_LABEL.key]: SYSTEM_NODE_LABEL.value },
};

/** UID of the `spark` user in the Apache Spark images. */
const SPARK_UID = 185;
const CONF_DIR = '/etc/spark/conf';

/**
 * The Spark History Server: a Deployment and Service of our own on the pinned Spark image (extended with the S3A jars),
 * reading the event-log bucket with Pod Identity credentials of its service account. Read-only: expiring old event logs
 * is left to the bucket's lifecycle rules, so the server needs no delete permission.
 */
export class SparkHistoryServer extends Construct {
  /** The event-log directory the server reads. */
  public readonly logDirectory: string;
  /** The in-cluster Service name. */
  public readonly serviceName = HISTORY_SERVER_NAME;

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
    checkResources(problems, 'resources', resources);
    problems.throwIfAny();

    this.logDirectory = sparkEventLogDir(props.eventLogBucket);
    const namespace = PLATFORM_NAMESPACES.historyServer;
    const name = this.serviceName;
    const labels = { ...HISTORY_SERVER_POD_LABELS };
    const heapMiB = Math.floor((parseQuantity(resources.limits.memory) / 2 ** 20) * 0.75);
    const conf = [
      `spark.history.fs.logDirectory ${this.logDirectory}`,
      `spark.history.ui.port ${HISTORY_SERVER_PORT}`,
      'spark.history.fs.update.interval 30s',
      `spark.hadoop.fs.s3a.endpoint.region ${props.region}`,
      // The SDK v2 default chain reads the Pod Identity agent's credentials.
      'spark.hadoop.fs.s3a.aws.credentials.provider software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider',
    ].join('\n');

    new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: { name: PLATFORM_SERVICE_ACCOUNTS.historyServer, namespace },
      automountServiceAccountToken: false,
    });
    new k8s.KubeConfigMap(this, 'config', {
      metadata: { name, namespace },
      data: { 'spark-defaults.conf': `${conf}\n` },
    });
    const probe = (failureThreshold: number): k8s.Probe => ({
      httpGet: { path: '/api/v1/version', port: k8s.IntOrString.fromString('http') },
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold,
    });
    new k8s.KubeDeployment(this, 'deployment', {
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
    new k8s.KubeService(this, 'service', {
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
