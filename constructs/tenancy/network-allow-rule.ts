import { k8s } from 'cdk8s-plus-28';
import { cidr as cidrSchema, cidrContains, clickHouseCidrProblem, DNS_LABEL, Problems } from '../../config';
import {
  PLATFORM_NAMESPACES,
  POD_IDENTITY_AGENT,
  POLARIS_SERVICE,
  SPARK_CONNECT_NAME_LABEL,
  SPARK_CONNECT_PORT,
  SPARK_CONNECT_SERVER_ROLE,
  SPARK_ROLE_LABEL,
  SPARK_ROLES,
} from '../conventions';

/** The label the API server sets on every namespace (immutable), so selecting by it cannot be spoofed by tenants. */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The Spark UI port on the driver. */
const SPARK_UI_PORT = 4040;

/**
 * Address ranges an HTTPS egress to public endpoints must not open: private (RFC 1918), carrier-grade NAT (used for
 * secondary pod CIDRs on EKS) and link-local (the instance metadata service).
 */
export const NON_PUBLIC_IPV4_RANGES = [
  '10.0.0.0/8',
  '100.64.0.0/10',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
] as const;

/** How a ClickHouse cluster is reached from a tenant's jobs. */
export interface ClickHouseEgressOptions {
  /** The CIDR blocks of the ClickHouse hosts (a /32 per host, or the subnet they live in). */
  readonly cidrs: readonly string[];
  /** The port the jobs connect to (8123 for HTTP, 8443 for HTTPS). */
  readonly port: number;
  /**
   * The pods that may connect: a job grants it to its own pods only.
   * @default - every pod of the namespace
   */
  readonly pods?: k8s.LabelSelector;
  /**
   * The NetworkPolicy name (unique in the namespace).
   * @default 'allow-clickhouse'
   */
  readonly policyName?: string;
}

/** Who may reach a Spark Connect server, and where its Kubernetes API is. */
export interface SparkConnectTrafficOptions {
  /** The SparkConnect object's name (the operator labels its server pod with it). */
  readonly server: string;
  /** Where the API endpoint lives: the VPC CIDR (`network.vpcCidr`). */
  readonly apiCidr: string;
  /**
   * Namespaces whose pods may open Spark Connect sessions (e.g. a notebook namespace).
   * @default - none
   */
  readonly clientNamespaces?: readonly string[];
  /**
   * Address ranges that may open sessions (e.g. a VPN range reaching pod IPs).
   * @default - none
   */
  readonly clientCidrs?: readonly string[];
}

/** One NetworkPolicy a rule renders to (in the tenant namespace). */
export interface NetworkPolicyGrant {
  /** The policy name (`allow-...`). */
  readonly name: string;
  /** The tenant pods the policy applies to. */
  readonly podSelector: k8s.LabelSelector;
  /** Traffic the selected pods accept. */
  readonly ingress?: readonly k8s.NetworkPolicyIngressRule[];
  /** Traffic the selected pods may send. */
  readonly egress?: readonly k8s.NetworkPolicyEgressRule[];
}

const ALL_PODS: k8s.LabelSelector = {};
const DRIVERS: k8s.LabelSelector = { matchLabels: { [SPARK_ROLE_LABEL]: SPARK_ROLES.driver } };
const tcp = (port: number): k8s.NetworkPolicyPort => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) });
const udp = (port: number): k8s.NetworkPolicyPort => ({ protocol: 'UDP', port: k8s.IntOrString.fromNumber(port) });
const namespaceNamed = (name: string): k8s.LabelSelector => ({ matchLabels: { [NAMESPACE_NAME_LABEL]: name } });

/**
 * Traffic a tenant namespace allows on top of its default deny (ingress and egress). Each rule is built by a static
 * factory, so only the supported shapes exist; a rule becomes one or more NetworkPolicies named `allow-<rule>`.
 */
