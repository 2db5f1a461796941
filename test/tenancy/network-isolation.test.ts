import { EnvironmentConfig, ENVIRONMENT_NAMES, loadEnvironment } from '../../config';
import { PLATFORM_RELEASES } from '../../constructs/platform';
import { renderEnvironment } from '../../stacks/k8s';
import { Endpoint, NetworkPolicyEvaluator, namespaceLabels } from './helpers/network-policy-evaluator';

// Every conclusion below is drawn from the synthesized NetworkPolicy objects of the whole environment (the tenants'
// and the platform namespaces' policies), not from construct inputs.
describe.each(ENVIRONMENT_NAMES)('network isolation between tenants in %s', (envName) => {
  let env: EnvironmentConfig;
  let objects: unknown[];
  let tenantObjects: any[];
  let policies: NetworkPolicyEvaluator;
  /** An address inside the VPC (pods get VPC addresses with the AWS VPC CNI). */
  let vpc: (third: number, fourth: number) => string;

  beforeAll(() => {
    env = loadEnvironment(envName);
    const charts = renderEnvironment(env);
    objects = charts.flatMap((chart) => [...chart.objects]);
    tenantObjects = [...charts.find((chart) => chart.name === 'tenants')!.objects];
    policies = new NetworkPolicyEvaluator(objects);
    const [a, b] = env.network.vpcCidr.split('.');
    vpc = (third, fourth) => `${a}.${b}.${third}.${fourth}`;
  });

  const pod = (namespace: string, labels: Record<string, string>, ip: string): Endpoint => ({
    ip,
    pod: { namespace, labels, namespaceLabels: namespaceLabels(objects, namespace) },
  });
  const sparkPod = (tenant: string, role: 'driver' | 'executor', index: number): Endpoint =>
    pod(
      tenant,
      { 'spark-role': role, 'spark-app-selector': `spark-${tenant}` },
      vpc(10 + index, role === 'driver' ? 1 : 2),
    );
  const outside = (ip: string): Endpoint => ({ ip });
  const tenantNames = () => env.tenants.map((t) => t.name);

  test('the rendered tenants chart has NetworkPolicies for every tenant', () => {
    const namespaces = new Set(
      tenantObjects.filter((o) => o.kind === 'NetworkPolicy').map((o) => o.metadata.namespace),
    );
    expect([...namespaces].sort()).toEqual(tenantNames().sort());
  });

  test('no pod of one tenant reaches any pod of another tenant, on any port Spark or the platform uses', () => {
    const ports = [7078, 7079, 4040, 443, 8181, 8080, 53, 22];
    const names = tenantNames();
    const reached: string[] = [];
    names.forEach((a, ia) =>
      names.forEach((b, ib) => {
        if (a === b) return;
        for (const fromRole of ['driver', 'executor'] as const) {
          for (const toRole of ['driver', 'executor'] as const) {
            for (const port of ports) {
              const connection = { from: sparkPod(a, fromRole, ia), to: sparkPod(b, toRole, ib), port };
              if (policies.allows(connection)) reached.push(`${a}/${fromRole} -> ${b}/${toRole}:${port}`);
            }
          }
        }
      }),
    );
    expect(names.length).toBeGreaterThanOrEqual(2);
    expect(reached).toEqual([]);
  });

  test("a driver's API egress to VPC addresses on 443 is stopped by the other tenant's ingress policies", () => {
    const [a, b] = tenantNames();
    const connection = { from: sparkPod(a, 'driver', 0), to: sparkPod(b, 'executor', 1), port: 443 };
    expect(policies.egressAllows(connection)).toBe(true);
    expect(policies.ingressAllows(connection)).toBe(false);
    expect(policies.allows(connection)).toBe(false);
  });

  test('drivers and executors of one tenant reach each other on any port', () => {
    for (const [index, tenant] of tenantNames().entries()) {
      const driver = sparkPod(tenant, 'driver', index);
      const executor = sparkPod(tenant, 'executor', index);
      const otherExecutor = pod(tenant, { 'spark-role': 'executor' }, vpc(10 + index, 3));
      expect(policies.allows({ from: driver, to: executor, port: 7079 })).toBe(true);
      expect(policies.allows({ from: executor, to: driver, port: 7078 })).toBe(true);
      expect(policies.allows({ from: executor, to: otherExecutor, port: 7337 })).toBe(true);
    }
  });

  test('every pod resolves names through kube-dns only', () => {
    const dns = pod('kube-system', { 'k8s-app': 'kube-dns' }, vpc(0, 10));
    const otherSystemPod = pod('kube-system', { 'k8s-app': 'metrics-server' }, vpc(0, 11));
    for (const [index, tenant] of tenantNames().entries()) {
      const executor = sparkPod(tenant, 'executor', index);
      expect(policies.allows({ from: executor, to: dns, port: 53, protocol: 'UDP' })).toBe(true);
      expect(policies.allows({ from: executor, to: dns, port: 53, protocol: 'TCP' })).toBe(true);
      expect(policies.allows({ from: executor, to: dns, port: 9153 })).toBe(false);
      expect(policies.allows({ from: executor, to: otherSystemPod, port: 53, protocol: 'UDP' })).toBe(false);
    }
  });

  test("every pod reaches the Polaris catalog port (its egress and Polaris's ingress), and nothing else of Polaris", () => {
    const polaris = pod('polaris', { ...PLATFORM_RELEASES.polaris.pods.server }, vpc(1, 10));
    for (const [index, tenant] of tenantNames().entries()) {
      expect(policies.allows({ from: sparkPod(tenant, 'executor', index), to: polaris, port: 8181 })).toBe(true);
      expect(policies.allows({ from: sparkPod(tenant, 'driver', index), to: polaris, port: 8181 })).toBe(true);
      expect(policies.allows({ from: sparkPod(tenant, 'driver', index), to: polaris, port: 8182 })).toBe(false);
    }
  });

  test('the Kubernetes API endpoint is reachable from drivers only, not from executors or other pods', () => {
    const apiEndpoint = outside(vpc(0, 100));
    for (const [index, tenant] of tenantNames().entries()) {
      const other = pod(tenant, { 'app.kubernetes.io/name': 'clickhouse-offload' }, vpc(10 + index, 50));
      expect(policies.allows({ from: sparkPod(tenant, 'driver', index), to: apiEndpoint, port: 443 })).toBe(true);
      expect(policies.allows({ from: other, to: apiEndpoint, port: 443 })).toBe(false);
      expect(policies.allows({ from: sparkPod(tenant, 'executor', index), to: apiEndpoint, port: 443 })).toBe(false);
      expect(policies.allows({ from: sparkPod(tenant, 'driver', index), to: apiEndpoint, port: 6443 })).toBe(false);
    }
  });

  test('drivers, and only drivers, reach the Pod Identity Agent for AWS credentials; the instance metadata service stays closed', () => {
    const agent = outside('169.254.170.23');
    for (const [index, tenant] of tenantNames().entries()) {
      expect(policies.allows({ from: sparkPod(tenant, 'driver', index), to: agent, port: 80 })).toBe(true);
      expect(policies.allows({ from: sparkPod(tenant, 'executor', index), to: agent, port: 80 })).toBe(false);
      expect(
        policies.allows({ from: sparkPod(tenant, 'driver', index), to: outside('169.254.169.254'), port: 80 }),
      ).toBe(false);
    }
  });

  test('HTTPS reaches public addresses (S3 through the gateway endpoint) but nothing private or link-local', () => {
    const s3 = outside('52.218.100.20');
    for (const [index, tenant] of tenantNames().entries()) {
      const executor = sparkPod(tenant, 'executor', index);
      expect(policies.allows({ from: executor, to: s3, port: 443 })).toBe(true);
      expect(policies.allows({ from: executor, to: s3, port: 80 })).toBe(false);
      for (const ip of [vpc(0, 100), '10.99.0.1', '172.16.4.4', '192.168.1.1', '100.64.3.3', '169.254.169.254']) {
        expect(policies.allows({ from: executor, to: outside(ip), port: 443 })).toBe(false);
      }
      expect(policies.allows({ from: executor, to: outside('169.254.169.254'), port: 80 })).toBe(false);
    }
  });

  test('nothing outside a tenant namespace connects in, the operator namespace and the internet included', () => {
    const operator = pod('spark-operator', { 'app.kubernetes.io/name': 'spark-operator' }, vpc(2, 10));
    for (const [index, tenant] of tenantNames().entries()) {
      for (const role of ['driver', 'executor'] as const) {
        expect(policies.allows({ from: operator, to: sparkPod(tenant, role, index), port: 4040 })).toBe(false);
        expect(policies.allows({ from: outside('203.0.113.7'), to: sparkPod(tenant, role, index), port: 4040 })).toBe(
          false,
        );
      }
    }
  });
});
