import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { cidr, Problems } from '../../config';
import {
  PLATFORM_NAMESPACES,
  POLARIS_DATABASE_PORT,
  POLARIS_SERVICE,
  SPARK_JOB_NAMESPACE_LABEL,
  WEBHOOK_PORTS,
} from '../conventions';
import {
  HISTORY_SERVER_POD_LABELS,
  HISTORY_SERVER_PORT,
  PLATFORM_RELEASES,
  POLARIS_PROVISIONER_POD_LABELS,
} from './platform-releases';

/** Where the cluster DNS runs. */
export interface ClusterDns {
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
}

export interface PlatformNetworkPoliciesProps {
  /**
   * The VPC's CIDR. The API server (control-plane ENIs), kubelets, host-network pods and the Polaris database all have
   * addresses in it; with the VPC CNI, pods drawing from the primary CIDR do too, so rules from it are as narrow as a
   * NetworkPolicy can express for those callers.
   */
  readonly vpcCidr: string;
  /**
   * The cluster DNS every platform pod may query.
   * @default - CoreDNS in kube-system (`k8s-app: kube-dns`)
   */
  readonly dns?: ClusterDns;
  /**
   * Namespaces whose pods may reach the History Server UI; nothing else reaches it (its probes run in the container).
   * @default - none
   */
  readonly historyServerClients?: readonly string[];
}

const DEFAULTS = { dns: { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } } satisfies ClusterDns };

/** The EKS Pod Identity agent (a link-local address on every node) that hands AWS credentials to pods. */
const POD_IDENTITY_AGENT = { cidr: '169.254.170.23/32', port: 80 };

/** HTTPS to AWS APIs (S3, STS): their public ranges cannot be listed in a NetworkPolicy, so any address on 443. */
const ANYWHERE = '0.0.0.0/0';

type Peer = k8s.NetworkPolicyPeer;
type Port = k8s.NetworkPolicyPort;

const tcp = (port: number): Port => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) });
const ip = (block: string): Peer => ({ ipBlock: { cidr: block } });

/**
 * Network policies of the platform namespaces: each namespace denies all traffic by default, then allows exactly what its
 * services need.
 *
 * - API server → Spark Operator webhook on 9443 and → kubelet probes: from the VPC CIDR.
 * - YuniKorn's admission controller runs with `hostNetwork: true`. A NetworkPolicy selects pods in the pod network;
 *   a host-network pod shares its node's network namespace, so no policy here can admit or block traffic to its port 9089
 *   and its own traffic leaves with the node's address. Reaching 9089 from the API server is therefore the node security
 *   group's job (WEBHOOK_PORTS for the AWS layer), and the scheduler must accept the controller's calls (its REST port)
 *   from node addresses, i.e. the VPC CIDR.
 * - Spark pods in namespaces labelled SPARK_JOB_NAMESPACE_LABEL → Polaris on 8181; the provisioning Job → Polaris too.
 * - Polaris → PostgreSQL (VPC), S3/STS (443) and the Pod Identity agent; the History Server → S3 and the agent.
 * - The History Server UI only from the declared namespaces (`historyServerClients`); its probes run inside the pod.
 * - Every pod → cluster DNS; the operators → the API server (443 in the VPC).
 */
export class PlatformNetworkPolicies extends Construct {
  /** The DNS servers allowed. */
  public readonly dns: ClusterDns;

  constructor(scope: Construct, id: string, props: PlatformNetworkPoliciesProps) {
    super(scope, id);
    this.dns = props.dns ?? DEFAULTS.dns;
    const problems = new Problems(this.node.path);
    problems.check(
      cidr.safeParse(props.vpcCidr).success,
      'vpcCidr',
      props.vpcCidr,
      'an IPv4 CIDR block such as 10.0.0.0/16',
    );
    problems.check(
      Object.keys(this.dns.podLabels).length > 0,
      'dns.podLabels',
      this.dns.podLabels,
      'at least one label selecting the DNS pods',
    );
    problems.throwIfAny();

    const vpc = ip(props.vpcCidr);
    const dnsPeer: Peer = {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': this.dns.namespace } },
      podSelector: { matchLabels: { ...this.dns.podLabels } },
    };
    for (const namespace of Object.values(PLATFORM_NAMESPACES)) {
      this.policy(namespace, 'default-deny', {}, { policyTypes: ['Ingress', 'Egress'] });
      this.policy(
        namespace,
        'allow-dns',
        {},
        {
          policyTypes: ['Egress'],
          egress: [{ to: [dnsPeer], ports: [{ protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) }, tcp(53)] }],
        },
      );
    }

