import {
  AWS_RULES,
  AwsResource,
  awsResourceOf,
  EngineResource,
  enginePolicies,
  KUBERNETES_RULES,
  kubeObjectOf,
  runRules,
  UNKNOWN,
} from '../../policies/index';

function resource(
  type: string,
  name: string,
  props: Record<string, any>,
  propertyDependencies?: Record<string, string[]>,
): AwsResource {
  return { type, name, urn: `urn:pulumi:dev::dataplane::${type}::${name}`, props, propertyDependencies };
}

function messages(ruleName: string, ...resources: AwsResource[]): string[] {
  const rule = AWS_RULES.find((r) => r.name === ruleName);
  if (!rule) throw new Error(`no rule ${ruleName}`);
  return runRules([rule], resources).map((f) => f.violation.message);
}

const bucket = resource('aws:s3/bucket:Bucket', 'warehouse', {
  bucket: 'acme-dev-warehouse',
  id: 'acme-dev-warehouse',
});
const sse = resource(
  'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
  'warehouse-sse',
  {
    bucket: 'acme-dev-warehouse',
    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' } }],
  },
);
const block = resource('aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock', 'warehouse-pab', {
  bucket: 'acme-dev-warehouse',
  blockPublicAcls: true,
  blockPublicPolicy: true,
  ignorePublicAcls: true,
  restrictPublicBuckets: true,
});
const tlsStatement = {
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: ['arn:aws:s3:::acme-dev-warehouse/*'],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};
const policy = resource('aws:s3/bucketPolicy:BucketPolicy', 'warehouse-tls', {
  bucket: 'acme-dev-warehouse',
  policy: JSON.stringify({ Version: '2012-10-17', Statement: [tlsStatement] }),
});

describe('S3 bucket rules (stack level: a bucket and its settings resources)', () => {
  test.each([
    [
      's3-bucket-encryption',
      sse,
      'has no server-side encryption configuration. Fix: add an aws.s3.BucketServerSideEncryptionConfiguration',
    ],
    [
      's3-public-access-block',
      block,
      'has no public access block with all four flags set. Fix: add an aws.s3.BucketPublicAccessBlock',
    ],
    ['s3-tls-only', policy, 'has no bucket policy denying non-TLS requests. Fix: add an aws.s3.BucketPolicy'],
  ])('%s rejects a bucket without the setting and accepts one with it', (rule, setting, expected) => {
    expect(messages(rule, bucket)).toEqual([expect.stringContaining(`aws:s3/bucket:Bucket "warehouse": ${expected}`)]);
    expect(messages(rule, bucket, setting)).toEqual([]);
    // A setting for another bucket does not count.
    expect(messages(rule, bucket, { ...setting, props: { ...setting.props, bucket: 'other' } })).toHaveLength(1);
  });

  test('a setting is matched by property dependency while the bucket id is unknown (preview)', () => {
    const previewBucket = resource('aws:s3/bucket:Bucket', 'warehouse', { bucket: UNKNOWN });
    const previewSse = resource(sse.type, sse.name, { ...sse.props, bucket: UNKNOWN }, { bucket: [previewBucket.urn] });
    expect(messages('s3-bucket-encryption', previewBucket, previewSse)).toEqual([]);
    expect(messages('s3-bucket-encryption', previewBucket, { ...previewSse, propertyDependencies: {} })).toHaveLength(
      1,
    );
  });

  test('non-compliant settings do not count', () => {
    expect(
      messages('s3-public-access-block', bucket, { ...block, props: { ...block.props, restrictPublicBuckets: false } }),
    ).toHaveLength(1);
    const allowAll = JSON.stringify({ Statement: [{ ...tlsStatement, Effect: 'Allow' }] });
    expect(messages('s3-tls-only', bucket, { ...policy, props: { ...policy.props, policy: allowAll } })).toHaveLength(
      1,
    );
    expect(messages('s3-bucket-encryption', bucket, { ...sse, props: { ...sse.props, rules: [{}] } })).toHaveLength(1);
  });

  test('the deprecated inline settings on the bucket also count', () => {
    const inline = resource('aws:s3/bucketV2:BucketV2', 'logs', {
      serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } } },
      policy: { Statement: tlsStatement },
    });
    expect(messages('s3-bucket-encryption', inline)).toEqual([]);
    expect(messages('s3-tls-only', inline)).toEqual([]);
  });
});