export class NetworkAllowRule {
  /** DNS lookups: UDP and TCP 53 to the cluster DNS pods (`k8s-app=kube-dns` in kube-system), from every pod. */
  public static dns(): NetworkAllowRule {
    return new NetworkAllowRule('dns', [
      {
        name: 'allow-dns',
        podSelector: ALL_PODS,
        egress: [
          {
            to: [
              {
                namespaceSelector: namespaceNamed('kube-system'),
                podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
              },
            ],
            ports: [udp(53), tcp(53)],
          },
        ],
      },
    ]);
  }

  /** Any traffic between pods of the namespace: driver to executors and back, executor to executor (shuffle). */
  public static withinNamespace(): NetworkAllowRule {
    return new NetworkAllowRule('within-namespace', [
      {
        name: 'allow-within-namespace',
        podSelector: ALL_PODS,
        ingress: [{ from: [{ podSelector: ALL_PODS }] }],
        egress: [{ to: [{ podSelector: ALL_PODS }] }],
      },
    ]);
  }

  /**
   * The Iceberg REST catalog: TCP POLARIS_SERVICE.port to the Polaris namespace, from every pod (executors refresh
   * vended storage credentials from the catalog too).
   */
  public static polarisCatalog(): NetworkAllowRule {
    return new NetworkAllowRule('polaris-catalog', [
      {
        name: 'allow-polaris-catalog',
        podSelector: ALL_PODS,
        egress: [
          {
            to: [{ namespaceSelector: namespaceNamed(PLATFORM_NAMESPACES.polaris) }],
            ports: [tcp(POLARIS_SERVICE.port)],
          },
        ],
      },
    ]);
  }

  /**
   * The Kubernetes API (TCP 443) for the only pods that use it: Spark drivers (they create executor pods and their
   * ConfigMap). Executors and scheduled jobs never talk to the API. The EKS endpoint's network interfaces sit in the VPC, and policies see the
   * endpoint address after the `kubernetes` Service is translated, so the rule names the VPC range, not the Service.
   *
   * @param apiCidr where the API endpoint lives: the VPC CIDR (`network.vpcCidr`)
   */
  public static kubernetesApi(apiCidr: string): NetworkAllowRule {
    const problems = new Problems('NetworkAllowRule.kubernetesApi');
    problems.check(isCidr(apiCidr), 'apiCidr', apiCidr, 'an IPv4 CIDR block such as 10.0.0.0/16');
    problems.throwIfAny();
    const egress = [{ to: [{ ipBlock: { cidr: apiCidr } }], ports: [tcp(443)] }];
    return new NetworkAllowRule('kubernetes-api', [
      { name: 'allow-kubernetes-api-drivers', podSelector: DRIVERS, egress },
    ]);
  }

  /**
   * AWS credentials for Spark drivers: TCP POD_IDENTITY_AGENT.port to the EKS Pod Identity Agent on the node. The
   * driver service account is the tenant's only one with a Pod Identity association (it writes Spark event logs).
   * The object-storage rule excepts link-local addresses, so this is the one link-local address tenants reach.
   */
  public static podIdentityAgent(): NetworkAllowRule {
    return new NetworkAllowRule('pod-identity-agent', [
      {
        name: 'allow-pod-identity-agent',
        podSelector: DRIVERS,
        egress: [
          { to: [{ ipBlock: { cidr: `${POD_IDENTITY_AGENT.address}/32` } }], ports: [tcp(POD_IDENTITY_AGENT.port)] },
        ],
      },
    ]);
  }

