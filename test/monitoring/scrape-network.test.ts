import { ENVIRONMENT_NAMES, loadEnvironment } from '../../config';
import { MONITORING, POLARIS_SERVICE } from '../../constructs/conventions';
import { PLATFORM_SCRAPE_TARGETS, SPARK_DRIVER_METRICS } from '../../constructs/monitoring';
import { renderEnvironment } from '../../stacks/k8s';
import { Endpoint, NetworkPolicyEvaluator, namespaceLabels } from '../tenancy/helpers/network-policy-evaluator';

// Drawn from the synthesized NetworkPolicies of the whole environment: the Prometheus pods reach exactly the scrape
// ports, and nothing else in the monitoring namespace (Grafana, Alertmanager) reaches them. Pods get addresses outside
// the VPC CIDR here (a secondary range, 100.64.0.0/10): the platform namespaces also admit their probe ports from the
// VPC CIDR (kubelets), which says nothing about what the monitoring layer opens.
describe.each(ENVIRONMENT_NAMES)('scrape paths in %s', (envName) => {
  const env = loadEnvironment(envName);
  const objects = renderEnvironment(env).flatMap((c) => [...c.objects]);
  const policies = new NetworkPolicyEvaluator(objects);
  const pod = (namespace: string, labels: Record<string, string>, ip: string): Endpoint => ({
    ip,
    pod: { namespace, labels, namespaceLabels: namespaceLabels(objects, namespace) },
  });
  const prometheus = pod(MONITORING.namespace, { ...MONITORING.prometheusPodLabels, prometheus: 'k' }, '100.64.1.10');
  const grafana = pod(MONITORING.namespace, { 'app.kubernetes.io/name': 'grafana' }, '100.64.1.11');
  const tenantPod = pod(env.tenants[0].name, { 'spark-role': 'driver' }, '100.64.2.10');

  test.each(PLATFORM_SCRAPE_TARGETS.map((t) => [t.name, t] as const))(
    '%s: only Prometheus, only the metrics port',
    (_, t) => {
      const target = pod(t.namespace, { ...t.pods }, '100.64.3.10');
      expect(policies.allows({ from: prometheus, to: target, port: t.port })).toBe(true);
      expect(policies.allows({ from: grafana, to: target, port: t.port })).toBe(false);
      expect(policies.ingressAllows({ from: tenantPod, to: target, port: t.port })).toBe(false);
      for (const other of [POLARIS_SERVICE.port, 22, 9443].filter((p) => p !== t.port)) {
        expect(policies.ingressAllows({ from: prometheus, to: target, port: other })).toBe(false);
      }
    },
  );

  test('every tenant admits driver scrapes from Prometheus on the UI port and nothing else from monitoring', () => {
    for (const tenant of env.tenants) {
      const driver = pod(tenant.name, { 'spark-role': 'driver', 'dataplane.io/spark-job': 'x' }, '100.64.4.10');
      const executor = pod(tenant.name, { 'spark-role': 'executor' }, '100.64.4.11');
      expect(policies.allows({ from: prometheus, to: driver, port: SPARK_DRIVER_METRICS.port })).toBe(true);
      expect(policies.ingressAllows({ from: grafana, to: driver, port: SPARK_DRIVER_METRICS.port })).toBe(false);
      expect(policies.ingressAllows({ from: prometheus, to: driver, port: 7078 })).toBe(false);
      expect(policies.ingressAllows({ from: prometheus, to: executor, port: SPARK_DRIVER_METRICS.port })).toBe(false);
    }
  });
});
