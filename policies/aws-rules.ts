import { Problem, ResourceRule, Rule, RuleInfo, StackRule, violation } from './rule';

/** A Pulumi resource as the policy engine hands it to a policy (`validateResource` args or a stack's `PolicyResource`). */
export interface AwsResource {
  /** The type token, e.g. `aws:s3/bucket:Bucket`. */
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly props: Record<string, any>;
  /**
   * URNs of the resources each property depends on. In a preview the id of a new bucket is unknown, so its settings
   * resources are matched to it through this.
   */
  readonly propertyDependencies?: Record<string, readonly string[]>;
}

export type AwsRule = Rule<AwsResource>;

/** The value the engine puts in place of an output not known yet (during a preview). */
export const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

/** `type "name"`, as in `pulumi preview` output. */
export function describeResource(resource: AwsResource): string {
  return `${resource.type} "${resource.name}"`;
}

export const AWS_TYPES = {
  buckets: ['aws:s3/bucket:Bucket', 'aws:s3/bucketV2:BucketV2'],
  encryption: [
    'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
    'aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2',
  ],
  publicAccessBlock: ['aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock'],
  bucketPolicy: ['aws:s3/bucketPolicy:BucketPolicy'],
  eksCluster: ['aws:eks/cluster:Cluster'],
  rds: ['aws:rds/instance:Instance', 'aws:rds/cluster:Cluster'],
  launchTemplate: ['aws:ec2/launchTemplate:LaunchTemplate'],
  securityGroup: 'aws:ec2/securityGroup:SecurityGroup',
  securityGroupRule: 'aws:ec2/securityGroupRule:SecurityGroupRule',
  securityGroupIngressRule: 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule',
} as const;

/** A rule over resources of the given types. */
function typeRule(
  info: RuleInfo,
  types: readonly string[],
  test: (props: Record<string, any>) => Problem[],
): ResourceRule<AwsResource> {
  return {
    ...info,
    scope: 'resource',
    check: (r) =>
      types.includes(r.type) ? test(r.props).map((p) => violation(r, describeResource(r), p.problem, p.fix)) : [],
  };
}

/** True when `setting` (a bucket settings resource) configures `bucket`: by dependency, or by the bucket's name or id. */
function configures(setting: AwsResource, bucket: AwsResource): boolean {
  if (setting.propertyDependencies?.bucket?.includes(bucket.urn)) return true;
  const ref = setting.props.bucket;
  return ref !== undefined && ref !== UNKNOWN && (ref === bucket.props.id || ref === bucket.props.bucket);
}

/**
 * A stack rule for a bucket setting that @pulumi/aws v7 models as a separate resource (the deprecated inline property
 * on the bucket also counts): every bucket needs a compliant one.
 */
function bucketRule(
  info: RuleInfo,
  settingTypes: readonly string[],
  compliant: (props: Record<string, any>) => boolean,
  inlineCompliant: (bucketProps: Record<string, any>) => boolean,
  problem: string,
  fix: string,
): StackRule<AwsResource> {
  return {
    ...info,
    scope: 'stack',
    check: (resources) => {
      const settings = resources.filter((r) => settingTypes.includes(r.type) && compliant(r.props));
      return resources
        .filter((r) => AWS_TYPES.buckets.some((t) => t === r.type))
        .filter((bucket) => !inlineCompliant(bucket.props) && !settings.some((s) => configures(s, bucket)))
        .map((bucket) => violation(bucket, describeResource(bucket), problem, fix));
    },
  };
}

function hasDefaultEncryption(rules: unknown): boolean {
  const list = Array.isArray(rules) ? rules : rules ? [rules] : [];
  return list.some((rule) => Boolean(rule?.applyServerSideEncryptionByDefault?.sseAlgorithm));
}

const s3Encryption = bucketRule(
  {
    name: 's3-bucket-encryption',
    description: 'Every S3 bucket has a server-side encryption configuration with a default algorithm.',
    enforcementLevel: 'mandatory',
    reason:
      'Makes the encryption of the warehouse and event logs explicit (and KMS-based where configured) instead of relying on account defaults.',
  },
  AWS_TYPES.encryption,
  (props) => hasDefaultEncryption(props.rules),
  (props) => hasDefaultEncryption(props.serverSideEncryptionConfiguration?.rule),
  'has no server-side encryption configuration',
  'add an aws.s3.BucketServerSideEncryptionConfiguration for the bucket with applyServerSideEncryptionByDefault (aws:kms or AES256)',
);

