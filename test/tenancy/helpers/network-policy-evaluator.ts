/**
 * A small NetworkPolicy evaluator (networking.k8s.io/v1 semantics) over synthesized objects, for tests:
 * - a pod is isolated for a direction when any policy in its namespace selects it and lists that direction;
 * - an isolated pod allows a connection when some rule of some selecting policy matches both the peer and the port;
 * - a connection between two pods needs the source's egress AND the destination's ingress to allow it.
 * ipBlock peers are matched against pod IPs too (as the AWS VPC CNI does), so the evaluator errs towards "allowed".
 */

type Labels = Readonly<Record<string, string>>;

interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

interface PolicyPort {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}

interface NetworkPolicy {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec: {
    podSelector: LabelSelector;
    policyTypes?: string[];
    ingress?: { from?: Peer[]; ports?: PolicyPort[] }[];
    egress?: { to?: Peer[]; ports?: PolicyPort[] }[];
  };
}

/** One end of a connection: a pod (namespace, its labels, its namespace's labels) or an address outside the cluster. */
export interface Endpoint {
  readonly ip: string;
  readonly pod?: { readonly namespace: string; readonly labels: Labels; readonly namespaceLabels: Labels };
}

/** A connection to check. */
export interface Connection {
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
}

/** Decides connections from the NetworkPolicies among `objects` (other kinds are ignored). */
export class NetworkPolicyEvaluator {
  private readonly policies: NetworkPolicy[];

  constructor(objects: readonly unknown[]) {
    this.policies = (objects as NetworkPolicy[]).filter((o) => o.kind === 'NetworkPolicy');
  }

  /** True when the source's egress policies and the destination's ingress policies both allow the connection. */
  allows(connection: Connection): boolean {
    return this.egressAllows(connection) && this.ingressAllows(connection);
  }

  /** The source side alone. */
  egressAllows({ from, to, port, protocol = 'TCP' }: Connection): boolean {
    if (!from.pod) return true;
    const selecting = this.selecting(from.pod, 'Egress');
    if (selecting.length === 0) return true;
    return selecting.some((policy) =>
      (policy.spec.egress ?? []).some(
        (rule) => portMatches(rule.ports, port, protocol) && peersMatch(rule.to, to, policy.metadata.namespace!),
      ),
    );
  }

  /** The destination side alone. */
  ingressAllows({ from, to, port, protocol = 'TCP' }: Connection): boolean {
    if (!to.pod) return true;
    const selecting = this.selecting(to.pod, 'Ingress');
    if (selecting.length === 0) return true;
    return selecting.some((policy) =>
      (policy.spec.ingress ?? []).some(
        (rule) => portMatches(rule.ports, port, protocol) && peersMatch(rule.from, from, policy.metadata.namespace!),
      ),
    );
  }

  private selecting(pod: NonNullable<Endpoint['pod']>, direction: 'Ingress' | 'Egress'): NetworkPolicy[] {
    return this.policies.filter(
      (p) =>
        p.metadata.namespace === pod.namespace &&
        selectorMatches(p.spec.podSelector, pod.labels) &&
        policyTypes(p).includes(direction),
    );
  }
}

function policyTypes(policy: NetworkPolicy): string[] {
  return policy.spec.policyTypes ?? ['Ingress', ...(policy.spec.egress ? ['Egress'] : [])];
}

function peersMatch(peers: Peer[] | undefined, endpoint: Endpoint, policyNamespace: string): boolean {
  // No peers (or an empty list) means every peer.
  if (!peers || peers.length === 0) return true;
  return peers.some((peer) => {
    if (peer.ipBlock) {
      return inCidr(endpoint.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c) => inCidr(endpoint.ip, c));
    }
    if (!endpoint.pod) return false;
    const namespaceOk = peer.namespaceSelector
      ? selectorMatches(peer.namespaceSelector, endpoint.pod.namespaceLabels)
      : endpoint.pod.namespace === policyNamespace;
    return namespaceOk && (!peer.podSelector || selectorMatches(peer.podSelector, endpoint.pod.labels));
  });
}

function portMatches(ports: PolicyPort[] | undefined, port: number, protocol: string): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'string') throw new Error(`named port ${p.port} is not supported by the test evaluator`);
    return p.endPort === undefined ? p.port === port : port >= p.port && port <= p.endPort;
  });
}

/** Label selector semantics; an empty selector matches everything. */
export function selectorMatches(selector: LabelSelector, labels: Labels): boolean {
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpressions = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    switch (operator) {
      case 'In':
        return key in labels && values.includes(labels[key]);
      case 'NotIn':
        return !(key in labels) || !values.includes(labels[key]);
      case 'Exists':
        return key in labels;
      case 'DoesNotExist':
        return !(key in labels);
      default:
        throw new Error(`unknown selector operator ${operator}`);
    }
  });
  return byLabels && byExpressions;
}

function ipv4(address: string): number {
  const octets = address.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255))
    throw new Error(`not an IPv4 address: ${address}`);
  return octets.reduce((n, o) => n * 256 + o, 0);
}

/** True when `ip` lies in `cidr`. */
export function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipv4(ip) / size) === Math.floor(ipv4(base) / size);
}

/** Namespace labels as the API server sees them: the object's labels plus the immutable name label. */
export function namespaceLabels(objects: readonly unknown[], namespace: string): Labels {
  const found = (objects as { kind: string; metadata: { name: string; labels?: Labels } }[]).find(
    (o) => o.kind === 'Namespace' && o.metadata.name === namespace,
  );
  return { ...(found?.metadata.labels ?? {}), 'kubernetes.io/metadata.name': namespace };
}
