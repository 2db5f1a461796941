import { Chart, Testing } from 'cdk8s';
import { ConfigError, PropsError, TenantBudget } from '../../config';
import { NetworkAllowRule, Tenant, TenantProps } from '../../constructs/tenancy';
import { formatFinding, validateObjects } from '../../validation';

const budget: TenantBudget = { cpu: '16', memory: '64Gi', pods: 60, guaranteed: { cpu: '8', memory: '32Gi' } };
const props: TenantProps = {
  name: 'trading',
  owner: 'market-data-platform',
  budget,
  networkRules: [NetworkAllowRule.dns(), NetworkAllowRule.withinNamespace()],
};

function synth(p: TenantProps = props): { tenant: Tenant; objects: any[] } {
  const chart = Testing.chart();
  const tenant = new Tenant(chart, 'Trading', p);
  return { tenant, objects: Testing.synth(chart) };
}

const find = (objects: any[], kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};

describe('Tenant', () => {
  let tenant: Tenant;
  let objects: any[];
  beforeAll(() => ({ tenant, objects } = synth()));

  test('exposes its namespace and queue', () => {
    expect(tenant.namespace).toBe('trading');
    expect(tenant.queue).toBe('root.tenants.trading');
    expect(tenant.networkRuleNames).toEqual(['dns', 'within-namespace']);
  });

  test('the namespace is labelled for the Spark Operator, the tenant and Pod Security (baseline enforced)', () => {
    const ns = find(objects, 'Namespace', 'trading');
    expect(ns.metadata.labels).toEqual({
      'dataplane.io/tenant': 'trading',
      'dataplane.io/spark-jobs': 'enabled',
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/enforce-version': 'v1.35',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'v1.35',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'v1.35',
    });
    expect(ns.metadata.annotations).toEqual({ 'dataplane.io/owner': 'market-data-platform' });
    expect(ns.metadata.namespace).toBeUndefined();
  });

  test('the namespace comes first and every other object lives in it (admission policies are cluster-wide), labelled with the tenant', () => {
    expect(objects[0].kind).toBe('Namespace');
    const clusterWide = ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'];
    for (const o of objects.slice(1)) {
      expect(o.metadata.namespace).toBe(clusterWide.includes(o.kind) ? undefined : 'trading');
      expect(o.metadata.labels['dataplane.io/tenant']).toBe('trading');
    }
    expect(objects.filter((o) => clusterWide.includes(o.kind))).toHaveLength(6);
  });

  test('the ResourceQuota caps requests, pods and object counts from the budget, and forbids external services', () => {
    const quota = find(objects, 'ResourceQuota', 'tenant-budget');
    expect(quota.spec).toEqual({
      hard: {
        'requests.cpu': '16',
        'requests.memory': '64Gi',
        pods: 60,
        configmaps: 70,
        services: 60,
        secrets: 20,
        persistentvolumeclaims: 60,
        'services.loadbalancers': 0,
        'services.nodeports': 0,
      },
    });
  });

  test('object counts can be set in the budget', () => {
    const { objects: custom } = synth({
      ...props,
      budget: { ...budget, objects: { configmaps: 5, services: 4, secrets: 3, persistentvolumeclaims: 0 } },
    });
    const hard = find(custom, 'ResourceQuota', 'tenant-budget').spec.hard;
    expect([hard.configmaps, hard.services, hard.secrets, hard.persistentvolumeclaims]).toEqual([5, 4, 3, 0]);
  });

  test('the LimitRange gives containers default requests and default limits at least as large', () => {
    const range = find(objects, 'LimitRange', 'container-defaults');
    expect(range.spec.limits).toEqual([
      { type: 'Container', defaultRequest: { cpu: '250m', memory: '512Mi' }, default: { cpu: '1', memory: '1Gi' } },
    ]);
  });

  test('service accounts: only drivers get an API token', () => {
    expect(find(objects, 'ServiceAccount', 'spark-driver').automountServiceAccountToken).toBe(true);
    expect(find(objects, 'ServiceAccount', 'spark-executor').automountServiceAccountToken).toBe(false);
    expect(find(objects, 'ServiceAccount', 'scheduled-jobs').automountServiceAccountToken).toBe(false);
  });

  test("the driver Role holds what Spark's driver does and no more: no update anywhere, no Service or PVC create", () => {
    expect(find(objects, 'Role', 'spark-driver').rules).toEqual([
      {
        apiGroups: [''],
        resources: ['pods'],
        verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete', 'deletecollection'],
      },
      {
        apiGroups: [''],
        resources: ['configmaps'],
        verbs: ['get', 'list', 'watch', 'create', 'delete', 'deletecollection'],
      },
      {
        apiGroups: [''],
        resources: ['services', 'persistentvolumeclaims'],
        verbs: ['get', 'list', 'watch', 'delete', 'deletecollection'],
      },
    ]);
    expect(objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding')).toEqual([]);
  });

  test('the only Role is bound to the driver service account in the namespace', () => {
    const binding = find(objects, 'RoleBinding', 'spark-driver');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'spark-driver' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'spark-driver', namespace: 'trading' }]);
    expect(objects.filter((o) => o.kind === 'RoleBinding' || o.kind === 'Role')).toHaveLength(2);
  });

  test('a default-deny policy covers every pod in both directions, then one policy per allow rule', () => {
    expect(find(objects, 'NetworkPolicy', 'default-deny').spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
    });
    expect(objects.filter((o) => o.kind === 'NetworkPolicy').map((o) => o.metadata.name)).toEqual([
      'default-deny',
      'allow-dns',
      'allow-within-namespace',
    ]);
  });

  test('a tenant with every kind of allow rule passes the strict offline validator', () => {
    const chart = Testing.chart();
    new Tenant(chart, 'T', {
      ...props,
      networkRules: [
        NetworkAllowRule.dns(),
        NetworkAllowRule.withinNamespace(),
        NetworkAllowRule.polarisCatalog(),
        NetworkAllowRule.kubernetesApi('10.20.0.0/16'),
        NetworkAllowRule.podIdentityAgent(),
        NetworkAllowRule.objectStorage('10.20.0.0/16'),
        NetworkAllowRule.clickHouse({ cidrs: ['10.20.40.0/24', '10.20.41.9/32'], port: 8443 }),
        NetworkAllowRule.sparkUiFrom('ingress-nginx'),
      ],
    });
    expect(
      validateObjects([{ name: 'tenants', objects: Testing.synth(chart) }], 'test').findings.map(formatFinding),
    ).toEqual([]);
  });

  test('addNetworkRule adds a ClickHouse egress later', () => {
    const chart = Testing.chart();
    const t = new Tenant(chart, 'T', props);
    t.addNetworkRule(NetworkAllowRule.clickHouse({ cidrs: ['10.20.40.0/24'], port: 8443 }));
    const policy = find(Testing.synth(chart), 'NetworkPolicy', 'allow-clickhouse');
    expect(policy.spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '10.20.40.0/24' } }], ports: [{ protocol: 'TCP', port: 8443 }] },
    ]);
    expect(t.networkRuleNames).toContain('clickhouse');
  });
});

