import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { Problems } from '../../config';
import { SYSTEM_NODE_LABEL, SYSTEM_NODE_TAINT } from '../conventions';
import { createNodeRole } from './factories';

/** Instance metadata settings of every node: IMDSv2 only, and one hop so pods cannot reach the node's credentials. */
export const NODE_METADATA_OPTIONS = {
  httpEndpoint: 'enabled',
  httpTokens: 'required',
  httpPutResponseHopLimit: 1,
} as const;

/** Graviton families (m7g, c7gn, r8gd, t4g...) need the arm64 AMI. */
const GRAVITON = /^[a-z]+\d+g[a-z]*\./;

/** The EKS AMI type matching the instance types' architecture, or undefined when they mix architectures. */
export function amiTypeFor(
  instanceTypes: readonly string[],
): 'AL2023_x86_64_STANDARD' | 'AL2023_ARM_64_STANDARD' | undefined {
  const arm = instanceTypes.filter((t) => GRAVITON.test(t)).length;
  if (arm === 0) return 'AL2023_x86_64_STANDARD';
  return arm === instanceTypes.length ? 'AL2023_ARM_64_STANDARD' : undefined;
}

/** Arguments of {@link SystemNodeGroup}. */
export interface SystemNodeGroupArgs {
  /** The cluster the nodes join. */
  readonly clusterName: pulumi.Input<string>;
  /** Kubernetes minor of the nodes (the control plane's). */
  readonly version: string;
  /** Private subnets, one per AZ. */
  readonly subnetIds: pulumi.Input<string>[];
  /** The cluster's node security group. */
  readonly nodeSecurityGroupId: pulumi.Input<string>;
  /** On-demand instance types, all of one architecture. */
  readonly instanceTypes: readonly string[];
  /** Nodes kept running: the group's fixed size (Karpenter's system pool adds nodes beyond it). */
  readonly minNodes: number;
  /** Most system nodes in total, the group's and Karpenter's together. */
  readonly maxNodes: number;
  /**
   * Root volume size in GiB (gp3, encrypted).
   * @default 50
   */
  readonly diskSizeGb?: number;
  /**
   * Resources the node group waits for (the add-ons nodes need to become Ready).
   * @default []
   */
  readonly waitFor?: readonly pulumi.Resource[];
}

/**
 * The small on-demand managed node group that runs the operators, Polaris, the History Servers, CoreDNS and Karpenter
 * (which must not run on nodes it manages). It keeps `minNodes` nodes: nothing autoscales a managed node group here;
 * growth comes from Karpenter's system NodePool. Nodes carry {@link SYSTEM_NODE_LABEL} and {@link SYSTEM_NODE_TAINT}, so
 * only platform pods (which tolerate it) land here.
 */
export class SystemNodeGroup extends pulumi.ComponentResource {
  static readonly TYPE = 'dataplane:aws:SystemNodeGroup';

  public readonly nodeGroup: aws.eks.NodeGroup;
  public readonly nodeRoleArn: pulumi.Output<string>;

  constructor(name: string, args: SystemNodeGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    super(SystemNodeGroup.TYPE, name, {}, opts);
    const diskSizeGb = args.diskSizeGb ?? 50;
    const amiType = amiTypeFor(args.instanceTypes);
    const problems = new Problems(`${SystemNodeGroup.TYPE} ${name}`);
    problems.check(args.instanceTypes.length > 0, 'instanceTypes', args.instanceTypes, 'at least one instance type');
    problems.check(
      amiType !== undefined,
      'instanceTypes',
      args.instanceTypes,
      'instance types of a single architecture (all Graviton or none)',
    );
    problems.check(
      Number.isInteger(args.minNodes) && args.minNodes >= 1,
      'minNodes',
      args.minNodes,
      'a whole number >= 1 (the operators need a node)',
    );
    problems.check(
      Number.isInteger(args.maxNodes) && args.maxNodes >= args.minNodes,
      'maxNodes',
      args.maxNodes,
      `a whole number >= minNodes (${args.minNodes})`,
    );
    problems.check(
      Number.isInteger(diskSizeGb) && diskSizeGb >= 20,
      'diskSizeGb',
      diskSizeGb,
      'a whole number of GiB >= 20',
    );
    problems.throwIfAny();

    const parent = { parent: this };
    const partition = aws.getPartitionOutput({}, parent).partition;
    const { role, attachments } = createNodeRole(`${name}-role`, partition, parent);
    const template = new aws.ec2.LaunchTemplate(
      `${name}-lt`,
      {
        description: 'System nodes: IMDSv2 only, encrypted root volume',
        metadataOptions: { ...NODE_METADATA_OPTIONS },
        blockDeviceMappings: [
          {
            deviceName: '/dev/xvda',
            ebs: { volumeSize: diskSizeGb, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' },
          },
        ],
        vpcSecurityGroupIds: [args.nodeSecurityGroupId],
        tagSpecifications: [{ resourceType: 'instance', tags: { Name: `${name}-node` } }],
      },
      parent,
    );
    this.nodeGroup = new aws.eks.NodeGroup(
      `${name}-nodes`,
      {
        clusterName: args.clusterName,
        version: args.version,
        nodeRoleArn: role.arn,
        subnetIds: args.subnetIds,
        capacityType: 'ON_DEMAND',
        amiType: amiType!,
        instanceTypes: [...args.instanceTypes],
        scalingConfig: { minSize: args.minNodes, maxSize: args.minNodes, desiredSize: args.minNodes },
        updateConfig: { maxUnavailable: 1 },
        labels: { [SYSTEM_NODE_LABEL.key]: SYSTEM_NODE_LABEL.value },
        taints: [{ key: SYSTEM_NODE_TAINT.key, value: SYSTEM_NODE_TAINT.value, effect: 'NO_SCHEDULE' }],
        launchTemplate: { id: template.id, version: template.latestVersion.apply(String) },
      },
      { parent: this, dependsOn: [...(args.waitFor ?? []), ...attachments] },
    );
    this.nodeRoleArn = role.arn;
    this.registerOutputs({ nodeGroupName: this.nodeGroup.nodeGroupName, nodeRoleArn: this.nodeRoleArn });
  }
}