describe('resource rules', () => {
  const cluster = (props: Record<string, any>) =>
    resource('aws:eks/cluster:Cluster', 'dataplane', {
      encryptionConfig: { provider: { keyArn: 'arn:aws:kms:eu-west-1:1:key/x' }, resources: ['secrets'] },
      enabledClusterLogTypes: ['api', 'audit', 'authenticator'],
      vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: false },
      ...props,
    });
  const db = (props: Record<string, any>) =>
    resource('aws:rds/instance:Instance', 'polaris', { storageEncrypted: true, backupRetentionPeriod: 7, ...props });

  test.each([
    [
      'eks-secrets-encryption',
      cluster({ encryptionConfig: undefined }),
      'aws:eks/cluster:Cluster "dataplane": does not encrypt Secrets. Fix: set encryptionConfig',
    ],
    [
      'eks-control-plane-logging',
      cluster({ enabledClusterLogTypes: ['api'] }),
      'aws:eks/cluster:Cluster "dataplane": does not enable the control-plane logs audit, authenticator. Fix: add audit, authenticator',
    ],
    [
      'eks-no-unrestricted-public-endpoint',
      cluster({ vpcConfig: {} }),
      'aws:eks/cluster:Cluster "dataplane": has a public API endpoint open to 0.0.0.0/0 (the default). Fix: set vpcConfig.endpointPublicAccess: false',
    ],
    [
      'eks-no-unrestricted-public-endpoint',
      cluster({ vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ['0.0.0.0/0'] } }),
      'has a public API endpoint open to 0.0.0.0/0',
    ],
    [
      'rds-storage-encrypted',
      db({ storageEncrypted: false }),
      'aws:rds/instance:Instance "polaris": does not encrypt its storage. Fix: set storageEncrypted: true',
    ],
    [
      'rds-backups',
      db({ backupRetentionPeriod: 0 }),
      'aws:rds/instance:Instance "polaris": has backupRetentionPeriod 0. Fix: set backupRetentionPeriod to at least 1',
    ],
    [
      'rds-backups',
      resource('aws:rds/cluster:Cluster', 'polaris', { storageEncrypted: true }),
      'aws:rds/cluster:Cluster "polaris": has backupRetentionPeriod unset',
    ],
    [
      'launch-template-imdsv2',
      resource('aws:ec2/launchTemplate:LaunchTemplate', 'system', { metadataOptions: { httpTokens: 'optional' } }),
      'aws:ec2/launchTemplate:LaunchTemplate "system": does not require IMDSv2. Fix: set metadataOptions',
    ],
    [
      'security-group-no-open-ingress',
      resource('aws:ec2/securityGroup:SecurityGroup', 'nodes', {
        ingress: [{ fromPort: 22, toPort: 22, protocol: 'tcp', cidrBlocks: ['0.0.0.0/0'] }],
      }),
      'aws:ec2/securityGroup:SecurityGroup "nodes": allows ingress from 0.0.0.0/0. Fix: allow only the VPC CIDR',
    ],
    [
      'security-group-no-open-ingress',
      resource('aws:ec2/securityGroupRule:SecurityGroupRule', 'ssh', { type: 'ingress', ipv6CidrBlocks: ['::/0'] }),
      'aws:ec2/securityGroupRule:SecurityGroupRule "ssh": allows ingress from ::/0',
    ],
    [
      'security-group-no-open-ingress',
      resource('aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule', 'https', {
        cidrIpv4: '0.0.0.0/0',
        ipProtocol: 'tcp',
      }),
      'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule "https": allows ingress from 0.0.0.0/0',
    ],
  ])('%s rejects a violating resource', (rule, violating, expected) => {
    expect(messages(rule, violating)).toEqual([expect.stringContaining(expected)]);
  });

  test.each([
    ['eks-secrets-encryption', cluster({})],
    ['eks-control-plane-logging', cluster({ enabledClusterLogTypes: ['api', 'audit', 'authenticator', 'scheduler'] })],
    ['eks-no-unrestricted-public-endpoint', cluster({})],
    [
      'eks-no-unrestricted-public-endpoint',
      cluster({ vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ['203.0.113.0/24'] } }),
    ],
    ['rds-storage-encrypted', db({})],
    ['rds-backups', db({})],
    [
      'launch-template-imdsv2',
      resource('aws:ec2/launchTemplate:LaunchTemplate', 'system', { metadataOptions: { httpTokens: 'required' } }),
    ],
    [
      'security-group-no-open-ingress',
      resource('aws:ec2/securityGroup:SecurityGroup', 'nodes', {
        ingress: [{ cidrBlocks: ['10.20.0.0/16'] }],
        egress: [{ cidrBlocks: ['0.0.0.0/0'] }],
      }),
    ],
    [
      'security-group-no-open-ingress',
      resource('aws:ec2/securityGroupRule:SecurityGroupRule', 'egress', { type: 'egress', cidrBlocks: ['0.0.0.0/0'] }),
    ],
    [
      'security-group-no-open-ingress',
      resource('aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule', 'vpc', { cidrIpv4: '10.20.0.0/16' }),
    ],
  ])('%s accepts a compliant resource', (rule, compliant) => {
    expect(messages(rule, compliant)).toEqual([]);
  });

  test('every rule has a unique name and a reason', () => {
    const names = AWS_RULES.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    AWS_RULES.forEach((r) => expect(r.reason.length).toBeGreaterThan(10));
  });
});

