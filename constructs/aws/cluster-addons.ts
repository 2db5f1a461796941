import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { CLUSTER_VERSIONS, ClusterVersion, Problems, VERSIONS } from '../../config';
import { PodIdentityRole } from './pod-identity-role';

export type EksAddonName = keyof (typeof VERSIONS.eksAddons)[ClusterVersion];

/** Add-ons nodes need to become Ready (networking, credentials); installed before any node joins. */
export const NODE_BOOTSTRAP_ADDONS: readonly EksAddonName[] = ['vpc-cni', 'kube-proxy', 'eks-pod-identity-agent'];
/** Add-ons that run as Deployments and so need nodes; installed after the system node group. */
export const WORKLOAD_ADDONS: readonly EksAddonName[] = ['coredns', 'aws-ebs-csi-driver'];

/** Add-ons whose controller calls AWS: the service account that gets a Pod Identity role, and the AWS managed policy. */
export const ADDON_IDENTITIES: Partial<Record<EksAddonName, { serviceAccount: string; managedPolicy: string }>> = {
  'aws-ebs-csi-driver': {
    serviceAccount: 'ebs-csi-controller-sa',
    managedPolicy: 'service-role/AmazonEBSCSIDriverPolicy',
  },
};

/**
 * Add-on configuration (`aws eks describe-addon-configuration` schema; for vpc-cni the aws-vpc-cni chart values):
 * the VPC CNI enforces NetworkPolicy only with `enableNetworkPolicy`, and in `strict` mode a new pod starts denied until
 * its policies are programmed, instead of open (`standard`). Strict mode denies pods no policy selects, so every
 * namespace with pods has one (kube-system: see kubeSystemNetworkPolicy in the platform project).
 */
export const ADDON_CONFIGURATION: Partial<Record<EksAddonName, Record<string, unknown>>> = {
  'vpc-cni': { enableNetworkPolicy: 'true', env: { NETWORK_POLICY_ENFORCING_MODE: 'strict' } },
};

/** Arguments of {@link ClusterAddons}. */
export interface ClusterAddonsArgs {
  /** The cluster to install into. */
  readonly clusterName: pulumi.Input<string>;
  /** Its ARN, for the add-ons' Pod Identity roles. */
  readonly clusterArn: pulumi.Input<string>;
  /** The cluster's Kubernetes minor; selects the pinned add-on versions. */
  readonly version: ClusterVersion;
  /** Which add-ons to install. */
  readonly addons: readonly EksAddonName[];
  /**
   * Resources every add-on waits for (e.g. the nodes CoreDNS runs on).
   * @default []
   */
  readonly waitFor?: readonly pulumi.Resource[];
}

/**
 * EKS managed add-ons at the versions pinned for the cluster's minor, with Pod Identity roles for those that call AWS.
 * Used twice: the node-bootstrap set before nodes, the workload set after them (`waitFor`: Pulumi does not make a
 * component's children wait for the component's own `dependsOn`).
 */
export class ClusterAddons extends pulumi.ComponentResource {
  static readonly TYPE = 'dataplane:aws:ClusterAddons';

  public readonly addons: aws.eks.Addon[];

  constructor(name: string, args: ClusterAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(ClusterAddons.TYPE, name, {}, opts);
    const problems = new Problems(`${ClusterAddons.TYPE} ${name}`);
    problems.check(
      (CLUSTER_VERSIONS as readonly string[]).includes(args.version),
      'version',
      args.version,
      `one of ${CLUSTER_VERSIONS.join(', ')}`,
    );
    const pinned = VERSIONS.eksAddons[args.version] ?? {};
    const unknown = args.addons.filter((a) => !(a in pinned));
    problems.check(
      unknown.length === 0,
      'addons',
      unknown,
      `add-ons pinned for ${args.version}: ${Object.keys(pinned).join(', ')}`,
    );
    problems.check(args.addons.length > 0, 'addons', args.addons, 'at least one add-on');
    problems.throwIfAny();

    const waitFor = [...(args.waitFor ?? [])];
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    this.addons = args.addons.map((addon) => {
      const identity = ADDON_IDENTITIES[addon];
      const role =
        identity &&
        new PodIdentityRole(
          `${name}-${addon}-identity`,
          {
            clusterName: args.clusterName,
            clusterArn: args.clusterArn,
            namespace: 'kube-system',
            serviceAccount: identity.serviceAccount,
            managedPolicyArns: [pulumi.interpolate`arn:${partition}:iam::aws:policy/${identity.managedPolicy}`],
          },
          { parent: this },
        );
      return new aws.eks.Addon(
        `${name}-${addon}`,
        {
          clusterName: args.clusterName,
          addonName: addon,
          addonVersion: pinned[addon],
          ...(ADDON_CONFIGURATION[addon] ? { configurationValues: JSON.stringify(ADDON_CONFIGURATION[addon]) } : {}),
          // The managed add-on owns its objects: overwrite drift on create and update.
          resolveConflictsOnCreate: 'OVERWRITE',
          resolveConflictsOnUpdate: 'OVERWRITE',
        },
        { parent: this, dependsOn: role ? [...waitFor, role.association] : waitFor },
      );
    });
    this.registerOutputs({ addons: this.addons.map((a) => a.addonName) });
  }
}
