import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { AWS_DEFAULTS, CLUSTER_VERSIONS, ClusterVersion, LOG_RETENTION_DAYS, Problems } from '../../config';
import { createEncryptionKey } from './factories';
import { KARPENTER_DISCOVERY_TAG } from './data-plane-network';
import { clusterKeyPolicy, serviceTrustPolicy } from './policies';
import { ResourceProtection, UNPROTECTED } from './protection';

/** Every control-plane log type; all of them go to CloudWatch. */
export const CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

/**
 * Ports the control plane must reach on nodes: admission webhooks and the kubelet. Webhook pods run on the nodes'
 * security group, so without these rules the API server times out calling them.
 */
export const CONTROL_PLANE_TO_NODE_PORTS = [
  { port: 443, why: 'webhooks and aggregated APIs served on 443' },
  { port: 10250, why: 'kubelet: logs, exec, metrics' },
  { port: 9443, why: 'Spark Operator mutating/validating webhook' },
  { port: 9089, why: 'YuniKorn admission controller (host network)' },
] as const;

/** The EKS access policy granted to administrators. */
export const CLUSTER_ADMIN_POLICY = 'AmazonEKSClusterAdminPolicy';

/** Arguments of {@link DataPlaneCluster}. */
export interface DataPlaneClusterArgs {
  /** Name of the EKS cluster (fixed, so subnets can carry its discovery tag before it exists). */
  readonly clusterName: string;
  /** Region of the cluster; written into the kubeconfig's `aws eks get-token` call. */
  readonly region: string;
  /** VPC of the cluster. */
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets for the control plane's network interfaces, one per AZ. */
  readonly subnetIds: pulumi.Input<string>[];
  /**
   * Kubernetes minor; one with pinned add-on versions.
   * @default VERSIONS.kubernetes.cluster (1.35)
   */
  readonly version?: ClusterVersion;
  /**
   * Source ranges allowed on the public API endpoint; empty keeps the endpoint private.
   * @default [] (private only)
   */
  readonly publicAccessCidrs?: readonly string[];
  /**
   * Private ranges allowed to reach the API endpoint on 443 through the cluster security group (VPN, peered networks,
   * CI runners): how a deployer reaches a private endpoint.
   * @default []
   */
  readonly deployerCidrs?: readonly string[];
  /**
   * IAM role or user ARNs given cluster-admin through access entries; the deployer must be one of them (the creator
   * gets no implicit entry, so an explicit entry for it cannot collide with one EKS made).
   * @default []
   */
  readonly admins?: readonly string[];
  /**
   * Days control-plane logs are kept.
   * @default 90
   */
  readonly logRetentionDays?: number;
  /**
   * Deletion protection of the control plane.
   * @default UNPROTECTED
   */
  readonly protection?: ResourceProtection;
}

/** What a kubeconfig needs to reach a cluster. */
export interface KubeconfigInputs {
  readonly clusterName: string;
  readonly endpoint: string;
  readonly certificateAuthorityData: string;
  readonly region: string;
}

/**
 * A kubeconfig for the cluster that authenticates with `aws eks get-token`, so it holds no credential and never expires:
 * whoever runs it needs AWS credentials mapped to an access entry.
 */
export function renderKubeconfig(c: KubeconfigInputs): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: c.clusterName,
        cluster: { server: c.endpoint, 'certificate-authority-data': c.certificateAuthorityData },
      },
    ],
    contexts: [{ name: c.clusterName, context: { cluster: c.clusterName, user: c.clusterName } }],
    'current-context': c.clusterName,
    users: [
      {
        name: c.clusterName,
        user: {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            command: 'aws',
            args: ['eks', 'get-token', '--cluster-name', c.clusterName, '--region', c.region, '--output', 'json'],
            interactiveMode: 'Never',
          },
        },
      },
    ],
  });
}

/**
 * The EKS control plane: Secrets encrypted with a dedicated KMS key, every log type in CloudWatch, API-only
 * authentication with access entries for administrators, a private endpoint (public only for an allow-list), and the
 * node security group with the rules between nodes and control plane.
 */
export class DataPlaneCluster extends pulumi.ComponentResource {
  static readonly TYPE = 'dataplane:aws:DataPlaneCluster';