    const operator = PLATFORM_RELEASES.sparkOperator;
    this.policy(operator.namespace, 'allow-webhook-from-api-server', operator.pods.webhook, {
      policyTypes: ['Ingress'],
      ingress: [{ from: [vpc], ports: [tcp(WEBHOOK_PORTS.sparkOperator)] }],
    });
    this.policy(
      operator.namespace,
      'allow-probes-from-nodes',
      {},
      { policyTypes: ['Ingress'], ingress: [{ from: [vpc], ports: [tcp(operator.probePort)] }] },
    );
    this.policy(
      operator.namespace,
      'allow-api-server',
      {},
      { policyTypes: ['Egress'], egress: [{ to: [vpc], ports: [tcp(443)] }] },
    );

    const yunikorn = PLATFORM_RELEASES.yunikorn;
    this.policy(yunikorn.namespace, 'allow-scheduler-from-nodes', yunikorn.pods.scheduler, {
      policyTypes: ['Ingress'],
      ingress: [{ from: [vpc], ports: [tcp(yunikorn.schedulerRestPort)] }],
    });
    this.policy(
      yunikorn.namespace,
      'allow-api-server',
      {},
      { policyTypes: ['Egress'], egress: [{ to: [vpc], ports: [tcp(443)] }] },
    );

    const polaris = PLATFORM_RELEASES.polaris;
    const provisioner: Peer = { podSelector: { matchLabels: { ...POLARIS_PROVISIONER_POD_LABELS } } };
    const awsApis = [
      { to: [ip(ANYWHERE)], ports: [tcp(443)] },
      { to: [ip(POD_IDENTITY_AGENT.cidr)], ports: [tcp(POD_IDENTITY_AGENT.port)] },
    ];
    this.policy(polaris.namespace, 'allow-catalog-clients', polaris.pods.server, {
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { [SPARK_JOB_NAMESPACE_LABEL.key]: SPARK_JOB_NAMESPACE_LABEL.value } },
            },
            provisioner,
          ],
          ports: [tcp(POLARIS_SERVICE.port)],
        },
      ],
    });
    this.policy(polaris.namespace, 'allow-probes-from-nodes', polaris.pods.server, {
      policyTypes: ['Ingress'],
      ingress: [{ from: [vpc], ports: [tcp(POLARIS_SERVICE.managementPort)] }],
    });
    this.policy(polaris.namespace, 'allow-server-egress', polaris.pods.server, {
      policyTypes: ['Egress'],
      egress: [{ to: [vpc], ports: [tcp(POLARIS_DATABASE_PORT)] }, ...awsApis],
    });
    this.policy(polaris.namespace, 'allow-provisioner-egress', POLARIS_PROVISIONER_POD_LABELS, {
      policyTypes: ['Egress'],
      egress: [
        { to: [{ podSelector: { matchLabels: { ...polaris.pods.server } } }], ports: [tcp(POLARIS_SERVICE.port)] },
        // The API server (tenant Secrets) and the database (the admin tool's bootstrap).
        { to: [vpc], ports: [tcp(443), tcp(POLARIS_DATABASE_PORT)] },
      ],
    });

    const history = PLATFORM_NAMESPACES.historyServer;
    const clients = props.historyServerClients ?? [];
    if (clients.length > 0) {
      this.policy(history, 'allow-ui-from-declared-namespaces', HISTORY_SERVER_POD_LABELS, {
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              {
                namespaceSelector: {
                  matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...clients] }],
                },
              },
            ],
            ports: [tcp(HISTORY_SERVER_PORT)],
          },
        ],
      });
    }
    this.policy(history, 'allow-history-server-egress', HISTORY_SERVER_POD_LABELS, {
      policyTypes: ['Egress'],
      egress: awsApis,
    });
  }

  private policy(
    namespace: string,
    name: string,
    podLabels: Readonly<Record<string, string>>,
    spec: Omit<k8s.NetworkPolicySpec, 'podSelector'>,
  ): void {
    new k8s.KubeNetworkPolicy(this, `${namespace}-${name}`, {
      metadata: { name, namespace },
      spec: { podSelector: Object.keys(podLabels).length > 0 ? { matchLabels: { ...podLabels } } : {}, ...spec },
    });
  }
}
