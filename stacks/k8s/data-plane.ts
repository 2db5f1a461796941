import { App, Chart } from 'cdk8s';
import { EnvironmentConfig } from '../../config';
import { addPlatformServiceObjects } from '../../constructs/platform';
import { addTenancy } from '../../constructs/tenancy';
import { addWorkloads } from '../../constructs/workloads';
import { addOffloads } from '../../constructs/offload';
import { addMonitoring, monitoringPlan } from './monitoring';

/** Labels stamped on every object the package synthesizes. */
export function commonLabels(env: EnvironmentConfig): Record<string, string> {
  return { 'app.kubernetes.io/part-of': 'spark-iceberg-data-plane', 'dataplane.io/environment': env.name };
}

/**
 * The charts of one environment, one per layer. They are applied in this order (platform services before tenants,
 * tenants before the workloads that run in them) and written to `dist/<env>/<layer>.k8s.yaml`.
 */
export interface DataPlaneCharts {
  /** Platform namespaces and the objects the platform services need (queue config, network policies, provisioning). */
  readonly platform: Chart;
  /** One namespace per tenant with its quota, limits, RBAC and network policies. */
  readonly tenants: Chart;
  /** Applied after the tenants and the Helm releases: the Polaris provisioning Job that writes tenant credentials. */
  readonly provisioning: Chart;
  /** Scheduled Spark applications and offload jobs. */
  readonly workloads: Chart;
  /**
   * Applied last, once the monitoring stack (and so its CRDs) is installed: PodMonitors, ServiceMonitors, the
   * PrometheusRule, the Grafana dashboards and the network policies admitting the scrapes.
   */
  readonly monitoring: Chart;
}

/** The layers in apply order. */
export const CHART_ORDER: readonly (keyof DataPlaneCharts)[] = [
  'platform',
  'tenants',
  'provisioning',
  'workloads',
  'monitoring',
];

/** Builds every Kubernetes object of one environment into `app`. Throws a `DataPlaneError` on invalid input. */
export function buildDataPlane(app: App, env: EnvironmentConfig): DataPlaneCharts {
  const chart = (id: keyof DataPlaneCharts) =>
    new Chart(app, id, { disableResourceNameHashes: true, labels: commonLabels(env) });
  const charts: DataPlaneCharts = {
    platform: chart('platform'),
    tenants: chart('tenants'),
    provisioning: chart('provisioning'),
    workloads: chart('workloads'),
    monitoring: chart('monitoring'),
  };
  // No chart-level addDependency: each chart is its own file, applied in CHART_ORDER by the Pulumi program (and by
  // `kubectl apply` of the files in that order); cdk8s would instead tie every object of one chart to every object of the
  // other, which grows with the product of their sizes.

  addPlatformServiceObjects(charts, env, commonLabels(env));

  addTenancy(charts, env);
  const offloads = addOffloads(charts.workloads, env);
  addWorkloads(charts.workloads, env, offloads);
  addMonitoring(charts.monitoring, env, monitoringPlan(env, charts.workloads, offloads));
  return charts;
}
