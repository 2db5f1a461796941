import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { ConfigError, EnvironmentConfig, ENVIRONMENT_NAMES, environmentsDir, loadEnvironment } from '../../config';
import { addTenancy, NetworkAllowRule } from '../../constructs/tenancy';
import { renderEnvironment } from '../../stacks/k8s';
import { formatFinding, validateObjects, validateQueuesYaml } from '../../validation';

describe.each(ENVIRONMENT_NAMES)('tenancy of %s', (envName) => {
  let env: EnvironmentConfig;
  let platform: any[];
  let tenants: any[];
  beforeAll(() => {
    env = loadEnvironment(envName);
    const charts = renderEnvironment(env);
    platform = [...charts.find((c) => c.name === 'platform')!.objects];
    tenants = [...charts.find((c) => c.name === 'tenants')!.objects];
  });

  test('every tenant gets its namespace, quota, limits, service accounts, RBAC and network policies', () => {
    for (const tenant of env.tenants) {
      const own = tenants.filter(
        (o) => o.metadata.namespace === tenant.name || (o.kind === 'Namespace' && o.metadata.name === tenant.name),
      );
      const summary = own.map((o) => `${o.kind}/${o.metadata.name}`).sort();
      expect(summary).toEqual(
        [
          `Namespace/${tenant.name}`,
          'ResourceQuota/tenant-budget',
          'LimitRange/container-defaults',
          'ServiceAccount/spark-driver',
          'ServiceAccount/spark-executor',
          'ServiceAccount/scheduled-jobs',
          'Role/spark-driver',
          'RoleBinding/spark-driver',
          'NetworkPolicy/default-deny',
          'NetworkPolicy/allow-dns',
          'NetworkPolicy/allow-within-namespace',
          'NetworkPolicy/allow-polaris-catalog',
          'NetworkPolicy/allow-kubernetes-api-drivers',
          'NetworkPolicy/allow-pod-identity-agent',
          'NetworkPolicy/allow-object-storage',
        ].sort(),
      );
      const quota = own.find((o) => o.kind === 'ResourceQuota').spec.hard;
      expect([quota['requests.cpu'], quota['requests.memory'], quota.pods]).toEqual([
        tenant.budget.cpu,
        tenant.budget.memory,
        tenant.budget.pods,
      ]);
    }
  });

  test('every object of the environment passes the strict offline validator (API-server rules and the YuniKorn check)', () => {
    expect(validateObjects(renderEnvironment(env), env.name).findings.map(formatFinding)).toEqual([]);
  });

  test('the Kubernetes API rule targets the environment VPC', () => {
    const api = tenants.find((o) => o.metadata.name === 'allow-kubernetes-api-drivers');
    expect(api.spec.egress[0].to).toEqual([{ ipBlock: { cidr: env.network.vpcCidr } }]);
  });

  test('the platform chart holds the PriorityClasses (platform above both Spark ones) and a valid queue configuration with a leaf per tenant', () => {
    const classes = platform.filter((o) => o.kind === 'PriorityClass');
    const value = (name: string) => classes.find((o) => o.metadata.name === name).value;
    expect(value('dataplane-platform')).toBeGreaterThan(Math.max(value('spark-interactive'), value('spark-batch')));
    expect(classes.map((o) => o.metadata.name)).toEqual(['dataplane-platform', 'spark-interactive', 'spark-batch']);
    const configMap = platform.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'yunikorn-configs');
    expect(validateQueuesYaml(configMap.data['queues.yaml'])).toEqual([]);
    const parent = parse(configMap.data['queues.yaml']).partitions[0].queues[0].queues[0];
    expect(parent.queues.map((q: any) => q.name)).toEqual(env.tenants.map((t) => t.name));
  });
});

describe('addTenancy', () => {
  const dev = () => structuredClone(loadEnvironment('dev'));
  const build = (env: EnvironmentConfig) => {
    const app = new App();
    return addTenancy({ platform: new Chart(app, 'platform'), tenants: new Chart(app, 'tenants') }, env);
  };
  const configError = (env: EnvironmentConfig): ConfigError => {
    try {
      build(env);
    } catch (error) {
      if (error instanceof ConfigError) return error;
      throw error;
    }
    throw new Error('expected a ConfigError');
  };

  test('returns the tenants, so other layers can allow more traffic (ClickHouse egress)', () => {
    const app = new App();
    const charts = { platform: new Chart(app, 'platform'), tenants: new Chart(app, 'tenants') };
    const tenancy = addTenancy(charts, dev());
    expect([...tenancy.tenants.keys()]).toEqual(['trading', 'analytics']);
    tenancy.tenants
      .get('trading')!
      .addNetworkRule(NetworkAllowRule.clickHouse({ cidrs: ['10.20.50.0/24'], port: 8443 }));
    const added = Testing.synth(charts.tenants).filter((o) => o.metadata.name === 'allow-clickhouse');
    expect(added.map((o) => o.metadata.namespace)).toEqual(['trading']);
  });

  test('a tenant that would take a platform namespace is refused by the schema, naming the file it was loaded from', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-'));
    const text = fs.readFileSync(path.join(environmentsDir(), 'dev.yaml'), 'utf8');
    fs.writeFileSync(path.join(dir, 'dev.yaml'), text.replace('- name: analytics', '- name: yunikorn'));
    expect(() => loadEnvironment('dev', { dir })).toThrow(
      `${path.join(dir, 'dev.yaml')}:29: 'tenants[1].name' is yunikorn; expected a namespace of the tenant's own, not default, kube-* or a platform namespace`,
    );
  });

  test('budgets that break the queue rules are a ConfigError naming the file and the tenant', () => {
    const env = dev();
    (env.tenants[1].budget as any).guaranteed = { cpu: '12', memory: '16Gi' };
    // An environment built in TypeScript has no file: the problem names the environment.
    const error = configError(env);
    expect(error.subject).toBe(`environment 'dev'`);
    expect(error.problems).toEqual([
      `environment 'dev': 'tenants' is ["trading","analytics"]; expected tenants that form a valid YuniKorn queue configuration (tenant 'analytics' (tenants[1].budget.guaranteed.cpu): at most budget.cpu (8): a guarantee above the quota can never be used)`,
    ]);
  });

  test('tenants too large for the declared capacity are a ConfigError', () => {
    const env = dev();
    (env.capacity.spark as any).maxCpu = '12';
    const error = configError(env);
    expect(error.problems).toEqual([
      `environment 'dev': 'tenants' is ["trading","analytics"]; expected tenants that form a valid YuniKorn queue configuration (tenant 'trading' (tenants[0]): root.tenants.trading: max vcore 16 is above the parent's effective max vcore 12)`,
    ]);
  });
});
