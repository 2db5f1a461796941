import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { createNodeRole } from './factories';
import { interruptionQueuePolicy, karpenterControllerPolicy } from './policies';
import { PodIdentityRole } from './pod-identity-role';

/** Where the Karpenter controller runs and the service account its Pod Identity role is bound to. */
export const KARPENTER_SERVICE_ACCOUNT = { namespace: 'kube-system', name: 'karpenter' } as const;

/** EC2 events Karpenter drains nodes ahead of, delivered to its interruption queue by EventBridge. */
export const INTERRUPTION_EVENTS = [
  { id: 'scheduled-change', source: 'aws.health', detailType: 'AWS Health Event' },
  { id: 'spot-interruption', source: 'aws.ec2', detailType: 'EC2 Spot Instance Interruption Warning' },
  { id: 'rebalance', source: 'aws.ec2', detailType: 'EC2 Instance Rebalance Recommendation' },
  { id: 'state-change', source: 'aws.ec2', detailType: 'EC2 Instance State-change Notification' },
] as const;

/** The account-wide role EC2 needs before it launches a first Spot instance (Karpenter's executors run on spot). */
export const SPOT_SERVICE_LINKED_ROLE = {
  name: 'AWSServiceRoleForEC2Spot',
  service: 'spot.amazonaws.com',
  path: '/aws-service-role/spot.amazonaws.com/',
} as const;

/** Arguments of {@link KarpenterInfrastructure}. */
export interface KarpenterInfrastructureArgs {
  /** Name of the cluster (an output of it, so everything here waits for the cluster). */
  readonly clusterName: pulumi.Input<string>;
  readonly clusterArn: pulumi.Input<string>;
  /** Region of the cluster; the controller policy is pinned to it. */
  readonly region: string;
  /** Private subnets Karpenter may launch into. */
  readonly subnetIds: pulumi.Input<string>[];
  /** The cluster's node security group. */
  readonly nodeSecurityGroupId: pulumi.Input<string>;
}

/**
 * The AWS side of Karpenter, in the infrastructure project: the interruption queue fed by EventBridge, the node role
 * with its instance profile and access entry, the controller's Pod Identity role (associated before the controller pod
 * exists, which the platform project installs), and the Spot service-linked role when the account has none yet.
 */
export class KarpenterInfrastructure extends pulumi.ComponentResource {
  static readonly TYPE = 'dataplane:aws:KarpenterInfrastructure';

  public readonly interruptionQueueName: pulumi.Output<string>;
  public readonly controllerRoleArn: pulumi.Output<string>;
  public readonly nodeRoleArn: pulumi.Output<string>;
  /** The instance profile Karpenter's EC2NodeClass names. */
  public readonly instanceProfileName: pulumi.Output<string>;
  /** Resources the controller must not start before (its association, the node access entry, the policies). */
  public readonly readiness: pulumi.Resource[];

  constructor(name: string, args: KarpenterInfrastructureArgs, opts?: pulumi.ComponentResourceOptions) {
    super(KarpenterInfrastructure.TYPE, name, {}, opts);
    const parent = { parent: this };
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

    // The role exists once per account: create it only where it is missing, and never delete it (other stacks and
    // other tools in the account rely on it). The look-up runs in previews too, so the plan shows the creation.
    aws.iam
      .getRolesOutput(
        { nameRegex: `^${SPOT_SERVICE_LINKED_ROLE.name}$`, pathPrefix: SPOT_SERVICE_LINKED_ROLE.path },
        parent,
      )
      .names.apply((names) =>
        names.length > 0
          ? undefined
          : new aws.iam.ServiceLinkedRole(
              `${name}-spot-service-linked-role`,
              { awsServiceName: SPOT_SERVICE_LINKED_ROLE.service, description: 'EC2 Spot for Karpenter nodes' },
              { parent: this, retainOnDelete: true },
            ),
      );

    this.interruptionQueueName = queue.name;
    this.controllerRoleArn = controller.roleArn;
    this.nodeRoleArn = nodeRole.arn;
    this.instanceProfileName = profile.name;
    this.readiness = [controller.association, nodeAccess, ...attachments];
    this.registerOutputs({
      interruptionQueueName: this.interruptionQueueName,
      controllerRoleArn: this.controllerRoleArn,
      nodeRoleArn: this.nodeRoleArn,
      instanceProfileName: this.instanceProfileName,
    });
  }
}
