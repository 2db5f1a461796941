/**
 * Every upstream version the package deploys, in one place. Bumps happen here and nowhere else;
 * `test/versions.test.ts` keeps the entries consistent with each other and with the pinned upstream data.
 */
export const VERSIONS = {
  /** EKS control-plane version the stacks create; the 1.28 API is the floor cdk8s-plus-28 is typed for. */
  kubernetes: { cluster: '1.34', apiFloor: '1.28' },
  /**
   * EKS managed add-on versions per cluster minor (`aws eks describe-addon-versions --kubernetes-version <minor>`). A
   * cluster version is accepted only when it has a row here, so add-ons never run against a minor they were not built for.
   */
  eksAddons: {
    '1.34': {
      'vpc-cni': 'v1.20.4-eksbuild.2',
      'kube-proxy': 'v1.34.0-eksbuild.2',
      'eks-pod-identity-agent': 'v1.3.10-eksbuild.2',
      coredns: 'v1.12.3-eksbuild.1',
      'aws-ebs-csi-driver': 'v1.54.0-eksbuild.1',
    },
  },
  karpenter: {
    chart: '1.12.1',
    chartRepository: 'oci://public.ecr.aws/karpenter/karpenter',
    /**
     * EKS-optimized Amazon Linux 2023 for Spark nodes, pinned to one release (Karpenter resolves it through the public SSM
     * parameters for the cluster's Kubernetes version). Karpenter advises against `@latest` outside pre-production: a
     * faulty AMI would roll onto every new node. Bump it like any other version, environment by environment.
     */
    amiAlias: 'al2023@v20260512',
  },
  /** RDS PostgreSQL for the Polaris metastore: the major version (RDS applies minor upgrades) and its parameter family. */
  postgres: { engineVersion: '17', parameterGroupFamily: 'postgres17' },
  sparkOperator: {
    chart: '2.5.2',
    chartRepository: 'https://kubeflow.github.io/spark-operator',
    image: 'ghcr.io/kubeflow/spark-operator/controller',
    imageTag: '2.5.2',
    /** API version of the SparkApplication / ScheduledSparkApplication CRDs it serves. */
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
  },
  yunikorn: {
    chart: '1.8.0',
    chartRepository: 'https://apache.github.io/yunikorn-release',
    schedulerImage: 'apache/yunikorn:scheduler-1.8.0',
    admissionImage: 'apache/yunikorn:admission-1.8.0',
    webImage: 'apache/yunikorn:web-1.8.0',
    placeholderImage: 'registry.k8s.io/pause:3.10',
  },
  polaris: {
    chart: '1.7.0',
    chartRepository: 'https://downloads.apache.org/polaris/helm-chart',
    image: 'apache/polaris:1.7.0',
    adminToolImage: 'apache/polaris-admin-tool:1.7.0',
  },
  /** Images this package builds (`npm run images` prints the build commands); the tags move with their sources. */
  platformImages: {
    /** The Polaris provisioner Job (`jobs/polaris-provisioner`), run on this Node base image. */
    polarisProvisioner: 'ghcr.io/acme-dataplane/polaris-provisioner:0.1.0',
    provisionerBase: 'node:20.20.2-alpine',
    /**
     * The Spark runtime built from `jobs/Dockerfile`: the pinned Spark image plus the Iceberg, S3A and ClickHouse jars and
     * the job runner. Spark jobs, offloads and the History Server all run it (`jobs.image` may point at a mirror).
     */
    sparkRuntime: 'ghcr.io/acme-dataplane/spark-runtime:0.1.0',
  },
  spark: {
    /** Spark 4.0: the newest line the ClickHouse connector supports (it has no 4.1 build). */
    version: '4.0.1',
    scala: '2.13',
    image: 'apache/spark:4.0.1-scala2.13-java17-python3-ubuntu',
  },
  iceberg: { version: '1.11.0' },
  /** hadoop-aws must equal the Hadoop line Spark 4.0.1 ships (3.4.1); the AWS SDK bundle is the one it was built against. */
  hadoop: { aws: '3.4.1', awsSdkBundle: '2.24.6' },
  clickhouseConnector: { version: '0.10.0', jdbc: '0.9.5' },
  /**
   * The project's Python environment (`.local/venv`, made by `npm run pyenv`): the job runner's linters and every
   * package the tests run for real. Exact pins, installed from PyPI with a pip cache inside `.local/`.
   */
  python: {
    ruff: '0.17.6',
    mypy: '2.4.1',
    /** Spark itself for the local data plane (`npm run local`): must equal `spark.version` (test/versions.test.ts). */
    pyspark: '4.0.1',
    /** S3 and STS of the local data plane (`moto_server`, installed with the `server` extra). */
    moto: '5.2.5',
    // The Spark Connect client of pyspark 4.0 (its `connect` extra) for the local Spark Connect test; pandas stays on
    // the 2.x line pyspark 4.0 is built for.
    pandas: '2.3.3',
    pyarrow: '26.0.1',
    grpcio: '1.76.0',
    'grpcio-status': '1.76.0',
    'googleapis-common-protos': '1.72.0',
  },
  /**
   * The local data plane (`npm run local`, the real-engine tests) fetches these into `.local/` besides the Python pins
   * and the Iceberg jars of `sparkPackages()`. Polaris itself is not among them: this machine's Maven Central serves no
   * `org.apache.polaris:polaris-runtime-service` 1.7.0 (nor the `org.apache.polaris:polaris` parent POM any served
   * Polaris module needs), so Spark's catalog is Iceberg's JDBC catalog on a local PostgreSQL.
   */
  localPlane: {
    /** The JDBC driver of Iceberg's JDBC catalog on the local PostgreSQL. */
    postgresJdbc: 'org.postgresql:postgresql:42.7.10',
    /** The plugin that copies jars out of the clone's Maven repository. */
    mavenDependencyPlugin: '3.8.1',
  },
  /**
   * Go tools the tests build from the Go module proxy (`npm run tools`) into `.local/bin`, by module path and an exact
   * version or commit.
   */
  goTools: {},
} as const;

/** Maven coordinates derived from the pins above, so jar versions cannot drift from the Spark/Scala line. */
export function sparkPackages(): Record<
  'icebergRuntime' | 'icebergAwsBundle' | 'hadoopAws' | 'awsSdkBundle' | 'clickhouseRuntime' | 'clickhouseJdbc',
  string
> {
  const sparkMinor = VERSIONS.spark.version.split('.').slice(0, 2).join('.');
  const scala = VERSIONS.spark.scala;
  return {
    icebergRuntime: `org.apache.iceberg:iceberg-spark-runtime-${sparkMinor}_${scala}:${VERSIONS.iceberg.version}`,
    icebergAwsBundle: `org.apache.iceberg:iceberg-aws-bundle:${VERSIONS.iceberg.version}`,
    hadoopAws: `org.apache.hadoop:hadoop-aws:${VERSIONS.hadoop.aws}`,
    awsSdkBundle: `software.amazon.awssdk:bundle:${VERSIONS.hadoop.awsSdkBundle}`,
    clickhouseRuntime: `com.clickhouse.spark:clickhouse-spark-runtime-${sparkMinor}_${scala}:${VERSIONS.clickhouseConnector.version}`,
    clickhouseJdbc: `com.clickhouse:clickhouse-jdbc:${VERSIONS.clickhouseConnector.jdbc}:all`,
  };
}