describe('policy engine subjects', () => {
  test('a ConfigGroup child is judged as its Kubernetes object; the group itself and AWS resources are not', () => {
    const props = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'trading' } };
    expect(kubeObjectOf({ type: 'kubernetes:core/v1:Namespace', name: 'trading', urn: 'u', props })).toBe(props);
    expect(
      kubeObjectOf({ type: 'kubernetes:yaml/v2:ConfigGroup', name: 'dev-tenants', urn: 'u', props: { objs: [props] } }),
    ).toBeUndefined();
    expect(
      kubeObjectOf({ type: 'aws:s3/bucket:Bucket', name: 'b', urn: 'u', props: { kind: 'x', metadata: {} } }),
    ).toBeUndefined();
  });

  test('an AWS resource keeps its property dependencies as URNs', () => {
    const engine = {
      type: sse.type,
      name: 'x',
      urn: 'urn:x',
      props: {},
      propertyDependencies: { bucket: [{ urn: bucket.urn }] },
    };
    expect(awsResourceOf(engine)?.propertyDependencies).toEqual({ bucket: [bucket.urn] });
    expect(awsResourceOf({ type: 'kubernetes:core/v1:Namespace', name: 'x', urn: 'u', props: {} })).toBeUndefined();
  });
});

describe('engine policies (what pack.ts registers)', () => {
  const policies = enginePolicies();
  const policy = (name: string) => policies.find((p) => p.name === name)!;
  const reported = (run: (report: (message: string, urn?: string) => void) => void) => {
    const seen: { message: string; urn?: string }[] = [];
    run((message, urn) => seen.push({ message, urn }));
    return seen;
  };

  test('one policy per rule, with its name and level', () => {
    expect(policies.map((p) => [p.name, p.enforcementLevel])).toEqual(
      [...KUBERNETES_RULES, ...AWS_RULES].map((r) => [r.name, r.enforcementLevel]),
    );
  });

  test('a resource policy judges the Kubernetes object a ConfigGroup child carries', () => {
    const p = policy('cronjob-schedule');
    if (!('validateResource' in p)) throw new Error('expected a resource policy');
    const cronJob = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'offload', namespace: 'trading' },
      spec: {},
    };
    const args: EngineResource = {
      type: 'kubernetes:batch/v1:CronJob',
      name: 'offload',
      urn: 'urn:cron',
      props: cronJob,
    };
    expect(reported((report) => p.validateResource(args, report)).map((v) => v.message)).toEqual([
      expect.stringMatching(/^CronJob trading\/offload: has no spec.concurrencyPolicy/),
      expect.stringMatching(/startingDeadlineSeconds unset/),
      expect.stringMatching(/has no spec.timeZone/),
    ]);
    expect(reported((report) => p.validateResource({ ...args, type: 'aws:s3/bucket:Bucket' }, report))).toEqual([]);
  });

  test('a stack policy attaches each violation to the URN of the resource it names', () => {
    const p = policy('s3-bucket-encryption');
    const engineBucket: EngineResource = { type: bucket.type, name: bucket.name, urn: bucket.urn, props: bucket.props };
    if (!('validateStack' in p)) throw new Error('expected a stack policy');
    const other = {
      type: 'kubernetes:core/v1:Namespace',
      name: 'ns',
      urn: 'urn:ns',
      props: { kind: 'Namespace', metadata: { name: 'ns' } },
    };
    expect(reported((report) => p.validateStack({ resources: [engineBucket, other] }, report))).toEqual([
      {
        message: expect.stringContaining('aws:s3/bucket:Bucket "warehouse": has no server-side encryption'),
        urn: bucket.urn,
      },
    ]);
    const previewSse: EngineResource = {
      type: sse.type,
      name: sse.name,
      urn: sse.urn,
      props: { ...sse.props, bucket: UNKNOWN },
      propertyDependencies: { bucket: [engineBucket] },
    };
    expect(reported((report) => p.validateStack({ resources: [engineBucket, previewSse] }, report))).toEqual([]);
  });
});
