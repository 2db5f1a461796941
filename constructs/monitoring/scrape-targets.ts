/**
 * Where each component of the data plane serves Prometheus metrics, as read from its pinned source. The scrape objects
 * and the network policies that admit the scrapes are both built from this table, so they cannot disagree.
 */
import { PLATFORM_NAMESPACES, POLARIS_SERVICE, SPARK_ROLE_LABEL, SPARK_ROLES } from '../conventions';
import { PLATFORM_RELEASES } from '../platform/platform-releases';

/** One metrics endpoint of a platform service's pods. */
export interface ScrapeTarget {
  /** Name of the scrape object and of the `component` label on its series. */
  readonly name: string;
  readonly namespace: string;
  /** Labels selecting the pods (and, for a ServiceMonitor, the Service). */
  readonly pods: Readonly<Record<string, string>>;
  /** Container port name the pods declare. */
  readonly portName: string;
  /** Its number, for the network policy. */
  readonly port: number;
  readonly path: string;
  /**
   * Keep the target's own `namespace` label (the operator labels its application metrics with the SparkApplication's
   * namespace, which must win over the operator pod's).
   */
  readonly honorLabels: boolean;
}

/**
 * Spark Operator 2.5.2: controller and webhook both run `--enable-metrics --metrics-bind-address=:8080
 * --metrics-endpoint=/metrics` when `prometheus.metrics.enable` (port name `metrics`). YuniKorn 1.8.0: the scheduler's
 * REST server (container port `http1`, 9080) serves `/ws/v1/metrics`. Polaris 1.7.0: Quarkus' management interface
 * (`polaris-mgmt`, 8182) serves Micrometer's Prometheus registry at `/q/metrics`. The Spark History Server has no metrics
 * instance (Spark's metrics system covers master, worker, driver, executor, shuffle service, applications), so it is
 * watched through kube-state-metrics instead.
 */
export const PLATFORM_SCRAPE_TARGETS: readonly ScrapeTarget[] = [
  {
    name: 'spark-operator-controller',
    namespace: PLATFORM_RELEASES.sparkOperator.namespace,
    pods: PLATFORM_RELEASES.sparkOperator.pods.controller,
    portName: 'metrics',
    port: 8080,
    path: '/metrics',
    honorLabels: true,
  },
  {
    name: 'spark-operator-webhook',
    namespace: PLATFORM_RELEASES.sparkOperator.namespace,
    pods: PLATFORM_RELEASES.sparkOperator.pods.webhook,
    portName: 'metrics',
    port: 8080,
    path: '/metrics',
    honorLabels: false,
  },
  {
    name: 'yunikorn-scheduler',
    namespace: PLATFORM_RELEASES.yunikorn.namespace,
    pods: PLATFORM_RELEASES.yunikorn.pods.scheduler,
    portName: 'http1',
    port: PLATFORM_RELEASES.yunikorn.schedulerRestPort,
    path: '/ws/v1/metrics',
    honorLabels: false,
  },
  {
    name: 'polaris',
    namespace: PLATFORM_NAMESPACES.polaris,
    pods: PLATFORM_RELEASES.polaris.pods.server,
    portName: 'polaris-mgmt',
    port: POLARIS_SERVICE.managementPort,
    path: '/q/metrics',
    honorLabels: false,
  },
];

/**
 * Spark drivers (Spark 4.0.1): the UI port (`spark-ui`, 4040, declared on the driver container) serves the driver's
 * metrics through the PrometheusServlet sink at `/metrics/prometheus/` and every executor's through
 * `spark.ui.prometheus.enabled` at `/metrics/executors/prometheus`. Executors serve no HTTP endpoint of their own, so
 * only drivers are scraped.
 */
export const SPARK_DRIVER_METRICS = {
  pods: { [SPARK_ROLE_LABEL]: SPARK_ROLES.driver },
  portName: 'spark-ui',
  port: 4040,
  driverPath: '/metrics/prometheus/',
  executorsPath: '/metrics/executors/prometheus',
} as const;

/** The sparkConf that turns both Spark endpoints on (the driver's sink and the executors' summary). */
export const SPARK_PROMETHEUS_CONF: Readonly<Record<string, string>> = {
  'spark.ui.prometheus.enabled': 'true',
  'spark.metrics.conf.*.sink.prometheusServlet.class': 'org.apache.spark.metrics.sink.PrometheusServlet',
  // Jetty serves the servlet under this context path; the scrape asks for it with the trailing slash.
  'spark.metrics.conf.*.sink.prometheusServlet.path': '/metrics/prometheus',
  // Metric names carry the namespace; the default (the application ID) would make new names on every run.
  'spark.metrics.namespace': 'spark',
};
