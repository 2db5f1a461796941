import { loadEnvironment } from '../../config';
import { PLATFORM_RELEASES } from '../../constructs/platform';
import { renderEnvironment } from '../../stacks/k8s';
import { Endpoint, NetworkPolicyEvaluator, namespaceLabels } from '../tenancy/helpers/network-policy-evaluator';

// Reasoned over every NetworkPolicy synthesized for dev (tenant-wide rules, the offload's own, the platform's).
describe('what an offload pod can reach', () => {
  const env = loadEnvironment('dev');
  const objects = renderEnvironment(env).flatMap((chart) => [...chart.objects]) as any[];
  const policies = new NetworkPolicyEvaluator(objects);
  const pod = (namespace: string, labels: Record<string, string>, ip: string): Endpoint => ({
    ip,
    pod: { namespace, labels, namespaceLabels: namespaceLabels(objects, namespace) },
  });
  const cronJob = objects.find((o) => o.kind === 'CronJob' && o.metadata.labels['dataplane.io/offload'] === 'raw');
  const offloadPod = pod(
    cronJob.metadata.namespace,
    cronJob.spec.jobTemplate.spec.template.metadata.labels,
    '10.20.40.7',
  );
  const clickhouse = env.offload!.clickhouse;
  const clickhouseHost: Endpoint = { ip: clickhouse.cidrs[0].replace(/\.0\/\d+$/, '.5') };

  test('ClickHouse on its port, and only there', () => {
    expect(policies.allows({ from: offloadPod, to: clickhouseHost, port: clickhouse.port })).toBe(true);
    expect(policies.allows({ from: offloadPod, to: clickhouseHost, port: 9000 })).toBe(false);
  });

  test('DNS, the Polaris catalog and object storage over HTTPS', () => {
    expect(
      policies.allows({
        from: offloadPod,
        to: pod('kube-system', { 'k8s-app': 'kube-dns' }, '10.20.1.2'),
        port: 53,
        protocol: 'UDP',
      }),
    ).toBe(true);
    expect(
      policies.allows({
        from: offloadPod,
        to: pod('polaris', { ...PLATFORM_RELEASES.polaris.pods.server }, '10.20.1.10'),
        port: 8181,
      }),
    ).toBe(true);
    expect(policies.allows({ from: offloadPod, to: { ip: '52.218.4.4' }, port: 443 })).toBe(true);
  });

  test('nothing else outside its namespace: not the Kubernetes API, other tenants, the instance metadata or other private hosts', () => {
    expect(policies.allows({ from: offloadPod, to: { ip: '10.20.0.10' }, port: 443 })).toBe(false);
    expect(
      policies.allows({ from: offloadPod, to: pod('analytics', { 'spark-role': 'driver' }, '10.20.50.1'), port: 7078 }),
    ).toBe(false);
    expect(policies.allows({ from: offloadPod, to: { ip: '169.254.169.254' }, port: 80 })).toBe(false);
    expect(policies.allows({ from: offloadPod, to: { ip: '10.20.96.5' }, port: 22 })).toBe(false);
    expect(policies.allows({ from: offloadPod, to: { ip: '52.218.4.4' }, port: 80 })).toBe(false);
  });

  test('pods of the same tenant without the offload labels do not reach ClickHouse', () => {
    const driver = pod(cronJob.metadata.namespace, { 'spark-role': 'driver' }, '10.20.40.9');
    expect(policies.allows({ from: driver, to: clickhouseHost, port: clickhouse.port })).toBe(false);
  });
});
