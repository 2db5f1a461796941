// The AWS layer's plain functions: no Pulumi engine involved.
import { loadEnvironment, parseQuantity } from '../../config';
import { SPARK_NODE_POOLS, SPARK_NODE_TAINT, NODE_POOL_LABEL } from '../../constructs/conventions';
import { formatCidr, parseIpv4Block, subnetLayout, subnetOf } from '../../constructs/aws/cidr';
import { renderKubeconfig } from '../../constructs/aws/data-plane-cluster';
import {
  catalogStoragePolicy,
  eventLogPolicy,
  karpenterControllerPolicy,
  podIdentityTrustPolicy,
  tlsOnlyBucketPolicy,
  UNSCOPED_EC2_READ_ACTIONS,
} from '../../constructs/aws/policies';
import { protectionFor, statefulResourceOptions } from '../../constructs/aws/protection';
import {
  nodeClassSpec,
  sparkNodePoolSpec,
  sparkPoolLimits,
  systemNodePoolSpec,
  systemPoolLimits,
} from '../../constructs/aws/karpenter-node-pools';
import { amiTypeFor } from '../../constructs/aws/system-node-group';

describe('subnet layout', () => {
  test('a /16 over 3 AZs: three /18 private subnets, three /21 public subnets in the last quarter', () => {
    expect(subnetLayout('10.40.0.0/16', 3)).toEqual({
      private: ['10.40.0.0/18', '10.40.64.0/18', '10.40.128.0/18'],
      public: ['10.40.192.0/21', '10.40.200.0/21', '10.40.208.0/21'],
    });
  });

  test('a /20 over 2 AZs keeps the same shape', () => {
    expect(subnetLayout('172.16.16.0/20', 2)).toEqual({
      private: ['172.16.16.0/22', '172.16.20.0/22'],
      public: ['172.16.28.0/25', '172.16.28.128/25'],
    });
  });

  test('blocks round-trip and sub-blocks stay inside their parent', () => {
    expect(formatCidr(parseIpv4Block('10.20.0.0/16'))).toBe('10.20.0.0/16');
    expect(formatCidr(subnetOf(parseIpv4Block('10.20.0.0/16'), 8, 255))).toBe('10.20.255.0/24');
    expect(() => subnetOf(parseIpv4Block('10.20.0.0/16'), 2, 4)).toThrow(/no sub-block 4/);
  });

  test('rejects malformed blocks and set host bits', () => {
    expect(() => parseIpv4Block('10.20.0.0')).toThrow(/not an IPv4 CIDR/);
    expect(() => parseIpv4Block('10.300.0.0/16')).toThrow(/not an IPv4 CIDR/);
    expect(() => parseIpv4Block('10.20.1.0/16')).toThrow(/host bits/);
  });
});