describe('Tenant validation', () => {
  const attempt = (p: Partial<TenantProps>) => () =>
    new Tenant(new Chart(Testing.app(), 'c'), 'Bad', { ...props, ...p });

  test('a name that is not a DNS label', () => {
    expect(attempt({ name: 'Trading_Desk' })).toThrow(/'name' is "Trading_Desk"; expected a DNS label/);
  });

  test('a name taken by Kubernetes or the platform', () => {
    expect(attempt({ name: 'polaris' })).toThrow(/'name' is "polaris"; expected a namespace of the tenant's own/);
    expect(attempt({ name: 'kube-public' })).toThrow(/'name' is "kube-public"/);
  });

  test('an empty owner', () => {
    expect(attempt({ owner: '' })).toThrow(/'owner' is ""; expected a non-empty owner/);
  });

  test('a guarantee above the budget', () => {
    expect(attempt({ budget: { ...budget, guaranteed: { cpu: '20', memory: '32Gi' } } })).toThrow(
      /'budget\.guaranteed\.cpu' is "20"; expected at most budget\.cpu \(16\)/,
    );
  });

  test('CPU finer than a millicore', () => {
    expect(attempt({ budget: { ...budget, cpu: '0.0005' } })).toThrow(
      /'budget\.cpu' is "0\.0005"; expected a CPU quantity in whole millicores/,
    );
  });

  test('the same rule twice, in props or added later', () => {
    expect(attempt({ networkRules: [NetworkAllowRule.dns(), NetworkAllowRule.dns()] })).toThrow(
      /'networkRules\[1\]' is "dns"; expected a rule not already given as networkRules\[0\]/,
    );
    const { tenant } = synth();
    expect(() => tenant.addNetworkRule(NetworkAllowRule.dns())).toThrow(
      /'networkRules' is "dns"; expected a rule the tenant does not have yet/,
    );
  });

  test('every problem is reported at once, under the construct path, as a PropsError', () => {
    const error = (() => {
      try {
        attempt({ name: 'Bad_Name', owner: '' })();
      } catch (e) {
        return e;
      }
    })() as PropsError;
    expect(error).toBeInstanceOf(PropsError);
    expect(error).not.toBeInstanceOf(ConfigError);
    expect(error.subject).toBe('c/Bad');
    expect(error.problems).toHaveLength(2);
  });
});
