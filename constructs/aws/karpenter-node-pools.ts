/**
 * Karpenter's EC2NodeClasses and NodePools as plain specs (no Pulumi): the Spark pools (drivers on-demand, executors on
 * spot) and the system pool that adds platform capacity when the managed node group is full. The platform project
 * applies them (constructs/releases/karpenter.ts); tests call these directly.
 */
import { formatCpu, formatMemory, parseQuantity, PRICES, VERSIONS } from '../../config';
import {
  NODE_POOL_LABEL,
  SPARK_NODE_POOLS,
  SPARK_NODE_TAINT,
  SYSTEM_NODE_LABEL,
  SYSTEM_NODE_TAINT,
} from '../conventions';
import { KARPENTER_DISCOVERY_TAG } from './data-plane-network';
import { amiTypeFor, NODE_METADATA_OPTIONS } from './system-node-group';

/** The EC2NodeClasses: one per kind of node, so system and Spark nodes get their own root volume and Name tag. */
export const NODE_CLASSES = { spark: 'spark', system: 'system' } as const;
export type NodeClass = keyof typeof NODE_CLASSES;

export type SparkPool = keyof typeof SPARK_NODE_POOLS;

/** Resource limits of one NodePool. */
export interface PoolLimits {
  readonly cpu: string;
  readonly memory: string;
}

/**
 * How many nodes of each Spark pool Karpenter may take down at once for a voluntary reason (drift after an AMI bump,
 * emptiness, expiry). Drivers also carry `karpenter.sh/do-not-disrupt`, so a node running one is never drained.
 */
export const SPARK_POOL_BUDGETS: Record<SparkPool, readonly { nodes: string }[]> = {
  driver: [{ nodes: '1' }],
  executor: [{ nodes: '10%' }],
};

/**
 * Splits the environment's Spark capacity between the pools so that together they never exceed it: drivers get
 * `driverShare`, executors the rest.
 */
export function sparkPoolLimits(maxCpu: string, maxMemory: string, driverShare: number): Record<SparkPool, PoolLimits> {
  const cpu = parseQuantity(maxCpu);
  const memory = parseQuantity(maxMemory);
  const share = (pool: SparkPool) => (pool === 'driver' ? driverShare : 1 - driverShare);
  const limits = (pool: SparkPool) => ({
    cpu: formatCpu(cpu * share(pool)),
    memory: formatMemory(memory * share(pool)),
  });
  return { driver: limits('driver'), executor: limits('executor') };
}

/**
 * The NodePool spec of one Spark pool: the pool's label and the Spark taint (the contract with the Spark job
 * constructs), its capacity type, consolidation only when empty, and a disruption budget so drift replaces nodes a few
 * at a time. NodePools have no minimum: with no Spark pod pending the pool is empty.
 */
export function sparkNodePoolSpec(pool: SparkPool, limits: PoolLimits): Record<string, unknown> {
  const { name, capacityType } = SPARK_NODE_POOLS[pool];
  return {
    template: {
      metadata: { labels: { [NODE_POOL_LABEL]: name } },
      spec: {
        nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: NODE_CLASSES.spark },
        taints: [{ ...SPARK_NODE_TAINT }],
        requirements: [
          { key: 'karpenter.sh/capacity-type', operator: 'In', values: [capacityType] },
          { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
          { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] },
          { key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['5'] },
        ],
        expireAfter: '720h',
      },
    },
    disruption: {
      consolidationPolicy: 'WhenEmpty',
      consolidateAfter: '2m',
      budgets: SPARK_POOL_BUDGETS[pool].map((b) => ({ ...b })),
    },
    limits: { cpu: limits.cpu, memory: limits.memory },
  };
}

/** What the system pool is sized from: the environment's `capacity.system`. */
export interface SystemPoolInputs {
  readonly instanceTypes: readonly string[];
  /** Nodes of the managed node group (always there). */
  readonly minNodes: number;
  /** Most system nodes in total; Karpenter may add `maxNodes - minNodes` of the largest instance type. */
  readonly maxNodes: number;
}

/** The system pool's CPU and memory ceiling: the nodes it may add beyond the managed node group. */
export function systemPoolLimits(p: SystemPoolInputs): PoolLimits {
  const shapes = p.instanceTypes.map((t) => PRICES.ec2[t as keyof typeof PRICES.ec2]);
  if (shapes.some((s) => s === undefined))
    throw new Error(`system instance types ${p.instanceTypes.join(', ')} must all be in config/prices.ts`);
  const extra = p.maxNodes - p.minNodes;
  const cpu = Math.max(...shapes.map((s) => s.cpu)) * extra;
  const memoryGiB = Math.max(...shapes.map((s) => s.memoryGiB)) * extra;
  return { cpu: formatCpu(cpu), memory: formatMemory(memoryGiB * 2 ** 30) };
}

/**
 * The system NodePool: on-demand nodes of the system instance types, labelled and tainted like the managed node group,
 * so platform pods that do not fit there get a node within a minute and tenant pods never land on one. Consolidation
 * may repack it (platform Deployments have replicas and budgets), one node at a time.
 */
export function systemNodePoolSpec(p: SystemPoolInputs): Record<string, unknown> {
  const arch = amiTypeFor(p.instanceTypes) === 'AL2023_ARM_64_STANDARD' ? 'arm64' : 'amd64';
  const limits = systemPoolLimits(p);
  return {
    template: {
      metadata: { labels: { [SYSTEM_NODE_LABEL.key]: SYSTEM_NODE_LABEL.value } },
      spec: {
        nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: NODE_CLASSES.system },
        taints: [{ ...SYSTEM_NODE_TAINT }],
        requirements: [
          { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
          { key: 'kubernetes.io/arch', operator: 'In', values: [arch] },
          { key: 'node.kubernetes.io/instance-type', operator: 'In', values: [...p.instanceTypes] },
        ],
        expireAfter: '720h',
      },
    },
    disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '10m', budgets: [{ nodes: '1' }] },
    limits: { cpu: limits.cpu, memory: limits.memory },
  };
}

/** What an EC2NodeClass is built from. */
export interface NodeClassInputs {
  readonly clusterName: string;
  readonly instanceProfile: string;
  readonly securityGroupId: string;
  readonly volumeSizeGi: number;
}

/** An EC2NodeClass: the pinned AMI, IMDSv2 only, encrypted gp3 root volume, private subnets found by discovery tag. */
export function nodeClassSpec(nodeClass: NodeClass, c: NodeClassInputs): Record<string, unknown> {
  return {
    amiSelectorTerms: [{ alias: VERSIONS.karpenter.amiAlias }],
    instanceProfile: c.instanceProfile,
    subnetSelectorTerms: [{ tags: { [KARPENTER_DISCOVERY_TAG]: c.clusterName } }],
    securityGroupSelectorTerms: [{ id: c.securityGroupId }],
    metadataOptions: { ...NODE_METADATA_OPTIONS, httpProtocolIPv6: 'disabled' },
    blockDeviceMappings: [
      {
        deviceName: '/dev/xvda',
        ebs: { volumeSize: `${c.volumeSizeGi}Gi`, volumeType: 'gp3', encrypted: true, deleteOnTermination: true },
      },
    ],
    tags: { Name: `${c.clusterName}-${nodeClass}` },
  };
}
