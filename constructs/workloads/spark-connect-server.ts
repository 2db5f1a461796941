import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DataPlaneError, Problems, VERSIONS } from '../../config';
import { PLAN_ENV, SPARK_CATALOG } from '../../jobs/plan';
import {
  NODE_POOL_LABEL,
  PRIORITY_CLASSES,
  SPARK_DRIVER_SERVICE_ACCOUNT,
  SPARK_EXECUTOR_SERVICE_ACCOUNT,
  SPARK_NODE_POOLS,
  TENANT_LABEL,
  tenantQueue,
  tenantUserInfo,
  YUNIKORN_USER_INFO,
} from '../conventions';
import { NetworkAllowRule, networkPolicySpec } from '../tenancy/network-allow-rule';
import {
  checkSparkResources,
  DynamicExecutors,
  isDynamic,
  peakDemand,
  RESOURCE_PROFILES,
  SparkDemand,
  sparkMemoryBytes,
  SparkPodResources,
  SparkResources,
} from './resource-profiles';
import {
  managedSparkConf,
  polarisCredentialEnv,
  sparkContainerSecurityContext,
  sparkPodSecurityContext,
  sparkTolerations,
} from './spark-application';
import { SparkJobCatalog } from './spark-job';

/** API version of the operator's SparkConnect custom resource (v1alpha1 in the 2.5.2 chart's CRDs). */
export const SPARK_CONNECT_API_VERSION = 'sparkoperator.k8s.io/v1alpha1';

/** Defaults of {@link SparkConnectServer}. */
export const SPARK_CONNECT_DEFAULTS = {
  /** The `interactive` profile: a small server, executors between 0 and 4, so an idle server holds only itself. */
  resources: RESOURCE_PROFILES.interactive as SparkResources,
  /** Seconds an idle executor is kept before dynamic allocation releases it. */
  executorIdleTimeoutSeconds: 300,
} as const;

/** Container names the operator looks for in the pod templates (v2.5.2 `common.Spark3Default*ContainerName`). */
const SERVER_CONTAINER = 'spark-kubernetes-driver';
const EXECUTOR_CONTAINER = 'spark-kubernetes-executor';

/** The operator derives the Service `<name>-server` and rejects names that leave it no room (its webhook, v2.5.2). */
const MAX_NAME_LENGTH = 63 - '-server'.length;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Label and annotation keys YuniKorn reads first for a pod's application and queue (k8shim v1.8.0 `utils`). */
const YUNIKORN_APP_ID_LABEL = 'yunikorn.apache.org/app-id';
const YUNIKORN_QUEUE_LABEL = 'yunikorn.apache.org/queue';

/** Props of {@link SparkConnectServer}. */
export interface SparkConnectServerProps {
  /** Tenant the server runs for: its namespace, service accounts, Polaris credentials and YuniKorn queue. */
  readonly tenant: string;
  /**
   * Object name; the operator names the server pod and Service `<name>-server`.
   * @default `<tenant>-connect`
   */
  readonly name?: string;
  /** The Spark runtime image (`jobs.image` of the environment). */
  readonly image: string;
  /** The Polaris catalog, configured exactly as batch jobs get it. */
  readonly catalog: SparkJobCatalog;
  /** Bucket receiving the Spark event logs. */
  readonly eventLogBucket: string;
  /** The VPC CIDR, where the Kubernetes API endpoint lives (the server creates its executors through it). */
  readonly apiCidr: string;
  /**
   * Namespaces whose pods may open sessions.
   * @default - none (then `clientCidrs` must name some)
   */
  readonly clientNamespaces?: readonly string[];
  /**
   * Address ranges that may open sessions.
   * @default - none (then `clientNamespaces` must name some)
   */
  readonly clientCidrs?: readonly string[];
  /**
   * Server and executor sizes; executors must be dynamic with a minimum of 0, so only the server idles.
   * @default SPARK_CONNECT_DEFAULTS.resources (the `interactive` profile)
   */
  readonly resources?: SparkResources;
}

/**
 * A tenant's interactive Spark: a SparkConnect resource the Spark Operator turns into a Spark Connect server pod
 * (gRPC on SPARK_CONNECT_PORT behind the operator's `<name>-server` Service) that starts executors on demand. The
 * server and its executors run in the tenant namespace as the tenant's service accounts, in its YuniKorn queue at
 * the interactive priority, with the Polaris catalog and vended credentials configured as for batch jobs, and only
 * the declared clients may reach the gRPC port.
 */
export class SparkConnectServer extends Construct {
  public readonly name: string;
  public readonly tenant: string;
  public readonly resources: SparkResources;
  /** The most the server holds at once: itself plus its largest executor set. */
  public readonly peakDemand: SparkDemand;
  /** What it holds when idle: the server pod only. */
  public readonly idleDemand: SparkDemand;

