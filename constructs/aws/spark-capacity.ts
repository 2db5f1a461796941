import * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { formatCpu, formatMemory, isQuantity, parseQuantity, Problems, VERSIONS } from '../../config';
import { NODE_POOL_LABEL, SPARK_NODE_POOLS, SPARK_NODE_TAINT, SYSTEM_NODE_LABEL } from '../conventions';
import { KARPENTER_DISCOVERY_TAG } from './data-plane-network';
import { createNodeRole } from './factories';
import { interruptionQueuePolicy, karpenterControllerPolicy } from './policies';
import { PodIdentityRole } from './pod-identity-role';
import { NODE_METADATA_OPTIONS } from './system-node-group';

/** Name of the EC2NodeClass both Spark NodePools launch from. */
export const SPARK_NODE_CLASS = 'spark';
/** Where the Karpenter controller runs and the service account its Pod Identity role is bound to. */
export const KARPENTER_SERVICE_ACCOUNT = { namespace: 'kube-system', name: 'karpenter' } as const;

/** EC2 events Karpenter drains nodes ahead of, delivered to its interruption queue by EventBridge. */
export const INTERRUPTION_EVENTS = [
  { id: 'scheduled-change', source: 'aws.health', detailType: 'AWS Health Event' },
  { id: 'spot-interruption', source: 'aws.ec2', detailType: 'EC2 Spot Instance Interruption Warning' },
  { id: 'rebalance', source: 'aws.ec2', detailType: 'EC2 Instance Rebalance Recommendation' },
  { id: 'state-change', source: 'aws.ec2', detailType: 'EC2 Instance State-change Notification' },
] as const;

export type SparkPool = keyof typeof SPARK_NODE_POOLS;

/** Resource limits of one NodePool. */
export interface PoolLimits {
  readonly cpu: string;
  readonly memory: string;
}

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
 * constructs), its capacity type, and consolidation only when empty so running drivers and executors are never moved.
 * NodePools have no minimum: with no Spark pod pending the pool is empty.
 */
export function sparkNodePoolSpec(pool: SparkPool, limits: PoolLimits): Record<string, unknown> {
  const { name, capacityType } = SPARK_NODE_POOLS[pool];
  return {
    template: {
      metadata: { labels: { [NODE_POOL_LABEL]: name } },
      spec: {
        nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: SPARK_NODE_CLASS },
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
    disruption: { consolidationPolicy: 'WhenEmpty', consolidateAfter: '2m' },
    limits: { cpu: limits.cpu, memory: limits.memory },
  };
}

/** What the EC2NodeClass is built from. */
export interface SparkNodeClassInputs {
  readonly clusterName: string;
  readonly instanceProfile: string;
  readonly securityGroupId: string;
  readonly volumeSizeGi: number;
}

/** The EC2NodeClass of Spark nodes: IMDSv2 only, encrypted gp3 root volume, private subnets found by discovery tag. */
export function sparkNodeClassSpec(c: SparkNodeClassInputs): Record<string, unknown> {
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
    tags: { Name: `${c.clusterName}-spark` },
  };
}

/** Arguments of {@link SparkCapacity}. */
export interface SparkCapacityArgs {
  /** Name of the cluster (an output of it, so everything here waits for the cluster). */
  readonly clusterName: pulumi.Input<string>;
  readonly clusterArn: pulumi.Input<string>;
  readonly clusterEndpoint: pulumi.Input<string>;
  /** Region of the cluster; the controller policy is pinned to it. */
  readonly region: string;
  /** Private subnets Spark nodes may launch into. */
  readonly subnetIds: pulumi.Input<string>[];
  /** The cluster's node security group. */
  readonly nodeSecurityGroupId: pulumi.Input<string>;
  /** Most CPU all Spark nodes together may have (a Kubernetes quantity). */
  readonly maxCpu: string;
  /** Most memory all Spark nodes together may have (a Kubernetes quantity). */
  readonly maxMemory: string;
  /** Provider of the cluster the controller and its resources are applied to. */
  readonly kubernetesProvider: k8s.Provider;
  /**
   * Fraction of the capacity reserved for drivers; executors get the rest.
   * @default 0.25
   */
  readonly driverShare?: number;
  /**
   * Root volume of Spark nodes in GiB (shuffle spills here).
   * @default 100
   */
  readonly volumeSizeGi?: number;
  /**
   * Karpenter controller replicas (on distinct system nodes).
   * @default 2
   */
  readonly controllerReplicas?: number;
  /**
   * Resources the controller waits for (system nodes and CoreDNS).
   * @default []
   */
  readonly waitFor?: readonly pulumi.Resource[];
}

