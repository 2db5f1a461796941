/**
 * IAM policy documents of the AWS layer, as plain functions of resolved ARNs (no Pulumi): components resolve their
 * inputs and serialize these, tests call them directly. Every `Resource` is an ARN scoped to this data plane; the one
 * exception is {@link UNSCOPED_EC2_READ_ACTIONS}.
 */

export type PolicyCondition = Record<string, Record<string, string | string[]>>;

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: { Service: string | string[] } | { AWS: string | string[] } | '*';
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: PolicyCondition;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

const doc = (...Statement: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement });

/**
 * EC2 read actions Karpenter needs that have no resource-level permissions: IAM only accepts `"Resource": "*"` for them
 * (Service Authorization Reference, Amazon EC2). They are the only unscoped statement and are pinned to the region.
 */
export const UNSCOPED_EC2_READ_ACTIONS = [
  'ec2:DescribeAvailabilityZones',
  'ec2:DescribeImages',
  'ec2:DescribeInstances',
  'ec2:DescribeInstanceTypeOfferings',
  'ec2:DescribeInstanceTypes',
  'ec2:DescribeLaunchTemplates',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeSpotPriceHistory',
  'ec2:DescribeSubnets',
] as const;

/** Trust for an AWS service principal (EC2 for nodes, EKS for the control plane). */
export function serviceTrustPolicy(service: string): PolicyDocument {
  return doc({ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' });
}

/** Where a Pod Identity role may be used: one service account of one cluster. */
export interface PodIdentityScope {
  readonly clusterArn: string;
  readonly namespace: string;
  readonly serviceAccount: string;
}

/** Trust for EKS Pod Identity, narrowed by the session tags the agent sets to one cluster, namespace and service account. */
export function podIdentityTrustPolicy(scope: PodIdentityScope): PolicyDocument {
  return doc({
    Effect: 'Allow',
    Principal: { Service: 'pods.eks.amazonaws.com' },
    Action: ['sts:AssumeRole', 'sts:TagSession'],
    Condition: {
      StringEquals: {
        'aws:RequestTag/eks-cluster-arn': scope.clusterArn,
        'aws:RequestTag/kubernetes-namespace': scope.namespace,
        'aws:RequestTag/kubernetes-service-account': scope.serviceAccount,
      },
    },
  });
}

/**
 * Trust for the catalog role: only the Polaris role, and only with the external ID, so a catalog created in Polaris
 * with this role ARN but another external ID cannot borrow it. TagSession lets Pod Identity's session tags pass on.
 */
export function catalogTrustPolicy(polarisRoleArn: string, externalId: string): PolicyDocument {
  return doc(
    {
      Effect: 'Allow',
      Principal: { AWS: polarisRoleArn },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:ExternalId': externalId } },
    },
    { Effect: 'Allow', Principal: { AWS: polarisRoleArn }, Action: 'sts:TagSession' },
  );
}

/** Lets Polaris assume the catalog role it vends table credentials from. */
export function assumeRolePolicy(roleArn: string): PolicyDocument {
  return doc({
    Sid: 'AssumeCatalogRole',
    Effect: 'Allow',
    Action: ['sts:AssumeRole', 'sts:TagSession'],
    Resource: roleArn,
  });
}

/** Use of one KMS key for S3 objects (SSE-KMS reads and writes). */
function keyUse(keyArn: string, write: boolean): PolicyStatement {
  return {
    Sid: 'UseBucketKey',
    Effect: 'Allow',
    Action: write ? ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'],
    Resource: keyArn,
  };
}

/** Read/write on the warehouse objects under the catalog's prefix, listing limited to that prefix. */
export function catalogStoragePolicy(bucketArn: string, prefix: string, keyArn: string): PolicyDocument {
  return doc(
    {
      Sid: 'ListCatalogPrefix',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: bucketArn,
      Condition: { StringLike: { 's3:prefix': [`${prefix}/*`] } },
    },
    { Sid: 'LocateBucket', Effect: 'Allow', Action: 's3:GetBucketLocation', Resource: bucketArn },
    {
      Sid: 'ReadWriteCatalogObjects',
      Effect: 'Allow',
      Action: [
        's3:GetObject',
        's3:GetObjectVersion',
        's3:PutObject',
        's3:DeleteObject',
        's3:AbortMultipartUpload',
        's3:ListMultipartUploadParts',
      ],
      Resource: `${bucketArn}/${prefix}/*`,
    },
    keyUse(keyArn, true),
  );
}

/**
 * Spark event logs under one key prefix: a tenant's drivers (`write`) create, read back and rename (copy + delete) logs
 * under their own prefix only, and list only it; the History Servers (`read`) list and read every tenant's prefix.
 * `prefix` ends with "/" (`spark-events/<tenant>/`, or `spark-events/` for the readers).
 */
export function eventLogPolicy(
  bucketArn: string,
  keyArn: string,
  access: 'write' | 'read',
  prefix: string,
): PolicyDocument {
  const objectActions =
    access === 'write'
      ? ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts']
      : ['s3:GetObject'];
  return doc(
    {
      Sid: 'ListEventLogs',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: bucketArn,
      // The prefix itself (S3A probes the directory) and everything under it.
      Condition: { StringLike: { 's3:prefix': [prefix, `${prefix}*`] } },
    },
    { Sid: 'LocateBucket', Effect: 'Allow', Action: 's3:GetBucketLocation', Resource: bucketArn },
    {
      Sid: access === 'write' ? 'WriteEventLogs' : 'ReadEventLogs',
      Effect: 'Allow',
      Action: objectActions,
      Resource: `${bucketArn}/${prefix}*`,
    },
    keyUse(keyArn, access === 'write'),
  );
}

/** Prometheus' remote write into one Amazon Managed Service for Prometheus workspace, and nothing else. */
export function ampRemoteWritePolicy(workspaceArn: string): PolicyDocument {
  return doc({ Sid: 'RemoteWrite', Effect: 'Allow', Action: ['aps:RemoteWrite'], Resource: workspaceArn });
}

/** Refuses any request to the bucket that does not come over TLS. */
export function tlsOnlyBucketPolicy(bucketArn: string): PolicyDocument {
  return doc({
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  });
}

/** Lets EventBridge (and SQS itself) deliver interruption events to the queue. */
export function interruptionQueuePolicy(queueArn: string): PolicyDocument {
  return doc({
    Sid: 'DeliverInterruptionEvents',
    Effect: 'Allow',
    Principal: { Service: ['events.amazonaws.com', 'sqs.amazonaws.com'] },
    Action: 'sqs:SendMessage',
    Resource: queueArn,
  });
}

/** The control plane's use of the Secrets envelope key. */
export function clusterKeyPolicy(keyArn: string): PolicyDocument {
  return doc({
    Sid: 'EnvelopeEncryption',
    Effect: 'Allow',
    Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey', 'kms:ListGrants', 'kms:CreateGrant'],
    Resource: keyArn,
  });
}

/** What the Karpenter controller policy is scoped to. */
export interface KarpenterScope {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly nodeRoleArn: string;
  readonly instanceProfileArn: string;
  readonly interruptionQueueArn: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupId: string;
}

/**
 * The Karpenter controller policy (after Karpenter's getting-started CloudFormation), narrowed to this cluster: launches
 * only into the given subnets and security group, creates and deletes only instances and launch templates tagged as
 * owned by the cluster, passes only the Spark node role, reads only its instance profile and queue. Pricing look-ups are
 * left out (the chart runs with `isolatedVPC`), and no instance-profile management (the EC2NodeClass names an existing one).
 */
export function karpenterControllerPolicy(s: KarpenterScope): PolicyDocument {
  const ec2 = (resource: string, account = s.accountId) => `arn:${s.partition}:ec2:${s.region}:${account}:${resource}`;
  const owned = { [`aws:RequestTag/kubernetes.io/cluster/${s.clusterName}`]: 'owned' };
  const ownedResource = { [`aws:ResourceTag/kubernetes.io/cluster/${s.clusterName}`]: 'owned' };
  const launched = [
    'fleet/*',
    'instance/*',
    'volume/*',
    'network-interface/*',
    'launch-template/*',
    'spot-instances-request/*',
  ].map((r) => ec2(r));
  return doc(
    {
      Sid: 'LaunchFromApprovedInputs',
      Effect: 'Allow',
      Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
      Resource: [
        ec2('image/*', ''),
        ec2('snapshot/*', ''),
        ...s.subnetIds.map((id) => ec2(`subnet/${id}`)),
        ec2(`security-group/${s.securityGroupId}`),
      ],
    },
    {
      Sid: 'LaunchFromOwnedTemplates',
      Effect: 'Allow',
      Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
      Resource: ec2('launch-template/*'),
      Condition: { StringEquals: ownedResource, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } },
    },
    {
      Sid: 'CreateOwnedResources',
      Effect: 'Allow',
      Action: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'],
      Resource: launched,
      Condition: { StringEquals: owned, StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' } },
    },
    {
      Sid: 'TagOnCreate',
      Effect: 'Allow',
      Action: 'ec2:CreateTags',
      Resource: launched,
      Condition: {
        StringEquals: { ...owned, 'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'] },
        StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
      },
    },
    {
      Sid: 'TagOwnedInstances',
      Effect: 'Allow',
      Action: 'ec2:CreateTags',
      Resource: ec2('instance/*'),
      Condition: {
        StringEquals: ownedResource,
        StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'] },
      },
    },
    {
      Sid: 'DeleteOwnedResources',
      Effect: 'Allow',
      Action: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
      Resource: [ec2('instance/*'), ec2('launch-template/*')],
      Condition: { StringEquals: ownedResource, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } },
    },
    {
      Sid: 'RegionalReadsWithoutResourceScope',
      Effect: 'Allow',
      Action: [...UNSCOPED_EC2_READ_ACTIONS],
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestedRegion': s.region } },
    },
    {
      Sid: 'ReadPublicAmiParameters',
      Effect: 'Allow',
      Action: 'ssm:GetParameter',
      Resource: `arn:${s.partition}:ssm:${s.region}::parameter/aws/service/*`,
    },
    {
      Sid: 'ConsumeInterruptionQueue',
      Effect: 'Allow',
      Action: ['sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
      Resource: s.interruptionQueueArn,
    },
    {
      Sid: 'PassNodeRole',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: s.nodeRoleArn,
      Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
    },
    {
      Sid: 'ReadNodeInstanceProfile',
      Effect: 'Allow',
      Action: 'iam:GetInstanceProfile',
      Resource: s.instanceProfileArn,
    },
    { Sid: 'DiscoverApiServer', Effect: 'Allow', Action: 'eks:DescribeCluster', Resource: s.clusterArn },
  );
}