  constructor(scope: Construct, id: string, props: SparkConnectServerProps) {
    super(scope, id);
    const problems = new Problems(this.node.path);
    this.name = props.name ?? `${props.tenant}-connect`;
    this.tenant = props.tenant;
    problems.check(
      DNS_1035_LABEL.test(this.name) && this.name.length <= MAX_NAME_LENGTH,
      'name',
      this.name,
      `a DNS-1035 label of at most ${MAX_NAME_LENGTH} characters (the operator names its Service <name>-server)`,
    );
    this.resources = props.resources ?? SPARK_CONNECT_DEFAULTS.resources;
    checkSparkResources(problems, 'resources', this.resources);
    const executors = this.resources.executors;
    problems.check(
      isDynamic(executors) && executors.min === 0 && executors.initial === 0,
      'resources.executors',
      executors,
      'dynamic executors with min and initial 0, so an idle server holds no executors',
    );
    let traffic: NetworkAllowRule | undefined;
    try {
      traffic = NetworkAllowRule.sparkConnectServer({
        server: this.name,
        apiCidr: props.apiCidr,
        clientNamespaces: props.clientNamespaces,
        clientCidrs: props.clientCidrs,
      });
    } catch (error) {
      if (!(error instanceof DataPlaneError)) throw error;
      for (const line of error.problems) problems.note(line);
    }
    problems.throwIfAny();

    this.peakDemand = peakDemand(this.resources);
    this.idleDemand = peakDemand({ ...this.resources, executors: { instances: 0 } });
    const labels = { [TENANT_LABEL]: props.tenant };
    // One YuniKorn application in the tenant's queue: the server and the executors it starts.
    const scheduling = { [YUNIKORN_APP_ID_LABEL]: this.name, [YUNIKORN_QUEUE_LABEL]: tenantQueue(props.tenant) };
    const podSpec = (role: 'driver' | 'executor', serviceAccountName: string) => ({
      serviceAccountName,
      // The server creates its executors through the API; executors never call it.
      automountServiceAccountToken: role === 'driver',
      schedulerName: 'yunikorn',
      priorityClassName: PRIORITY_CLASSES.interactive,
      nodeSelector: { [NODE_POOL_LABEL]: SPARK_NODE_POOLS[role].name },
      tolerations: sparkTolerations(),
      securityContext: sparkPodSecurityContext(),
    });
    const server = this.resources.driver;
    const executor = this.resources.executor;

    new ApiObject(this, 'Resource', {
      apiVersion: SPARK_CONNECT_API_VERSION,
      kind: 'SparkConnect',
      metadata: { name: this.name, namespace: props.tenant, labels },
      spec: {
        sparkVersion: VERSIONS.spark.version,
        image: props.image,
        sparkConf: shellQuotedConf(this.connectSparkConf(props)),
        server: {
          cores: server.cores,
          memory: server.memory,
          template: {
            metadata: {
              labels: { ...labels, ...scheduling },
              // The application's YuniKorn user (the server is its first pod): the identity the tenant's queue admits.
              annotations: {
                [YUNIKORN_USER_INFO.annotation]: tenantUserInfo(props.tenant, SPARK_DRIVER_SERVICE_ACCOUNT),
              },
            },
            spec: {
              ...podSpec('driver', SPARK_DRIVER_SERVICE_ACCOUNT),
              containers: [
                {
                  name: SERVER_CONTAINER,
                  // The operator starts the server from this template as is: the pod's size is ours to set.
                  resources: podResources(server),
                  env: polarisCredentialEnv(),
                  securityContext: sparkContainerSecurityContext(),
                },
              ],
            },
          },
        },
        executor: {
          cores: executor.cores,
          memory: executor.memory,
          template: {
            metadata: { labels: { ...labels, ...scheduling } },
            spec: {
              ...podSpec('executor', SPARK_EXECUTOR_SERVICE_ACCOUNT),
              containers: [{ name: EXECUTOR_CONTAINER, securityContext: sparkContainerSecurityContext() }],
            },
          },
        },
        dynamicAllocation: {
          enabled: true,
          initialExecutors: 0,
          minExecutors: 0,
          maxExecutors: (executors as DynamicExecutors).max,
          shuffleTrackingEnabled: true,
        },
      },
    });
    for (const grant of traffic!.policies()) {
      new k8s.KubeNetworkPolicy(this, grant.name, {
        metadata: { name: grant.name, namespace: props.tenant, labels },
        spec: networkPolicySpec(grant),
      });
    }
  }

  /** The batch jobs' managed conf plus what a long-lived server needs; the catalog credential comes from env. */
  private connectSparkConf(props: SparkConnectServerProps): Record<string, string> {
    const executor = this.resources.executor;
    return {
      ...managedSparkConf(props),
      // The operator runs the server with `bash -c`, so these references expand from the Secret-backed env of the
      // server container: the manifest never holds the credential.
      [`spark.sql.catalog.${SPARK_CATALOG}.credential`]: `\${${PLAN_ENV.polarisClientId}}:\${${PLAN_ENV.polarisClientSecret}}`,
      'spark.driver.memoryOverhead': this.resources.driver.memoryOverhead,
      'spark.executor.memoryOverhead': executor.memoryOverhead,
      // Executors request what the tenant quota counts: a CPU limit equal to the cores.
      'spark.kubernetes.executor.limit.cores': String(executor.cores),
      'spark.dynamicAllocation.executorIdleTimeout': `${SPARK_CONNECT_DEFAULTS.executorIdleTimeoutSeconds}s`,
    };
  }
}

/** Requests and limits of a pod running a Spark JVM of this size. */
function podResources(r: SparkPodResources) {
  const memory = `${(sparkMemoryBytes(r.memory) + sparkMemoryBytes(r.memoryOverhead)) / 2 ** 20}Mi`;
  const amounts = { cpu: String(r.cores), memory };
  return { requests: amounts, limits: amounts };
}

/**
 * The operator (v2.5.2 `sparkconnect/options.go`) joins `--conf key=value` pairs with spaces into one `bash -c` line,
 * unquoted. Values are single-quoted so characters such as `|` and `(` in the redaction regex reach Spark intact;
 * values that reference environment variables (`${VAR}`) are double-quoted so bash expands them.
 */
export function shellQuotedConf(conf: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(conf).map(([key, value]) => {
      if (/^[A-Za-z0-9_.,:/@%+=-]+$/.test(value)) return [key, value];
      if (/^(\$\{[A-Z_][A-Z0-9_]*\}|[A-Za-z0-9_.:-])+$/.test(value)) return [key, `"${value}"`];
      return [key, `'${value.replace(/'/g, `'\\''`)}'`];
    }),
  );
}