const PUBLIC_ACCESS_FLAGS = [
  'blockPublicAcls',
  'blockPublicPolicy',
  'ignorePublicAcls',
  'restrictPublicBuckets',
] as const;

const s3PublicAccessBlock = bucketRule(
  {
    name: 's3-public-access-block',
    description: 'Every S3 bucket has a public access block with all four flags true.',
    enforcementLevel: 'mandatory',
    reason: 'Table data must never become public through an ACL or a bucket policy mistake.',
  },
  AWS_TYPES.publicAccessBlock,
  (props) => PUBLIC_ACCESS_FLAGS.every((flag) => props[flag] === true),
  () => false,
  'has no public access block with all four flags set',
  `add an aws.s3.BucketPublicAccessBlock for the bucket with ${PUBLIC_ACCESS_FLAGS.join(', ')} all true`,
);

/** True when a bucket policy denies requests without TLS, or when the document is not known yet (a preview; re-checked on update). */
export function deniesInsecureTransport(policy: unknown): boolean {
  if (policy === undefined || policy === null) return false;
  if (policy === UNKNOWN) return true;
  let doc: any = policy;
  if (typeof policy === 'string') {
    try {
      doc = JSON.parse(policy);
    } catch {
      return false;
    }
  }
  const statements: any[] = Array.isArray(doc?.Statement) ? doc.Statement : doc?.Statement ? [doc.Statement] : [];
  return statements.some(
    (s) => s?.Effect === 'Deny' && String(s?.Condition?.Bool?.['aws:SecureTransport']) === 'false',
  );
}

const s3TlsOnly = bucketRule(
  {
    name: 's3-tls-only',
    description: 'Every S3 bucket has a bucket policy denying requests where aws:SecureTransport is false.',
    enforcementLevel: 'mandatory',
    reason: 'Without it, clients may read and write table data over plain HTTP.',
  },
  AWS_TYPES.bucketPolicy,
  (props) => deniesInsecureTransport(props.policy),
  (props) => deniesInsecureTransport(props.policy),
  'has no bucket policy denying non-TLS requests',
  'add an aws.s3.BucketPolicy with a statement {Effect: Deny, Principal: "*", Action: "s3:*", Condition: {Bool: {"aws:SecureTransport": "false"}}}',
);

const eksSecretsEncryption = typeRule(
  {
    name: 'eks-secrets-encryption',
    description: 'Every EKS cluster encrypts Kubernetes Secrets with a KMS key.',
    enforcementLevel: 'mandatory',
    reason: 'Envelope encryption keeps Secrets (catalog credentials) unreadable in etcd backups.',
  },
  AWS_TYPES.eksCluster,
  (props) =>
    props.encryptionConfig?.resources?.includes('secrets')
      ? []
      : [
          {
            problem: 'does not encrypt Secrets',
            fix: "set encryptionConfig: { provider: { keyArn: <KMS key ARN> }, resources: ['secrets'] }",
          },
        ],
);

/** Control-plane log types every cluster must ship to CloudWatch. */
export const REQUIRED_EKS_LOG_TYPES = ['api', 'audit', 'authenticator'] as const;

const eksLogging = typeRule(
  {
    name: 'eks-control-plane-logging',
    description: `Every EKS cluster enables the ${REQUIRED_EKS_LOG_TYPES.join(', ')} control-plane logs.`,
    enforcementLevel: 'mandatory',
    reason: 'Audit and authenticator logs are the only record of who did what through the Kubernetes API.',
  },
  AWS_TYPES.eksCluster,
  (props) => {
    const enabled: string[] = props.enabledClusterLogTypes ?? [];
    const missing = REQUIRED_EKS_LOG_TYPES.filter((t) => !enabled.includes(t));
    return missing.length === 0
      ? []
      : [
          {
            problem: `does not enable the control-plane logs ${missing.join(', ')}`,
            fix: `add ${missing.join(', ')} to enabledClusterLogTypes`,
          },
        ];
  },
);

const OPEN_CIDRS = ['0.0.0.0/0', '::/0'];

