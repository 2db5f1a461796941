import { k8s } from 'cdk8s-plus-28';
import { PLATFORM_NAMESPACES, POLARIS_SERVICE } from '../conventions';

/** Where an offload pod may connect to; everything else is denied. */
export interface OffloadEgressTargets {
  /** CIDR blocks of the ClickHouse hosts. */
  readonly clickhouseCidrs: readonly string[];
  /** ClickHouse HTTP(S) port. */
  readonly clickhousePort: number;
  /** CIDR blocks of the object store (the region's S3 prefix list): Iceberg data files are read and written there directly. */
  readonly objectStorageCidrs: readonly string[];
}

/**
 * The egress allow rules of an offload pod: DNS, the Polaris catalog, ClickHouse and object storage, nothing else.
 * Kept in one function so it can be swapped for the tenancy area's typed allow rules in one place.
 */
export function offloadEgressRules(targets: OffloadEgressTargets): k8s.NetworkPolicyEgressRule[] {
  const ipBlocks = (cidrs: readonly string[]) => cidrs.map((cidr) => ({ ipBlock: { cidr } }));
  const tcp = (port: number) => [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) }];
  const inNamespace = (namespace: string) => ({ 'kubernetes.io/metadata.name': namespace });
  return [
    {
      to: [{ namespaceSelector: { matchLabels: inNamespace('kube-system') }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [53].flatMap((port) => ['UDP', 'TCP'].map((protocol) => ({ protocol, port: k8s.IntOrString.fromNumber(port) }))),
    },
    {
      to: [
        {
          namespaceSelector: { matchLabels: inNamespace(PLATFORM_NAMESPACES.polaris) },
          podSelector: { matchLabels: { 'app.kubernetes.io/name': POLARIS_SERVICE.name } },
        },
      ],
      ports: tcp(POLARIS_SERVICE.port),
    },
    { to: ipBlocks(targets.clickhouseCidrs), ports: tcp(targets.clickhousePort) },
    { to: ipBlocks(targets.objectStorageCidrs), ports: tcp(443) },
  ];
}