describe('IAM documents', () => {
  const scope = {
    partition: 'aws',
    region: 'eu-west-1',
    accountId: '123456789012',
    clusterName: 'dataplane-dev',
    clusterArn: 'arn:aws:eks:eu-west-1:123456789012:cluster/dataplane-dev',
    nodeRoleArn: 'arn:aws:iam::123456789012:role/spark-node',
    instanceProfileArn: 'arn:aws:iam::123456789012:instance-profile/spark-node',
    interruptionQueueArn: 'arn:aws:sqs:eu-west-1:123456789012:dataplane-dev-karpenter',
    subnetIds: ['subnet-a', 'subnet-b'],
    securityGroupId: 'sg-node',
  };

  test('Karpenter: the only "*" statement holds EC2 reads pinned to the region', () => {
    const starred = karpenterControllerPolicy(scope).Statement.filter((s) => [s.Resource].flat().includes('*'));
    expect(starred).toEqual([
      expect.objectContaining({
        Action: [...UNSCOPED_EC2_READ_ACTIONS],
        Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } },
      }),
    ]);
  });

  test('Karpenter launches only into the given subnets and security group, and deletes only what the cluster owns', () => {
    const statements = karpenterControllerPolicy(scope).Statement;
    const launch = statements.find((s) => s.Sid === 'LaunchFromApprovedInputs')!;
    expect(launch.Resource).toEqual(
      expect.arrayContaining([
        'arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-a',
        'arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-b',
        'arn:aws:ec2:eu-west-1:123456789012:security-group/sg-node',
      ]),
    );
    expect([launch.Resource ?? []].flat().some((r) => /subnet\/\*|security-group\/\*/.test(r))).toBe(false);
    const deletion = statements.find((s) => s.Sid === 'DeleteOwnedResources')!;
    expect(deletion.Condition).toEqual({
      StringEquals: { 'aws:ResourceTag/kubernetes.io/cluster/dataplane-dev': 'owned' },
      StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
    });
    expect(statements.find((s) => s.Sid === 'PassNodeRole')).toMatchObject({
      Resource: scope.nodeRoleArn,
      Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
    });
    expect(statements.flatMap((s) => [s.Action].flat())).not.toContain('pricing:GetProducts');
    expect(statements.flatMap((s) => [s.Action].flat())).not.toContain('iam:CreateInstanceProfile');
  });

  test('Pod Identity trust names one cluster, namespace and service account', () => {
    expect(
      podIdentityTrustPolicy({ clusterArn: scope.clusterArn, namespace: 'trading', serviceAccount: 'spark-driver' })
        .Statement[0].Condition,
    ).toEqual({
      StringEquals: {
        'aws:RequestTag/eks-cluster-arn': scope.clusterArn,
        'aws:RequestTag/kubernetes-namespace': 'trading',
        'aws:RequestTag/kubernetes-service-account': 'spark-driver',
      },
    });
  });

  test('catalog storage: objects only under the catalog prefix, listing only that prefix', () => {
    const [list, , objects] = catalogStoragePolicy(
      'arn:aws:s3:::wh',
      'lake',
      'arn:aws:kms:eu-west-1:1:key/k',
    ).Statement;
    expect(list.Condition).toEqual({ StringLike: { 's3:prefix': ['lake/*'] } });
    expect(objects.Resource).toBe('arn:aws:s3:::wh/lake/*');
  });

  test('event logs: writers put and delete under their prefix only, readers only get', () => {
    const policy = (access: 'read' | 'write', prefix: string) =>
      eventLogPolicy('arn:aws:s3:::ev', 'arn:aws:kms:eu-west-1:1:key/k', access, prefix).Statement;
    const actions = (access: 'read' | 'write') => policy(access, 'spark-events/').flatMap((s) => [s.Action].flat());
    const writer = policy('write', 'spark-events/trading/');
    expect(writer.find((s) => s.Sid === 'WriteEventLogs')!.Resource).toBe('arn:aws:s3:::ev/spark-events/trading/*');
    expect(writer.find((s) => s.Sid === 'ListEventLogs')!.Condition).toEqual({
      StringLike: { 's3:prefix': ['spark-events/trading/', 'spark-events/trading/*'] },
    });
    expect(policy('read', 'spark-events/').find((s) => s.Sid === 'ReadEventLogs')!.Resource).toBe(
      'arn:aws:s3:::ev/spark-events/*',
    );
    expect(actions('write')).toEqual(
      expect.arrayContaining(['s3:PutObject', 's3:DeleteObject', 'kms:GenerateDataKey']),
    );
    expect(actions('read')).not.toContain('s3:PutObject');
    expect(actions('read')).not.toContain('kms:GenerateDataKey');
  });

  test('TLS-only bucket policy denies plain HTTP on the bucket and its objects', () => {
    expect(tlsOnlyBucketPolicy('arn:aws:s3:::b').Statement[0]).toMatchObject({
      Effect: 'Deny',
      Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
  });
});

