/** Small resource factories shared by several components (not components themselves). */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { serviceTrustPolicy } from './policies';

/** AWS managed policies every EKS node needs: join the cluster, pull images from ECR, run the VPC CNI. */
export const NODE_MANAGED_POLICIES = [
  'AmazonEKSWorkerNodePolicy',
  'AmazonEC2ContainerRegistryPullOnly',
  'AmazonEKS_CNI_Policy',
] as const;

/** A node role and its policy attachments (nodes must not launch before the attachments exist). */
export interface NodeRole {
  readonly role: aws.iam.Role;
  readonly attachments: readonly aws.iam.RolePolicyAttachment[];
}

/**
 * The IAM role of a group of nodes. Each group gets its own role: a managed node group registers its role's access
 * entry itself, and an access entry per principal can only exist once.
 */
export function createNodeRole(
  name: string,
  partition: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): NodeRole {
  const role = new aws.iam.Role(
    name,
    { assumeRolePolicy: JSON.stringify(serviceTrustPolicy('ec2.amazonaws.com')) },
    opts,
  );
  const attachments = NODE_MANAGED_POLICIES.map(
    (policy) =>
      new aws.iam.RolePolicyAttachment(
        `${name}-${policy}`,
        { role: role.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}` },
        opts,
      ),
  );
  return { role, attachments };
}

/** A customer-managed KMS key with yearly rotation, for one kind of data. */
export function createEncryptionKey(
  name: string,
  description: string,
  opts: pulumi.CustomResourceOptions,
): aws.kms.Key {
  return new aws.kms.Key(name, { description, enableKeyRotation: true, deletionWindowInDays: 30 }, opts);
}
