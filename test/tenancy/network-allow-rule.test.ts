import { Testing } from 'cdk8s';
import { cidrContains } from '../../config';
import { NetworkAllowRule, networkPolicySpec, Tenant } from '../../constructs/tenancy';

/** The rule's policies as a tenant synthesizes them: name, podSelector and the rule lists. */
function policies(rule: NetworkAllowRule): any[] {
  const chart = Testing.chart();
  new Tenant(chart, 'T', { name: 't', owner: 'o', budget: { cpu: '1', memory: '1Gi', pods: 2 }, networkRules: [rule] });
  return Testing.synth(chart)
    .filter((o) => o.kind === 'NetworkPolicy' && o.metadata.name !== 'default-deny')
    .map((o) => {
      const { policyTypes: _types, ...spec } = o.spec;
      return { name: o.metadata.name, ...spec };
    });
}

describe('NetworkAllowRule |', () => {
  test('dns: UDP and TCP 53 to kube-dns in kube-system, from every pod', () => {
    expect(policies(NetworkAllowRule.dns())).toEqual([
      {
        name: 'allow-dns',
        podSelector: {},
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
              },
            ],
            ports: [
              { protocol: 'UDP', port: 53 },
              { protocol: 'TCP', port: 53 },
            ],
          },
        ],
      },
    ]);
  });

  test('withinNamespace: both directions, same namespace only', () => {
    expect(policies(NetworkAllowRule.withinNamespace())).toEqual([
      {
        name: 'allow-within-namespace',
        podSelector: {},
        ingress: [{ from: [{ podSelector: {} }] }],
        egress: [{ to: [{ podSelector: {} }] }],
      },
    ]);
  });

  test('polarisCatalog: TCP 8181 to the polaris namespace', () => {
    expect(policies(NetworkAllowRule.polarisCatalog())[0].egress).toEqual([
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'polaris' } } }],
        ports: [{ protocol: 'TCP', port: 8181 }],
      },
    ]);
  });

  test('kubernetesApi: TCP 443 to the VPC, for drivers only', () => {
    expect(policies(NetworkAllowRule.kubernetesApi('10.20.0.0/16'))).toEqual([
      {
        name: 'allow-kubernetes-api-drivers',
        podSelector: { matchLabels: { 'spark-role': 'driver' } },
        egress: [{ to: [{ ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ protocol: 'TCP', port: 443 }] }],
      },
    ]);
  });

  test('podIdentityAgent: TCP 80 to the agent address, for drivers only', () => {
    expect(policies(NetworkAllowRule.podIdentityAgent())).toEqual([
      {
        name: 'allow-pod-identity-agent',
        podSelector: { matchLabels: { 'spark-role': 'driver' } },
        egress: [{ to: [{ ipBlock: { cidr: '169.254.170.23/32' } }], ports: [{ protocol: 'TCP', port: 80 }] }],
      },
    ]);
  });

  test('objectStorage: TCP 443 to public addresses, every non-public range excepted', () => {
    const [policy] = policies(NetworkAllowRule.objectStorage('10.20.0.0/16'));
    expect(policy.egress).toEqual([
      {
        to: [
          {
            ipBlock: {
              cidr: '0.0.0.0/0',
              except: ['10.0.0.0/8', '100.64.0.0/10', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16'],
            },
          },
        ],
        ports: [{ protocol: 'TCP', port: 443 }],
      },
    ]);
  });

  test('objectStorage excepts a VPC CIDR that is not in a private range', () => {
    const [policy] = policies(NetworkAllowRule.objectStorage('11.0.0.0/16'));
    expect(policy.egress[0].to[0].ipBlock.except).toContain('11.0.0.0/16');
  });

  test('clickHouse: TCP port to each host CIDR', () => {
    const [policy] = policies(NetworkAllowRule.clickHouse({ cidrs: ['10.20.40.7/32', '10.20.41.0/24'], port: 8123 }));
    expect(policy).toEqual({
      name: 'allow-clickhouse',
      podSelector: {},
      egress: [
        {
          to: [{ ipBlock: { cidr: '10.20.40.7/32' } }, { ipBlock: { cidr: '10.20.41.0/24' } }],
          ports: [{ protocol: 'TCP', port: 8123 }],
        },
      ],
    });
  });

  test("clickHouse can be limited to one job's pods, under its own policy name", () => {
    const rule = NetworkAllowRule.clickHouse({
      cidrs: ['10.20.40.7/32'],
      port: 8443,
      pods: { matchLabels: { job: 'audit' } },
      policyName: 'audit-clickhouse',
    });
    expect(rule.name).toBe('audit-clickhouse');
    expect(policies(rule)).toEqual([
      {
        name: 'audit-clickhouse',
        podSelector: { matchLabels: { job: 'audit' } },
        egress: [{ to: [{ ipBlock: { cidr: '10.20.40.7/32' } }], ports: [{ protocol: 'TCP', port: 8443 }] }],
      },
    ]);
  });

  test('networkPolicySpec: policy types follow the directions a grant has', () => {
    const egressOnly = policies(NetworkAllowRule.clickHouse({ cidrs: ['10.20.40.7/32'], port: 8443 }))[0];
    expect(networkPolicySpec(egressOnly).policyTypes).toEqual(['Egress']);
    const both = policies(NetworkAllowRule.withinNamespace())[0];
    expect(networkPolicySpec(both).policyTypes).toEqual(['Ingress', 'Egress']);
  });

  test('sparkUiFrom: ingress to drivers on 4040 from one namespace', () => {
    const rule = NetworkAllowRule.sparkUiFrom('ingress-nginx');
    expect(rule.name).toBe('spark-ui-from-ingress-nginx');
    expect(policies(rule)).toEqual([
      {
        name: 'allow-spark-ui-from-ingress-nginx',
        podSelector: { matchLabels: { 'spark-role': 'driver' } },
        ingress: [
          {
            from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }],
            ports: [{ protocol: 'TCP', port: 4040 }],
          },
        ],
      },
    ]);
  });

  describe('validation', () => {
    test('kubernetesApi needs a CIDR', () => {
      expect(() => NetworkAllowRule.kubernetesApi('10.20.0.0')).toThrow(
        /NetworkAllowRule.kubernetesApi: 1 problem\n.*'apiCidr' is "10.20.0.0"; expected an IPv4 CIDR/,
      );
    });

    test('objectStorage needs a CIDR', () => {
      expect(() => NetworkAllowRule.objectStorage('vpc')).toThrow(/'vpcCidr' is "vpc"; expected an IPv4 CIDR/);
    });

    test('clickHouse needs CIDRs and a TCP port, and reports them all', () => {
      expect(() => NetworkAllowRule.clickHouse({ cidrs: [], port: 8123 })).toThrow(
        /'cidrs' is \[\]; expected at least one CIDR block/,
      );
      expect(() => NetworkAllowRule.clickHouse({ cidrs: ['10.0.0.300/32', 'ch.internal'], port: 70000 })).toThrow(
        /3 problems[\s\S]*'cidrs\[0\]' is "10.0.0.300\/32"[\s\S]*'cidrs\[1\]' is "ch.internal"[\s\S]*'port' is 70000; expected a TCP port 1-65535/,
      );
    });

    test('clickHouse refuses a block open to every address', () => {
      expect(() => NetworkAllowRule.clickHouse({ cidrs: ['10.20.40.7/32', '0.0.0.0/0'], port: 8443 })).toThrow(
        /^NetworkAllowRule.clickHouse: 1 problem\n {2}- 'cidrs\[1\]' is "0.0.0.0\/0"; expected the block of the ClickHouse hosts, not \/0/,
      );
    });

    test('sparkUiFrom needs a namespace name', () => {
      expect(() => NetworkAllowRule.sparkUiFrom('Ingress_NGINX')).toThrow(
        /'namespace' is "Ingress_NGINX"; expected a namespace name/,
      );
    });
  });

  test('cidrContains', () => {
    expect(cidrContains('10.0.0.0/8', '10.20.0.0/16')).toBe(true);
    expect(cidrContains('10.20.0.0/16', '10.0.0.0/8')).toBe(false);
    expect(cidrContains('172.16.0.0/12', '172.32.0.0/16')).toBe(false);
  });
});
