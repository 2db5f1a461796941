import { Chart } from 'cdk8s';
import { EnvironmentConfig } from '../../config';
import { MONITORING, PLATFORM_NAMESPACES } from '../conventions';
import { PlatformNamespaces } from './platform-namespaces';
import { PlatformNetworkPolicies } from './platform-network-policies';
import { PlatformPriorityClass } from './platform-priority-class';
import { PolarisProvisioning } from './polaris-provisioning';
import { SparkHistoryServer } from './spark-history-server';

/** The charts the platform services' objects go into. */
export interface PlatformServiceCharts {
  /** Applied before the Helm releases: namespaces, network policies, the History Server. */
  readonly platform: Chart;
  /** Applied after the tenants (whose namespaces receive the credential Secrets): the Polaris provisioning Job. */
  readonly provisioning: Chart;
}

/** Adds every synthesized object of the platform services of one environment. */
export function addPlatformServiceObjects(
  charts: PlatformServiceCharts,
  env: EnvironmentConfig,
  secretLabels: Readonly<Record<string, string>>,
): void {
  const services = env.services ?? {};
  // The monitoring stack's namespace exists before its release; an existing Prometheus brings its own.
  const monitoring = env.monitoring.existingPrometheus ? [] : [MONITORING.namespace];
  new PlatformNamespaces(charts.platform, 'platform-namespaces', {
    namespaces: [...Object.values(PLATFORM_NAMESPACES), ...monitoring],
  });
  new PlatformPriorityClass(charts.platform, 'platform-priority-class');
  new PlatformNetworkPolicies(charts.platform, 'platform-network-policies', {
    vpcCidr: env.network.vpcCidr,
    historyServerClients: services.historyServer?.uiNamespaces,
  });
  new SparkHistoryServer(charts.platform, 'spark-history-server', {
    eventLogBucket: env.storage.eventLogBucket,
    tenants: env.tenants.map((t) => t.name),
    region: env.region,
    image: env.jobs.image,
    replicas: services.historyServer?.replicas,
    resources: services.historyServer?.resources,
  });
  new PolarisProvisioning(charts.provisioning, 'polaris-provisioning', {
    realm: env.catalog.realm,
    catalogName: env.catalog.name,
    warehouseBucket: env.storage.warehouseBucket,
    region: env.region,
    tenants: env.tenants.map((t) => t.name),
    catalogAccess: services.polaris?.catalogAccess,
    secretLabels,
  });
}
