import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { TENANT_LABEL } from '../conventions';
import { NetworkAllowRule, networkPolicySpec } from '../tenancy/network-allow-rule';
import { PrometheusTarget } from './monitoring-plan';
import { PLATFORM_SCRAPE_TARGETS } from './scrape-targets';

/** Props of {@link ScrapeNetworkPolicies}. */
export interface ScrapeNetworkPoliciesProps {
  /** The Prometheus whose pods scrape. */
  readonly target: PrometheusTarget;
  /** Tenant namespaces whose drivers are scraped. */
  readonly tenantNamespaces: readonly string[];
}

/**
 * Ingress for exactly the scrape paths, from the Prometheus pods only: each platform service's metrics port on its
 * metrics pods, and the drivers' UI port in every tenant namespace. Every other port stays closed by the namespaces'
 * default deny.
 */
export class ScrapeNetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: ScrapeNetworkPoliciesProps) {
    super(scope, id);
    const rule = NetworkAllowRule.metricsScrapeFrom(props.target.namespace, props.target.podLabels);
    const [grant] = rule.policies();
    const from = grant.ingress![0].from!;
    for (const t of PLATFORM_SCRAPE_TARGETS) {
      new k8s.KubeNetworkPolicy(this, `${t.namespace}-${t.name}`, {
        metadata: { name: `allow-metrics-scrape-${t.name}`, namespace: t.namespace },
        spec: {
          podSelector: { matchLabels: { ...t.pods } },
          policyTypes: ['Ingress'],
          ingress: [{ from: [...from], ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(t.port) }] }],
        },
      });
    }
    for (const namespace of props.tenantNamespaces) {
      new k8s.KubeNetworkPolicy(this, `${namespace}-spark-drivers`, {
        metadata: { name: grant.name, namespace, labels: { [TENANT_LABEL]: namespace } },
        spec: networkPolicySpec(grant),
      });
    }
  }
}