describe('Spark capacity specs', () => {
  test('limits split drivers/executors and add up to the environment capacity', () => {
    expect(sparkPoolLimits('64', '256Gi', 0.25)).toEqual({
      driver: { cpu: '16', memory: '64Gi' },
      executor: { cpu: '48', memory: '192Gi' },
    });
    const odd = sparkPoolLimits('10', '100Gi', 0.3);
    expect(parseQuantity(odd.driver.cpu) + parseQuantity(odd.executor.cpu)).toBeCloseTo(10);
  });

  test.each(Object.keys(SPARK_NODE_POOLS) as (keyof typeof SPARK_NODE_POOLS)[])(
    '%s pool carries the Spark taint, its pool label and capacity type',
    (pool) => {
      const spec = sparkNodePoolSpec(pool, { cpu: '1', memory: '1Gi' }) as any;
      expect(spec.template.spec.taints).toEqual([SPARK_NODE_TAINT]);
      expect(spec.template.metadata.labels[NODE_POOL_LABEL]).toBe(SPARK_NODE_POOLS[pool].name);
      expect(spec.template.spec.requirements[0]).toEqual({
        key: 'karpenter.sh/capacity-type',
        operator: 'In',
        values: [SPARK_NODE_POOLS[pool].capacityType],
      });
      // Drift after an AMI bump replaces nodes a budgeted few at a time (drivers one node at a time).
      expect(spec.disruption.budgets).toEqual([{ nodes: pool === 'driver' ? '1' : '10%' }]);
    },
  );

  test('system pool: tainted and labelled like the managed group, on-demand Graviton, sized by the nodes it may add', () => {
    const spec = systemNodePoolSpec({ instanceTypes: ['m7g.xlarge'], minNodes: 3, maxNodes: 6 }) as any;
    expect(spec.template.spec.taints).toEqual([{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' }]);
    expect(spec.template.metadata.labels).toEqual({ 'dataplane.io/node-pool': 'system' });
    expect(spec.template.spec.requirements).toEqual(
      expect.arrayContaining([
        { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
        { key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] },
        { key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['m7g.xlarge'] },
      ]),
    );
    expect(spec.template.spec.nodeClassRef.name).toBe('system');
    // 3 more m7g.xlarge (4 vCPU, 16 GiB each).
    expect(spec.limits).toEqual({ cpu: '12', memory: '48Gi' });
    expect(systemPoolLimits({ instanceTypes: ['m6i.large'], minNodes: 2, maxNodes: 2 })).toEqual({
      cpu: '0',
      memory: '0',
    });
    expect(() => systemPoolLimits({ instanceTypes: ['x9.huge'], minNodes: 1, maxNodes: 2 })).toThrow(
      /must all be in config\/prices.ts/,
    );
  });

  test('node class requires IMDSv2 with a single hop', () => {
    const spec = nodeClassSpec('spark', {
      clusterName: 'c',
      instanceProfile: 'p',
      securityGroupId: 'sg',
      volumeSizeGi: 100,
    }) as any;
    expect(spec.metadataOptions).toEqual({
      httpEndpoint: 'enabled',
      httpTokens: 'required',
      httpPutResponseHopLimit: 1,
      httpProtocolIPv6: 'disabled',
    });
    expect(spec.blockDeviceMappings[0].ebs.volumeSize).toBe('100Gi');
  });

  test('AMI type follows the instance architecture and refuses a mix', () => {
    expect(amiTypeFor(['m6i.large', 'c7i.xlarge'])).toBe('AL2023_x86_64_STANDARD');
    expect(amiTypeFor(['m7g.large', 'c7gn.xlarge', 't4g.medium'])).toBe('AL2023_ARM_64_STANDARD');
    expect(amiTypeFor(['m7g.large', 'm6i.large'])).toBeUndefined();
  });
});

describe('protection per environment', () => {
  test('prod protects stateful resources; dev and staging do not', () => {
    expect(protectionFor(loadEnvironment('prod'))).toEqual({ protect: true, deletionProtection: true });
    expect(protectionFor(loadEnvironment('staging'))).toEqual({ protect: false, deletionProtection: false });
    expect(protectionFor(loadEnvironment('dev'))).toEqual({ protect: false, deletionProtection: false });
    expect(statefulResourceOptions(protectionFor(loadEnvironment('prod')))).toEqual({
      protect: true,
      retainOnDelete: true,
    });
  });
});

test('kubeconfig authenticates with aws eks get-token and embeds no credential', () => {
  const config = JSON.parse(
    renderKubeconfig({
      clusterName: 'c',
      endpoint: 'https://x',
      certificateAuthorityData: 'Q0E=',
      region: 'eu-west-1',
    }),
  );
  expect(config.clusters[0].cluster).toEqual({ server: 'https://x', 'certificate-authority-data': 'Q0E=' });
  expect(config.users[0].user).toEqual({
    exec: {
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: 'aws',
      args: ['eks', 'get-token', '--cluster-name', 'c', '--region', 'eu-west-1', '--output', 'json'],
      interactiveMode: 'Never',
    },
  });
});