/**
 * Autoscaled Spark capacity with Karpenter: the controller (Helm) with its Pod Identity role, the interruption queue
 * fed by EventBridge, a node role with its instance profile and access entry, the Spark EC2NodeClass, and one NodePool
 * per {@link SPARK_NODE_POOLS} entry (drivers on-demand, executors on spot).
 */
export class SparkCapacity extends pulumi.ComponentResource {
  static readonly TYPE = 'dataplane:aws:SparkCapacity';

  public readonly interruptionQueueName: pulumi.Output<string>;
  public readonly controllerRoleArn: pulumi.Output<string>;
  public readonly nodeRoleArn: pulumi.Output<string>;
  public readonly release: k8s.helm.v3.Release;
  public readonly nodeClass: k8s.apiextensions.CustomResource;
  /** One per Spark pool; Spark workloads are schedulable once these exist. */
  public readonly nodePools: k8s.apiextensions.CustomResource[];
  public readonly limits: Record<SparkPool, PoolLimits>;

  constructor(name: string, args: SparkCapacityArgs, opts?: pulumi.ComponentResourceOptions) {
    super(SparkCapacity.TYPE, name, {}, opts);
    const driverShare = args.driverShare ?? 0.25;
    const volumeSizeGi = args.volumeSizeGi ?? 100;
    const replicas = args.controllerReplicas ?? 2;
    const problems = new Problems(`${SparkCapacity.TYPE} ${name}`);
    problems.check(
      isQuantity(args.maxCpu) && parseQuantity(args.maxCpu) > 0,
      'maxCpu',
      args.maxCpu,
      'a positive CPU quantity',
    );
    problems.check(
      isQuantity(args.maxMemory) && parseQuantity(args.maxMemory) > 0,
      'maxMemory',
      args.maxMemory,
      'a positive memory quantity',
    );
    problems.check(
      driverShare > 0 && driverShare < 1,
      'driverShare',
      driverShare,
      'a fraction between 0 and 1 (both pools need capacity)',
    );
    problems.check(
      Number.isInteger(volumeSizeGi) && volumeSizeGi >= 20,
      'volumeSizeGi',
      volumeSizeGi,
      'a whole number of GiB >= 20',
    );
    problems.check(Number.isInteger(replicas) && replicas >= 1, 'controllerReplicas', replicas, 'a whole number >= 1');
    problems.throwIfAny();

    const parent = { parent: this };
    const k8sOpts = { parent: this, provider: args.kubernetesProvider };
    const partition = aws.getPartitionOutput({}, parent).partition;
    const accountId = aws.getCallerIdentityOutput({}, parent).accountId;

    const queue = new aws.sqs.Queue(
      `${name}-interruptions`,
      {
        name: pulumi.interpolate`${args.clusterName}-karpenter`,
        messageRetentionSeconds: 300,
        sqsManagedSseEnabled: true,
      },
      parent,
    );
    new aws.sqs.QueuePolicy(
      `${name}-interruptions-policy`,
      { queueUrl: queue.url, policy: queue.arn.apply((arn) => JSON.stringify(interruptionQueuePolicy(arn))) },
      parent,
    );
    for (const event of INTERRUPTION_EVENTS) {
      const rule = new aws.cloudwatch.EventRule(
        `${name}-${event.id}`,
        {
          description: `Karpenter interruption handling: ${event.detailType}`,
          eventPattern: JSON.stringify({ source: [event.source], 'detail-type': [event.detailType] }),
        },
        parent,
      );
      new aws.cloudwatch.EventTarget(`${name}-${event.id}-target`, { rule: rule.name, arn: queue.arn }, parent);
    }

    const { role: nodeRole, attachments } = createNodeRole(`${name}-node-role`, partition, parent);
    const profile = new aws.iam.InstanceProfile(`${name}-node-profile`, { role: nodeRole.name }, parent);
    const nodeAccess = new aws.eks.AccessEntry(
      `${name}-node-access`,
      { clusterName: args.clusterName, principalArn: nodeRole.arn, type: 'EC2_LINUX' },
      parent,
    );

    const controller = new PodIdentityRole(
      `${name}-controller`,
      {
        clusterName: args.clusterName,
        clusterArn: args.clusterArn,
        namespace: KARPENTER_SERVICE_ACCOUNT.namespace,
        serviceAccount: KARPENTER_SERVICE_ACCOUNT.name,
        policy: pulumi
          .output({
            partition,
            accountId,
            clusterName: args.clusterName,
            clusterArn: args.clusterArn,
            nodeRoleArn: nodeRole.arn,
            instanceProfileArn: profile.arn,
            interruptionQueueArn: queue.arn,
            subnetIds: args.subnetIds,
            securityGroupId: args.nodeSecurityGroupId,
          })
          .apply((scope) => karpenterControllerPolicy({ ...scope, region: args.region })),
      },
      parent,
    );

    this.release = new k8s.helm.v3.Release(
      `${name}-karpenter`,
      {
        name: 'karpenter',
        chart: VERSIONS.karpenter.chartRepository,
        version: VERSIONS.karpenter.chart,
        namespace: KARPENTER_SERVICE_ACCOUNT.namespace,
        values: {
          // isolatedVPC: no on-demand pricing API calls, so the controller needs no unscoped pricing permission.
          settings: {
            clusterName: args.clusterName,
            clusterEndpoint: args.clusterEndpoint,
            interruptionQueue: queue.name,
            isolatedVPC: true,
          },
          serviceAccount: { name: KARPENTER_SERVICE_ACCOUNT.name },
          replicas,
          nodeSelector: { 'kubernetes.io/os': 'linux', [SYSTEM_NODE_LABEL.key]: SYSTEM_NODE_LABEL.value },
          controller: { resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '1Gi' } } },
        },
      },
      { ...k8sOpts, dependsOn: [...(args.waitFor ?? []), controller.association, nodeAccess] },
    );

    this.nodeClass = new k8s.apiextensions.CustomResource(
      `${name}-node-class`,
      {
        apiVersion: 'karpenter.k8s.aws/v1',
        kind: 'EC2NodeClass',
        metadata: { name: SPARK_NODE_CLASS },
        spec: pulumi
          .all([args.clusterName, profile.name, args.nodeSecurityGroupId])
          .apply(([clusterName, instanceProfile, securityGroupId]) =>
            sparkNodeClassSpec({ clusterName, instanceProfile, securityGroupId, volumeSizeGi }),
          ),
      },
      { ...k8sOpts, dependsOn: [this.release, ...attachments] },
    );
    this.limits = sparkPoolLimits(args.maxCpu, args.maxMemory, driverShare);
    this.nodePools = (Object.keys(SPARK_NODE_POOLS) as SparkPool[]).map(
      (pool) =>
        new k8s.apiextensions.CustomResource(
          `${name}-${pool}-pool`,
          {
            apiVersion: 'karpenter.sh/v1',
            kind: 'NodePool',
            metadata: { name: SPARK_NODE_POOLS[pool].name },
            spec: sparkNodePoolSpec(pool, this.limits[pool]),
          },
          { ...k8sOpts, dependsOn: [this.release, this.nodeClass] },
        ),
    );

    this.interruptionQueueName = queue.name;
    this.controllerRoleArn = controller.roleArn;
    this.nodeRoleArn = nodeRole.arn;
    this.registerOutputs({
      interruptionQueueName: this.interruptionQueueName,
      controllerRoleArn: this.controllerRoleArn,
      nodeRoleArn: this.nodeRoleArn,
    });
  }
}