const eksPublicEndpoint = typeRule(
  {
    name: 'eks-no-unrestricted-public-endpoint',
    description: 'Every EKS cluster either disables the public endpoint or restricts it to CIDRs other than 0.0.0.0/0.',
    enforcementLevel: 'mandatory',
    reason:
      'An API endpoint open to the internet is exposed to credential stuffing and to every future API server CVE.',
  },
  AWS_TYPES.eksCluster,
  (props) => {
    const vpc = props.vpcConfig ?? {};
    if (vpc.endpointPublicAccess === false) return [];
    const cidrs: string[] = vpc.publicAccessCidrs ?? [];
    return cidrs.length > 0 && !cidrs.some((c) => OPEN_CIDRS.includes(c))
      ? []
      : [
          {
            problem: 'has a public API endpoint open to 0.0.0.0/0 (the default)',
            fix: 'set vpcConfig.endpointPublicAccess: false (with endpointPrivateAccess: true), or vpcConfig.publicAccessCidrs to your office/VPN ranges',
          },
        ];
  },
);

const rdsEncryption = typeRule(
  {
    name: 'rds-storage-encrypted',
    description: 'Every RDS instance and cluster encrypts its storage.',
    enforcementLevel: 'mandatory',
    reason:
      'The catalog database holds every table’s metadata and credentials; encryption cannot be enabled later without a restore.',
  },
  AWS_TYPES.rds,
  (props) =>
    props.storageEncrypted === true
      ? []
      : [
          {
            problem: 'does not encrypt its storage',
            fix: 'set storageEncrypted: true (and kmsKeyId for a customer key)',
          },
        ],
);

const rdsBackups = typeRule(
  {
    name: 'rds-backups',
    description: 'Every RDS instance and cluster keeps automated backups (backupRetentionPeriod > 0).',
    enforcementLevel: 'mandatory',
    reason:
      'Losing the catalog database loses track of every Iceberg table; point-in-time restore needs automated backups.',
  },
  AWS_TYPES.rds,
  (props) =>
    typeof props.backupRetentionPeriod === 'number' && props.backupRetentionPeriod > 0
      ? []
      : [
          {
            problem: `has backupRetentionPeriod ${props.backupRetentionPeriod ?? 'unset'}`,
            fix: 'set backupRetentionPeriod to at least 1 (7 or more in production)',
          },
        ],
);

const launchTemplateImdsv2 = typeRule(
  {
    name: 'launch-template-imdsv2',
    description: 'Every EC2 launch template requires IMDSv2 (metadataOptions.httpTokens: required).',
    enforcementLevel: 'mandatory',
    reason: 'IMDSv1 lets any SSRF in a pod read the node role’s credentials.',
  },
  AWS_TYPES.launchTemplate,
  (props) =>
    props.metadataOptions?.httpTokens === 'required'
      ? []
      : [
          {
            problem: 'does not require IMDSv2',
            fix: "set metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1 or 2, httpEndpoint: 'enabled' }",
          },
        ],
);

/** The open CIDRs among a rule's IPv4 and IPv6 ranges. */
function openCidrs(...lists: unknown[]): string[] {
  return lists
    .flatMap((l) => (Array.isArray(l) ? l : typeof l === 'string' ? [l] : []))
    .filter((c) => OPEN_CIDRS.includes(c));
}

const OPEN_INGRESS_FIX = 'allow only the VPC CIDR, a prefix list or a source security group';

const securityGroupIngress: ResourceRule<AwsResource> = {
  name: 'security-group-no-open-ingress',
  description: 'No security group, security group rule or ingress rule allows ingress from 0.0.0.0/0 or ::/0.',
  enforcementLevel: 'mandatory',
  reason: 'Nodes, the database and the API have no reason to accept connections from the whole internet.',
  scope: 'resource',
  check: (r) => {
    const p = r.props;
    const open =
      r.type === AWS_TYPES.securityGroup
        ? ((p.ingress as any[] | undefined) ?? []).flatMap((rule) => openCidrs(rule.cidrBlocks, rule.ipv6CidrBlocks))
        : r.type === AWS_TYPES.securityGroupRule && p.type === 'ingress'
          ? openCidrs(p.cidrBlocks, p.ipv6CidrBlocks)
          : r.type === AWS_TYPES.securityGroupIngressRule
            ? openCidrs(p.cidrIpv4, p.cidrIpv6)
            : [];
    return open.length === 0
      ? []
      : [violation(r, describeResource(r), `allows ingress from ${[...new Set(open)].join(', ')}`, OPEN_INGRESS_FIX)];
  },
};

/** Every AWS rule. */
export const AWS_RULES: readonly AwsRule[] = [
  s3Encryption,
  s3PublicAccessBlock,
  s3TlsOnly,
  eksSecretsEncryption,
  eksLogging,
  eksPublicEndpoint,
  rdsEncryption,
  rdsBackups,
  launchTemplateImdsv2,
  securityGroupIngress,
];
