import { installMocks, MockedResource, MockStates } from './pulumi-mocks';

export const ACCOUNT_ID = '123456789012';
export const REGION = 'eu-west-1';
export const CLUSTER_SG = 'sg-0cluster';

/** Answers of the AWS invokes the components make. */
export const AWS_INVOKES: Record<string, (inputs: any) => Record<string, any>> = {
  'aws:index/getAvailabilityZones:getAvailabilityZones': () => ({
    id: REGION,
    names: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    zoneIds: ['euw1-az1', 'euw1-az2', 'euw1-az3'],
  }),
  'aws:index/getPartition:getPartition': () => ({
    id: 'aws',
    partition: 'aws',
    dnsSuffix: 'amazonaws.com',
    reverseDnsPrefix: 'com.amazonaws',
  }),
  // No Spot service-linked role yet in the mocked account.
  'aws:iam/getRoles:getRoles': () => ({ id: 'roles', arns: [], names: [] }),
  'aws:index/getCallerIdentity:getCallerIdentity': () => ({
    id: ACCOUNT_ID,
    accountId: ACCOUNT_ID,
    arn: `arn:aws:iam::${ACCOUNT_ID}:role/deployer`,
    userId: 'AROAEXAMPLE',
  }),
};

/** Outputs AWS computes, shaped like the real ones (ARNs by service, the cluster endpoint and security group...). */
export const AWS_STATES: MockStates = {
  'aws:eks/cluster:Cluster': ({ inputs }) => ({
    arn: `arn:aws:eks:${REGION}:${ACCOUNT_ID}:cluster/${inputs.name}`,
    endpoint: `https://${inputs.name}.gr7.${REGION}.eks.amazonaws.com`,
    certificateAuthority: { data: 'Q0EtREFUQQ==' },
    vpcConfig: { ...inputs.vpcConfig, clusterSecurityGroupId: CLUSTER_SG },
  }),
  'aws:iam/role:Role': ({ name, inputs }) => ({
    name: inputs.name ?? name,
    arn: `arn:aws:iam::${ACCOUNT_ID}:role/${inputs.name ?? name}`,
  }),
  'aws:iam/instanceProfile:InstanceProfile': ({ name }) => ({
    name,
    arn: `arn:aws:iam::${ACCOUNT_ID}:instance-profile/${name}`,
  }),
  'aws:s3/bucket:Bucket': ({ inputs }) => ({ arn: `arn:aws:s3:::${inputs.bucket}` }),
  'aws:kms/key:Key': ({ name }) => ({ arn: `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/${name}` }),
  'aws:sqs/queue:Queue': ({ inputs }) => ({
    arn: `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:${inputs.name}`,
    url: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT_ID}/${inputs.name}`,
  }),
  'aws:cloudwatch/eventRule:EventRule': ({ name }) => ({ name }),
  'aws:ec2/launchTemplate:LaunchTemplate': () => ({ latestVersion: 1 }),
  'aws:rds/instance:Instance': ({ name }) => ({ address: `${name}.abc.${REGION}.rds.amazonaws.com` }),
  'aws:rds/subnetGroup:SubnetGroup': ({ name }) => ({ name }),
  'aws:rds/parameterGroup:ParameterGroup': ({ name }) => ({ name }),
  'random:index/randomPassword:RandomPassword': () => ({ result: 'generatedpassword0123456789' }),
  'random:index/randomString:RandomString': () => ({ result: 'generatedexternalid' }),
};

/** Pulumi mocks that know the AWS invokes and computed outputs. */
export function installAwsMocks(stack = 'test'): Promise<MockedResource[]> {
  return installMocks(stack, {}, AWS_INVOKES, AWS_STATES);
}