  /**
   * HTTPS (TCP 443) to object storage, from every pod. An S3 gateway endpoint routes to S3's public addresses (the
   * VPC route table holds S3's prefix list), and a NetworkPolicy cannot name a prefix list, so the rule opens 443 to
   * public addresses only: every non-public range and the VPC itself are excepted, so nothing inside the VPC, the pod
   * network or the instance metadata service becomes reachable through it.
   *
   * @param vpcCidr the VPC CIDR (`network.vpcCidr`), excepted even when it is not a private range
   */
  public static objectStorage(vpcCidr: string): NetworkAllowRule {
    const problems = new Problems('NetworkAllowRule.objectStorage');
    problems.check(isCidr(vpcCidr), 'vpcCidr', vpcCidr, 'an IPv4 CIDR block such as 10.0.0.0/16');
    problems.throwIfAny();
    const except = NON_PUBLIC_IPV4_RANGES.some((range) => cidrContains(range, vpcCidr))
      ? [...NON_PUBLIC_IPV4_RANGES]
      : [...NON_PUBLIC_IPV4_RANGES, vpcCidr];
    return new NetworkAllowRule('object-storage', [
      {
        name: 'allow-object-storage',
        podSelector: ALL_PODS,
        egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except } }], ports: [tcp(443)] }],
      },
    ]);
  }

  /** A ClickHouse cluster, for jobs that read it: TCP `port` to the given host CIDRs, from the selected pods. */
  public static clickHouse(options: ClickHouseEgressOptions): NetworkAllowRule {
    const problems = new Problems('NetworkAllowRule.clickHouse');
    problems.check(options.cidrs.length > 0, 'cidrs', options.cidrs, 'at least one CIDR block');
    options.cidrs.forEach((c, i) => {
      const wide = isCidr(c) ? clickHouseCidrProblem(c) : 'an IPv4 CIDR block such as 10.0.12.0/24 or 10.0.12.7/32';
      if (wide) problems.add(`cidrs[${i}]`, c, wide);
    });
    problems.check(
      Number.isInteger(options.port) && options.port >= 1 && options.port <= 65535,
      'port',
      options.port,
      'a TCP port 1-65535 (8123 for HTTP, 8443 for HTTPS)',
    );
    problems.throwIfAny();
    const policyName = options.policyName ?? 'allow-clickhouse';
    return new NetworkAllowRule(options.policyName ?? 'clickhouse', [
      {
        name: policyName,
        podSelector: options.pods ?? ALL_PODS,
        egress: [{ to: options.cidrs.map((c) => ({ ipBlock: { cidr: c } })), ports: [tcp(options.port)] }],
      },
    ]);
  }

  /**
   * The Spark UI (TCP 4040 on drivers) from pods of another namespace, e.g. an ingress controller serving the
   * operator's UI ingresses. Nothing else needs ingress from outside the namespace: the operator's webhooks are called
   * by the API server and run in the operator's namespace, and `kubectl port-forward` goes through the kubelet.
   */
  public static sparkUiFrom(namespace: string): NetworkAllowRule {
    const problems = new Problems('NetworkAllowRule.sparkUiFrom');
    problems.check(
      namespace.length <= 63 && DNS_LABEL.test(namespace),
      'namespace',
      namespace,
      'a namespace name (a DNS label)',
    );
    problems.throwIfAny();
    return new NetworkAllowRule(`spark-ui-from-${namespace}`, [
      {
        name: `allow-spark-ui-from-${namespace}`,
        podSelector: DRIVERS,
        ingress: [{ from: [{ namespaceSelector: namespaceNamed(namespace) }], ports: [tcp(SPARK_UI_PORT)] }],
      },
    ]);
  }

  /**
   * A Spark Connect server's own traffic. Its pod is labelled `spark-role: connect-server` by the operator, so the
   * tenant's driver rules do not select it: it gets the driver's egress (the Kubernetes API to create executors, the
   * Pod Identity Agent for event-log credentials) and accepts gRPC on SPARK_CONNECT_PORT from the declared clients
   * only. Executors reach it through the tenant's within-namespace rule.
   */
  public static sparkConnectServer(options: SparkConnectTrafficOptions): NetworkAllowRule {
    const problems = new Problems('NetworkAllowRule.sparkConnectServer');
    problems.check(isCidr(options.apiCidr), 'apiCidr', options.apiCidr, 'an IPv4 CIDR block such as 10.0.0.0/16');
    const namespaces = options.clientNamespaces ?? [];
    const cidrs = options.clientCidrs ?? [];
    problems.check(
      namespaces.length + cidrs.length > 0,
      'clientNamespaces',
      namespaces,
      'at least one client namespace or CIDR: a server nobody may reach is of no use',
    );
    namespaces.forEach((n, i) =>
      problems.check(
        DNS_LABEL.test(n) && n.length <= 63,
        `clientNamespaces[${i}]`,
        n,
        'a namespace name (a DNS label)',
      ),
    );
    cidrs.forEach((c, i) =>
      problems.check(
        isCidr(c) && c !== '0.0.0.0/0',
        `clientCidrs[${i}]`,
        c,
        'an IPv4 CIDR block narrower than 0.0.0.0/0 (the server runs tenant code for whoever connects)',
      ),
    );
    problems.throwIfAny();
    const server: k8s.LabelSelector = {
      matchLabels: { [SPARK_CONNECT_NAME_LABEL]: options.server, [SPARK_ROLE_LABEL]: SPARK_CONNECT_SERVER_ROLE },
    };
    return new NetworkAllowRule(`spark-connect-${options.server}`, [
      {
        name: `allow-${options.server}-clients`,
        podSelector: server,
        ingress: [
          {
            from: [
              ...namespaces.map((n) => ({ namespaceSelector: namespaceNamed(n) })),
              ...cidrs.map((c) => ({ ipBlock: { cidr: c } })),
            ],
            ports: [tcp(SPARK_CONNECT_PORT)],
          },
        ],
      },
      {
        name: `allow-${options.server}-egress`,
        podSelector: server,
        egress: [
          { to: [{ ipBlock: { cidr: options.apiCidr } }], ports: [tcp(443)] },
          {
            to: [{ ipBlock: { cidr: `${POD_IDENTITY_AGENT.address}/32` } }],
            ports: [tcp(POD_IDENTITY_AGENT.port)],
          },
        ],
      },
    ]);
  }

  /**
   * Prometheus scrapes of the drivers' UI port (TCP 4040, where Spark serves driver and executor metrics), from the
   * pods with `podLabels` in `namespace` only.
   */
  public static metricsScrapeFrom(namespace: string, podLabels: Readonly<Record<string, string>>): NetworkAllowRule {
    const problems = new Problems('NetworkAllowRule.metricsScrapeFrom');
    problems.check(
      namespace.length <= 63 && DNS_LABEL.test(namespace),
      'namespace',
      namespace,
      'a namespace name (a DNS label)',
    );
    problems.check(
      Object.keys(podLabels).length > 0,
      'podLabels',
      podLabels,
      'at least one label of the Prometheus pods',
    );
    problems.throwIfAny();
    return new NetworkAllowRule(`metrics-scrape-from-${namespace}`, [
      {
        name: `allow-metrics-scrape-from-${namespace}`,
        podSelector: DRIVERS,
        ingress: [
          {
            from: [{ namespaceSelector: namespaceNamed(namespace), podSelector: { matchLabels: { ...podLabels } } }],
            ports: [tcp(SPARK_UI_PORT)],
          },
        ],
      },
    ]);
  }

  private constructor(
    /** Identifies the rule within a tenant; a tenant holds each rule once. */
    public readonly name: string,
    private readonly grants: readonly NetworkPolicyGrant[],
  ) {}

  /** The NetworkPolicies this rule becomes (used by the Tenant construct). */
  public policies(): readonly NetworkPolicyGrant[] {
    return this.grants;
  }
}

/** The NetworkPolicy spec a grant renders to. */
export function networkPolicySpec(grant: NetworkPolicyGrant): k8s.NetworkPolicySpec {
  return {
    podSelector: grant.podSelector,
    policyTypes: [...(grant.ingress ? ['Ingress'] : []), ...(grant.egress ? ['Egress'] : [])],
    ...(grant.ingress ? { ingress: [...grant.ingress] } : {}),
    ...(grant.egress ? { egress: [...grant.egress] } : {}),
  };
}

function isCidr(value: string): boolean {
  return cidrSchema.safeParse(value).success;
}