  public readonly cluster: aws.eks.Cluster;
  public readonly clusterName: pulumi.Output<string>;
  public readonly clusterArn: pulumi.Output<string>;
  public readonly version: ClusterVersion;
  public readonly endpoint: pulumi.Output<string>;
  /** Security group EKS creates for the control plane's network interfaces. */
  public readonly clusterSecurityGroupId: pulumi.Output<string>;
  /** Security group of every node (system node group and Karpenter nodes); pods use it too. */
  public readonly nodeSecurityGroupId: pulumi.Output<string>;
  public readonly secretsKeyArn: pulumi.Output<string>;
  /** Kubeconfig JSON using `aws eks get-token`. */
  public readonly kubeconfig: pulumi.Output<string>;
  /** The administrators' access policy associations (ready once the admins can use the cluster). */
  public readonly adminAccess: aws.eks.AccessPolicyAssociation[];

  constructor(name: string, args: DataPlaneClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super(DataPlaneCluster.TYPE, name, {}, opts);
    const version = args.version ?? AWS_DEFAULTS.cluster.version;
    const publicAccessCidrs = args.publicAccessCidrs ?? AWS_DEFAULTS.cluster.publicAccessCidrs;
    const admins = args.admins ?? AWS_DEFAULTS.cluster.admins;
    const deployerCidrs = args.deployerCidrs ?? AWS_DEFAULTS.cluster.deployerCidrs;
    const logRetentionDays = args.logRetentionDays ?? AWS_DEFAULTS.cluster.logRetentionDays;
    const protection = args.protection ?? UNPROTECTED;
    validate(name, args, version, { publicAccessCidrs, deployerCidrs }, admins, logRetentionDays);

    const parent = { parent: this };
    const partition = aws.getPartitionOutput({}, parent).partition;

    const key = createEncryptionKey(
      `${name}-secrets-key`,
      `Envelope encryption of Kubernetes Secrets in ${args.clusterName}`,
      parent,
    );
    const role = new aws.iam.Role(
      `${name}-role`,
      { assumeRolePolicy: JSON.stringify(serviceTrustPolicy('eks.amazonaws.com')) },
      parent,
    );
    const rolePolicies = [
      new aws.iam.RolePolicyAttachment(
        `${name}-cluster-policy`,
        { role: role.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/AmazonEKSClusterPolicy` },
        parent,
      ),
      new aws.iam.RolePolicy(
        `${name}-secrets-key-use`,
        { role: role.name, policy: key.arn.apply((arn) => JSON.stringify(clusterKeyPolicy(arn))) },
        parent,
      ),
    ];
    // Created before the cluster so EKS writes into it (with retention) instead of creating an unbounded group.
    const logs = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: `/aws/eks/${args.clusterName}/cluster`, retentionInDays: logRetentionDays },
      parent,
    );

    const nodeSg = new aws.ec2.SecurityGroup(
      `${name}-node-sg`,
      {
        vpcId: args.vpcId,
        description: `Nodes of ${args.clusterName}`,
        tags: { Name: `${args.clusterName}-node`, [KARPENTER_DISCOVERY_TAG]: args.clusterName },
      },
      parent,
    );

    this.cluster = new aws.eks.Cluster(
      `${name}-eks`,
      {
        name: args.clusterName,
        version,
        roleArn: role.arn,
        vpcConfig: {
          subnetIds: args.subnetIds,
          endpointPrivateAccess: true,
          endpointPublicAccess: publicAccessCidrs.length > 0,
          ...(publicAccessCidrs.length > 0 ? { publicAccessCidrs: [...publicAccessCidrs] } : {}),
        },
        // No implicit entry for the creator: the admins' explicit entries are the only ones, so none can collide (409).
        accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
        encryptionConfig: { provider: { keyArn: key.arn }, resources: ['secrets'] },
        enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
        // Add-ons are installed as managed add-ons at pinned versions, never the unmanaged defaults.
        bootstrapSelfManagedAddons: false,
        // STANDARD lets EKS upgrade the control plane itself when standard support ends, behind Pulumi's back; EXTENDED
        // keeps the declared version (at the extended-support price) until it is bumped here.
        upgradePolicy: { supportType: 'EXTENDED' },
        deletionProtection: protection.deletionProtection,
      },
      { parent: this, dependsOn: [logs, ...rolePolicies] },
    );
    const clusterSgId = this.cluster.vpcConfig.clusterSecurityGroupId;

    new aws.vpc.SecurityGroupIngressRule(
      `${name}-node-from-node`,
      {
        securityGroupId: nodeSg.id,
        referencedSecurityGroupId: nodeSg.id,
        ipProtocol: '-1',
        description: 'node and pod traffic between nodes',
      },
      parent,
    );
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-node-egress`,
      { securityGroupId: nodeSg.id, cidrIpv4: '0.0.0.0/0', ipProtocol: '-1', description: 'AWS APIs, registries, NAT' },
      parent,
    );
    for (const { port, why } of CONTROL_PLANE_TO_NODE_PORTS) {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-node-from-control-plane-${port}`,
        {
          securityGroupId: nodeSg.id,
          referencedSecurityGroupId: clusterSgId,
          ipProtocol: 'tcp',
          fromPort: port,
          toPort: port,
          description: why,
        },
        parent,
      );
    }
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-control-plane-from-node`,
      {
        securityGroupId: clusterSgId,
        referencedSecurityGroupId: nodeSg.id,
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        description: 'Kubernetes API from nodes and pods',
      },
      parent,
    );

    deployerCidrs.forEach(
      (cidrIpv4, i) =>
        new aws.vpc.SecurityGroupIngressRule(
          `${name}-api-from-deployer-${i}`,
          {
            securityGroupId: clusterSgId,
            cidrIpv4,
            ipProtocol: 'tcp',
            fromPort: 443,
            toPort: 443,
            description: 'Kubernetes API from a declared deployer range',
          },
          parent,
        ),
    );

    this.adminAccess = admins.map((principalArn, i) => {
      const entry = new aws.eks.AccessEntry(
        `${name}-admin-${i}`,
        { clusterName: this.cluster.name, principalArn, type: 'STANDARD' },
        parent,
      );
      return new aws.eks.AccessPolicyAssociation(
        `${name}-admin-${i}-policy`,
        {
          clusterName: this.cluster.name,
          principalArn: entry.principalArn,
          policyArn: pulumi.interpolate`arn:${partition}:eks::aws:cluster-access-policy/${CLUSTER_ADMIN_POLICY}`,
          accessScope: { type: 'cluster' },
        },
        parent,
      );
    });

    this.clusterName = this.cluster.name;
    this.clusterArn = this.cluster.arn;
    this.version = version;
    this.endpoint = this.cluster.endpoint;
    this.clusterSecurityGroupId = clusterSgId;
    this.nodeSecurityGroupId = nodeSg.id;
    this.secretsKeyArn = key.arn;
    this.kubeconfig = pulumi
      .all([this.cluster.name, this.cluster.endpoint, this.cluster.certificateAuthority.data])
      .apply(([clusterName, endpoint, certificateAuthorityData]) =>
        renderKubeconfig({ clusterName, endpoint, certificateAuthorityData, region: args.region }),
      );
    this.registerOutputs({
      clusterName: this.clusterName,
      clusterArn: this.clusterArn,
      endpoint: this.endpoint,
      nodeSecurityGroupId: this.nodeSecurityGroupId,
    });
  }
}

function validate(
  name: string,
  args: DataPlaneClusterArgs,
  version: string,
  apiCidrs: Readonly<Record<'publicAccessCidrs' | 'deployerCidrs', readonly string[]>>,
  admins: readonly string[],
  logRetentionDays: number,
): void {
  const problems = new Problems(`${DataPlaneCluster.TYPE} ${name}`);
  problems.check(
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/.test(args.clusterName),
    'clusterName',
    args.clusterName,
    'an EKS cluster name (letters, digits, "-", "_", at most 100)',
  );
  problems.check(
    (CLUSTER_VERSIONS as readonly string[]).includes(version),
    'version',
    version,
    `a version with pinned add-ons: ${CLUSTER_VERSIONS.join(', ')}`,
  );
  problems.check(
    args.subnetIds.length >= 2,
    'subnetIds',
    args.subnetIds.length,
    'subnets in at least 2 availability zones (an EKS requirement)',
  );
  for (const [key, list] of Object.entries(apiCidrs)) {
    const open = list.filter((c) => c.endsWith('/0'));
    problems.check(open.length === 0, key, open, 'ranges narrower than /0 (the API must not be open to the internet)');
  }
  const badAdmins = admins.filter((a) => !/^arn:aws(-[a-z]+)*:iam::\d{12}:(role|user)\/.+$/.test(a));
  problems.check(badAdmins.length === 0, 'admins', badAdmins, 'IAM role or user ARNs');
  problems.check(
    (LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays),
    'logRetentionDays',
    logRetentionDays,
    'a CloudWatch retention period',
  );
  problems.throwIfAny();
}
