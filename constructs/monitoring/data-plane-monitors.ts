import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { VERSIONS } from '../../config';
import { SPARK_JOB_LABEL } from '../workloads/spark-application';
import { PrometheusTarget } from './monitoring-plan';
import { PLATFORM_SCRAPE_TARGETS, SPARK_DRIVER_METRICS } from './scrape-targets';

/** Props of {@link DataPlaneMonitors}. */
export interface DataPlaneMonitorsProps {
  /** The Prometheus that selects the monitors; they are created in its namespace. */
  readonly target: PrometheusTarget;
  /** Tenant namespaces whose Spark drivers are scraped. */
  readonly tenantNamespaces: readonly string[];
  /**
   * Scrape interval of every endpoint.
   * @default '30s'
   */
  readonly interval?: string;
}

const DEFAULTS = { interval: '30s' };

/** Relabelings putting the scrape object's component name on every series (the alerts select by it). */
const component = (name: string) => [{ action: 'replace', targetLabel: 'component', replacement: name }];

/**
 * The Prometheus Operator objects that scrape the data plane: a PodMonitor each for the Spark Operator controller and
 * webhook and the YuniKorn scheduler, a ServiceMonitor for Polaris' management service, and a PodMonitor for every
 * tenant's Spark drivers (driver and executor metrics). kube-state-metrics (CronJobs, Jobs, Deployments) is scraped by
 * the stack's own ServiceMonitor.
 */
export class DataPlaneMonitors extends Construct {
  /** Names of the objects created. */
  public readonly names: readonly string[];

  constructor(scope: Construct, id: string, props: DataPlaneMonitorsProps) {
    super(scope, id);
    const interval = props.interval ?? DEFAULTS.interval;
    const metadata = (name: string) => ({
      name,
      namespace: props.target.namespace,
      labels: { ...props.target.selectorLabels },
    });
    const names: string[] = [];
    for (const t of PLATFORM_SCRAPE_TARGETS) {
      const endpoint = {
        port: t.portName,
        path: t.path,
        interval,
        honorLabels: t.honorLabels,
        relabelings: component(t.name),
      };
      const common = {
        namespaceSelector: { matchNames: [t.namespace] },
        selector: { matchLabels: { ...t.pods } },
      };
      // Polaris' chart puts the management port on its own Service: scrape it the way the chart's monitor would.
      const kind = t.name === 'polaris' ? 'ServiceMonitor' : 'PodMonitor';
      new ApiObject(this, t.name, {
        apiVersion: VERSIONS.monitoring.apiVersion,
        kind,
        metadata: metadata(t.name),
        spec:
          kind === 'ServiceMonitor'
            ? { ...common, endpoints: [{ ...endpoint, scheme: 'http' }] }
            : { ...common, podMetricsEndpoints: [endpoint] },
      });
      names.push(t.name);
    }
    if (props.tenantNamespaces.length > 0) {
      const driverEndpoint = (path: string) => ({
        port: SPARK_DRIVER_METRICS.portName,
        path,
        interval,
        relabelings: [
          ...component('spark-driver'),
          { action: 'replace', sourceLabels: ['__meta_kubernetes_namespace'], targetLabel: 'tenant' },
          {
            action: 'replace',
            sourceLabels: [`__meta_kubernetes_pod_label_${SPARK_JOB_LABEL.replace(/[^A-Za-z0-9]/g, '_')}`],
            targetLabel: 'spark_job',
          },
        ],
      });
      new ApiObject(this, 'spark-drivers', {
        apiVersion: VERSIONS.monitoring.apiVersion,
        kind: 'PodMonitor',
        metadata: metadata('spark-drivers'),
        spec: {
          namespaceSelector: { matchNames: [...props.tenantNamespaces] },
          selector: { matchLabels: { ...SPARK_DRIVER_METRICS.pods } },
          podMetricsEndpoints: [
            driverEndpoint(SPARK_DRIVER_METRICS.driverPath),
            driverEndpoint(SPARK_DRIVER_METRICS.executorsPath),
          ],
        },
      });
      names.push('spark-drivers');
    }
    this.names = names;
  }
}
