import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { DNS_LABEL, Problems } from '../../config';
import { PolicyDocument, podIdentityTrustPolicy } from './policies';

/** Arguments of {@link PodIdentityRole}. */
export interface PodIdentityRoleArgs {
  /** Name of the cluster the association is made in. */
  readonly clusterName: pulumi.Input<string>;
  /** ARN of that cluster; the trust policy accepts only sessions tagged with it. */
  readonly clusterArn: pulumi.Input<string>;
  /** Namespace of the service account. */
  readonly namespace: string;
  /** The service account whose pods receive the role's credentials. */
  readonly serviceAccount: string;
  /**
   * Inline permissions.
   * @default - none (then `managedPolicyArns` must name at least one policy)
   */
  readonly policy?: pulumi.Input<PolicyDocument>;
  /**
   * AWS managed policies to attach (for add-ons whose permissions AWS maintains).
   * @default []
   */
  readonly managedPolicyArns?: readonly pulumi.Input<string>[];
}

/**
 * An IAM role handed to one Kubernetes service account through EKS Pod Identity: the role, its permissions and the
 * association. Pods get credentials from the Pod Identity agent; nothing is annotated in the cluster.
 */
export class PodIdentityRole extends pulumi.ComponentResource {
  static readonly TYPE = 'dataplane:aws:PodIdentityRole';

  public readonly roleArn: pulumi.Output<string>;
  public readonly roleName: pulumi.Output<string>;
  public readonly association: aws.eks.PodIdentityAssociation;

  constructor(name: string, args: PodIdentityRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super(PodIdentityRole.TYPE, name, {}, opts);
    const problems = new Problems(`${PodIdentityRole.TYPE} ${name}`);
    problems.check(DNS_LABEL.test(args.namespace), 'namespace', args.namespace, 'a DNS label');
    problems.check(DNS_LABEL.test(args.serviceAccount), 'serviceAccount', args.serviceAccount, 'a DNS label');
    problems.check(
      args.policy !== undefined || (args.managedPolicyArns ?? []).length > 0,
      'policy',
      args.policy,
      'a policy or at least one managed policy ARN',
    );
    problems.throwIfAny();

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `Pod Identity role of ${args.namespace}/${args.serviceAccount}`,
        assumeRolePolicy: pulumi
          .output(args.clusterArn)
          .apply((clusterArn) =>
            JSON.stringify(
              podIdentityTrustPolicy({ clusterArn, namespace: args.namespace, serviceAccount: args.serviceAccount }),
            ),
          ),
      },
      { parent: this },
    );
    if (args.policy !== undefined) {
      new aws.iam.RolePolicy(
        `${name}-policy`,
        { role: role.name, policy: pulumi.output(args.policy).apply((p) => JSON.stringify(p)) },
        { parent: this },
      );
    }
    (args.managedPolicyArns ?? []).forEach(
      (policyArn, i) =>
        new aws.iam.RolePolicyAttachment(`${name}-managed-${i}`, { role: role.name, policyArn }, { parent: this }),
    );
    this.association = new aws.eks.PodIdentityAssociation(
      `${name}-association`,
      {
        clusterName: args.clusterName,
        namespace: args.namespace,
        serviceAccount: args.serviceAccount,
        roleArn: role.arn,
      },
      { parent: this },
    );

    this.roleArn = role.arn;
    this.roleName = role.name;
    this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName });
  }
}
