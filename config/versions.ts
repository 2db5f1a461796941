/**
 * Every upstream version the package deploys, in one place. Bumps happen here and nowhere else;
 * `test/versions.test.ts` keeps the entries consistent with each other and with the pinned upstream data.
 */
export const VERSIONS = {
  /**
   * EKS control-plane version the stacks create; the 1.28 API is the floor cdk8s-plus-28 is typed for. 1.35: 1.34 leaves
   * EKS standard support on 2026-12-02. The offline validator reads `schemas/k8s-v<cluster>/`.
   */
  kubernetes: { cluster: '1.35', apiFloor: '1.28' },
  /**
   * EKS managed add-on versions per cluster minor (`aws eks describe-addon-versions --kubernetes-version <minor>`). A
   * cluster version is accepted only when it has a row here, so add-ons never run against a minor they were not built
   * for; moving an add-on is a one-line change. Where each came from (looked up 2026-12-04):
   * - kube-proxy: EKS user guide "Manage kube-proxy", version table (docs.aws.amazon.com/ja_jp/.../managing-kube-proxy.md);
   * - coredns: EKS user guide "Manage CoreDNS", version table (docs.amazonaws.cn/en_us/.../managing-coredns.md);
   * - vpc-cni: the EKS build reported on a 1.34 cluster in aws/aws-network-policy-agent#553 (network policy agent
   *   v1.3.x, `NETWORK_POLICY_ENFORCING_MODE` supported since v1.17.1); the same build serves every minor;
   * - eks-pod-identity-agent, aws-ebs-csi-driver: carried over from the 1.34 row (one build serves several minors);
   *   not re-checked here: confirm with describe-addon-versions before the first 1.35 apply.
   */
  eksAddons: {
    '1.34': {
      'vpc-cni': 'v1.21.1-eksbuild.7',
      'kube-proxy': 'v1.34.6-eksbuild.13',
      'eks-pod-identity-agent': 'v1.3.10-eksbuild.2',
      coredns: 'v1.13.2-eksbuild.7',
      'aws-ebs-csi-driver': 'v1.54.0-eksbuild.1',
    },
    '1.35': {
      'vpc-cni': 'v1.21.1-eksbuild.7',
      'kube-proxy': 'v1.35.3-eksbuild.13',
      'eks-pod-identity-agent': 'v1.3.10-eksbuild.2',
      coredns: 'v1.14.2-eksbuild.4',
      'aws-ebs-csi-driver': 'v1.54.0-eksbuild.1',
    },
  },
  /**
   * Karpenter 1.14.1 (aws/karpenter-provider-aws tag v1.14.1, charts/karpenter and charts/karpenter-crd). Its
   * compatibility matrix (website/content/en/docs/upgrading/compatibility.md) needs >= 1.9 for Kubernetes 1.35 and
   * >= 1.13 for 1.36. The CRDs come from the separate `karpenter-crd` chart, so Helm upgrades them with the controller
   * (the main chart's `crds/` are installed once and never upgraded).
   */
  karpenter: {
    chart: '1.14.1',
    chartRepository: 'oci://public.ecr.aws/karpenter/karpenter',
    crdChartRepository: 'oci://public.ecr.aws/karpenter/karpenter-crd',
    /**
     * EKS-optimized Amazon Linux 2023 for Karpenter nodes, pinned to one release (Karpenter resolves it through the public
     * SSM parameters for the cluster's Kubernetes version). Karpenter advises against `@latest` outside pre-production: a
     * faulty AMI would roll onto every new node. v20260903: the AL2023 release listed for 1.35 (1.35.7-20260903) in
     * entigolabs/entigo-infralib#1488, after awslabs/amazon-eks-ami v20260818. Bump it like any other version.
     */
    amiAlias: 'al2023@v20260903',
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
    /** The chart's pre-install/pre-upgrade CRD hook (`hook.upgradeCrd`, chart 2.5.2 values.yaml) runs this kubectl image. */
    hookImage: 'ghcr.io/kubeflow/spark-operator/kubectl',
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
    // The tier-1 offload writer (jobs/offload.Dockerfile installs the same pins): Iceberg's own Python library, its Rust
    // transforms (pyiceberg 0.12 computes hours() on write with pyiceberg-core, pinned < 0.11 by pyiceberg), Arrow and
    // ClickHouse's HTTP client; chdb (ClickHouse's engine in process) and SQLAlchemy (pyiceberg's SqlCatalog) for its
    // tests.
    pyiceberg: '0.12.0',
    'pyiceberg-core': '0.10.1',
    pyarrow: '26.0.1',
    'clickhouse-connect': '1.12.0',
    chdb: '4.4.0',
    sqlalchemy: '2.1.9',
    /**
     * Spark itself for the tests that run it (RPC authentication, the local data plane of `npm run local`): must equal
     * `spark.version` (test/versions.test.ts).
     */
    pyspark: '4.0.1',
    /** S3 and STS of the local data plane (`moto_server`, installed with the `server` extra). */
    moto: '5.2.5',
    // The Spark Connect client of pyspark 4.0 (its `connect` extra) for the local Spark Connect test; pandas stays on
    // the 2.x line pyspark 4.0 is built for (pyarrow is the offload writer's pin above).
    pandas: '2.3.3',
    grpcio: '1.76.0',
    'grpcio-status': '1.76.0',
    'googleapis-common-protos': '1.72.0',
  },
  /**
   * The tier-1 offload writer's image, built from `jobs/offload.Dockerfile`: this Python base plus the pyiceberg,
   * pyiceberg-core, pyarrow and clickhouse-connect pins of `python` above and the job runner; no JVM.
   */
  offloadWriter: {
    image: 'ghcr.io/acme-dataplane/offload-writer:0.1.0',
    pythonBase: 'python:3.11.14-slim-bookworm',
  },
  /**
   * The local data plane (`npm run local`, the real-engine tests) fetches these into `.local/` besides the Python pins
   * and the Iceberg jars of `sparkPackages()`. Polaris itself is not among them: this machine's Maven Central serves no
   * `org.apache.polaris:polaris-runtime-service` 1.7.0 (nor the `org.apache.polaris:polaris` parent POM any served
   * Polaris module needs), so the catalog is Iceberg's own REST catalog server (the REST adapter of Iceberg's test
   * fixtures over a JDBC catalog on a local PostgreSQL), the fallback the real-engine issue names.
   */
  localPlane: {
    /** The JDBC driver of the catalog's PostgreSQL backend. */
    postgresJdbc: 'org.postgresql:postgresql:42.7.10',
    /** The plugin that copies jars out of the clone's Maven repository. */
    mavenDependencyPlugin: '3.8.1',
    /**
     * The REST catalog server's own dependencies, at the versions Iceberg 1.11.0 builds its test fixtures with
     * (`gradle/libs.versions.toml`: jetty 12.1.8, slf4j 2.0.17); Iceberg's artifacts take `iceberg.version`.
     */
    jetty: '12.1.8',
    slf4j: '2.0.17',
  },
  /**
   * Go tools the tests build from the Go module proxy (`npm run tools`) into `.local/bin`, by module path and an exact
   * version or commit.
   */
  goTools: {
    /**
     * kubectl-validate at the newest commit that ships built-in schemas for 1.23–1.35 (the last tag, v0.0.4, stops at
     * 1.30 and downloads the rest): apiserver validation code over the same OpenAPI bytes as `../shared/schemas`. Written
     * as the Go pseudo-version of commit a97ccfaca20b164819afdae780392496f6ed6bbd: the module proxy refuses bare commits.
     */
    kubectlValidate: { module: 'sigs.k8s.io/kubectl-validate', version: 'v0.0.5-0.20260105161640-a97ccfaca20b' },
    /** PromQL rule checks and unit tests (`promtool check rules` / `test rules`) of the generated alerts. */
    promtool: { module: 'github.com/prometheus/prometheus/cmd/promtool', version: 'v0.316.0' },
  },
  /**
   * kube-prometheus-stack: the monitoring stack the platform layer installs. 88.3.0 is the last release on Prometheus
   * Operator v0.93.0 (88.4.0 moved to v0.93.1), the operator whose PodMonitor/ServiceMonitor/PrometheusRule CRDs the
   * validator reads from `../shared/crds` (the chart's `charts/crds` are the same files).
   */
  monitoring: {
    chart: '88.3.0',
    chartRepository: 'https://prometheus-community.github.io/helm-charts',
    prometheusOperator: 'v0.93.0',
    /** API version of PodMonitor, ServiceMonitor and PrometheusRule. */
    apiVersion: 'monitoring.coreos.com/v1',
  },
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

/** Build args of `jobs/offload.Dockerfile`: the writer's Python base and its packages at the `python` pins. */
export function offloadWriterBuildArgs(): Record<string, string> {
  const py = VERSIONS.python;
  return {
    PYTHON_IMAGE: VERSIONS.offloadWriter.pythonBase,
    PYICEBERG_VERSION: py.pyiceberg,
    PYICEBERG_CORE_VERSION: py['pyiceberg-core'],
    PYARROW_VERSION: py.pyarrow,
    CLICKHOUSE_CONNECT_VERSION: py['clickhouse-connect'],
  };
}
