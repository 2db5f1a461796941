// One test per validation rule of the AWS components: bad input is refused before any child resource exists.
import type * as k8sTypes from '@pulumi/kubernetes';
import { loadEnvironment, PropsError } from '../../config';
import { installAwsMocks } from '../helpers/aws-mocks';
import { MockedResource } from '../helpers/pulumi-mocks';

type Aws = typeof import('../../constructs/aws');
let aws: Aws;
let releases: typeof import('../../constructs/releases');
let provider: k8sTypes.Provider;
let resources: MockedResource[];

beforeAll(async () => {
  resources = await installAwsMocks();
  aws = await import('../../constructs/aws');
  releases = await import('../../constructs/releases');
  const k8s: typeof k8sTypes = await import('@pulumi/kubernetes');
  provider = new k8s.Provider('validation-k8s', { kubeconfig: '{}' });
});

let counter = 0;
const unique = (kind: string) => `${kind}-${++counter}`;
const subnets = ['subnet-a', 'subnet-b'];

const network = (over: Partial<import('../../constructs/aws').DataPlaneNetworkArgs>) =>
  new aws.DataPlaneNetwork(unique('net'), {
    vpcCidr: '10.0.0.0/16',
    availabilityZones: 2,
    region: 'eu-west-1',
    clusterName: 'c',
    ...over,
  });
const cluster = (over: Partial<import('../../constructs/aws').DataPlaneClusterArgs>) =>
  new aws.DataPlaneCluster(unique('cluster'), {
    clusterName: 'c',
    region: 'eu-west-1',
    vpcId: 'vpc',
    subnetIds: subnets,
    ...over,
  });
const addons = (over: Partial<import('../../constructs/aws').ClusterAddonsArgs>) =>
  new aws.ClusterAddons(unique('addons'), {
    clusterName: 'c',
    clusterArn: 'arn',
    version: '1.35',
    addons: ['coredns'],
    ...over,
  });
const nodes = (over: Partial<import('../../constructs/aws').SystemNodeGroupArgs>) =>
  new aws.SystemNodeGroup(unique('nodes'), {
    clusterName: 'c',
    version: '1.35',
    subnetIds: subnets,
    nodeSecurityGroupId: 'sg',
    instanceTypes: ['m6i.large'],
    minNodes: 2,
    maxNodes: 3,
    ...over,
  });
const spark = (over: Partial<import('../../constructs/releases').KarpenterArgs>) =>
  new releases.Karpenter(
    unique('spark'),
    {
      clusterName: 'c',
      clusterEndpoint: 'https://x',
      interruptionQueueName: 'q',
      instanceProfileName: 'p',
      nodeSecurityGroupId: 'sg',
      maxCpu: '64',
      maxMemory: '256Gi',
      system: { instanceTypes: ['m7g.large'], minNodes: 2, maxNodes: 3 },
      ...over,
    },
    { provider },
  );
const storage = (over: Partial<import('../../constructs/aws').DataPlaneStorageArgs>) =>
  new aws.DataPlaneStorage(unique('storage'), {
    warehouseBucket: 'acme-warehouse',
    eventLogBucket: 'acme-events',
    tenants: ['trading'],
    ...over,
  });
const identities = (over: Partial<import('../../constructs/aws').DataPlaneIdentitiesArgs>) =>
  new aws.DataPlaneIdentities(unique('iam'), {
    clusterName: 'c',
    clusterArn: 'arn',
    warehouseBucketArn: 'arn:aws:s3:::w',
    catalogName: 'lake',
    catalogRoleName: 'c-polaris-catalog',
    eventLogBucketArn: 'arn:aws:s3:::e',
    storageKeyArn: 'arn:aws:kms:eu-west-1:1:key/k',
    tenants: ['trading'],
    ...over,
  });
const database = (over: Partial<import('../../constructs/aws').PolarisDatabaseArgs>) =>
  new aws.PolarisDatabase(unique('db'), { vpcId: 'vpc', subnetIds: subnets, clientSecurityGroupIds: ['sg'], ...over });
const podRole = (over: Partial<import('../../constructs/aws').PodIdentityRoleArgs>) =>
  new aws.PodIdentityRole(unique('role'), {
    clusterName: 'c',
    clusterArn: 'arn',
    namespace: 'ns',
    serviceAccount: 'sa',
    managedPolicyArns: ['arn:aws:iam::aws:policy/P'],
    ...over,
  });

const rules: [string, () => unknown, RegExp][] = [
  [
    'network: vpcCidr must be a CIDR block',
    () => network({ vpcCidr: '10.0.0.0' }),
    /'vpcCidr' is "10.0.0.0"; expected an IPv4 CIDR block/,
  ],
  [
    'network: vpcCidr between /16 and /20',
    () => network({ vpcCidr: '10.0.0.0/24' }),
    /'vpcCidr' .*between \/16 and \/20/,
  ],
  [
    'network: 2 or 3 availability zones',
    () => network({ availabilityZones: 4 }),
    /'availabilityZones' is 4; expected 2 or 3/,
  ],
  ['network: known NAT mode', () => network({ natGateways: 'many' as any }), /'natGateways' is "many"/],
  [
    'network: known interface endpoints',
    () => network({ interfaceEndpoints: ['ssm' as any] }),
    /'interfaceEndpoints' is \["ssm"\]; expected only/,
  ],
  [
    'network: interface endpoints once each',
    () => network({ interfaceEndpoints: ['sts', 'sts'] }),
    /each endpoint at most once/,
  ],
  ['network: a cluster name for discovery', () => network({ clusterName: '' }), /'clusterName' is ""/],
  ['cluster: a valid EKS name', () => cluster({ clusterName: 'bad name' }), /'clusterName' is "bad name"/],
  [
    'cluster: a version with pinned add-ons',
    () => cluster({ version: '1.29' as any }),
    /'version' is "1.29"; expected a version with pinned add-ons: 1.34, 1.35/,
  ],
  ['cluster: two subnets at least', () => cluster({ subnetIds: ['subnet-a'] }), /'subnetIds' is 1/],
  [
    'cluster: public endpoint never open to 0.0.0.0/0',
    () => cluster({ publicAccessCidrs: ['0.0.0.0/0'] }),
    /'publicAccessCidrs' is \["0.0.0.0\/0"\]/,
  ],
  [
    'cluster: admins are IAM role or user ARNs',
    () => cluster({ admins: ['arn:aws:sts::111122223333:assumed-role/x/y'] }),
    /'admins' .*IAM role or user ARNs/,
  ],
  ['cluster: a CloudWatch retention period', () => cluster({ logRetentionDays: 10 }), /'logRetentionDays' is 10/],
  ['addons: a supported version', () => addons({ version: '1.20' as any }), /'version' is "1.20"/],
  [
    'addons: only pinned add-ons',
    () => addons({ addons: ['metrics-server' as any] }),
    /'addons' is \["metrics-server"\]/,
  ],
  ['addons: at least one', () => addons({ addons: [] }), /at least one add-on/],
  [
    'nodes: at least one instance type',
    () => nodes({ instanceTypes: [] }),
    /'instanceTypes' is \[\]; expected at least one/,
  ],
  ['nodes: one architecture', () => nodes({ instanceTypes: ['m7g.large', 'm6i.large'] }), /single architecture/],
  ['nodes: minNodes >= 1', () => nodes({ minNodes: 0 }), /'minNodes' is 0/],
  [
    'nodes: maxNodes >= minNodes',
    () => nodes({ minNodes: 3, maxNodes: 2 }),
    /'maxNodes' is 2; expected a whole number >= minNodes \(3\)/,
  ],
  ['nodes: root volume >= 20 GiB', () => nodes({ diskSizeGb: 8 }), /'diskSizeGb' is 8/],
  ['spark: maxCpu a positive quantity', () => spark({ maxCpu: 'lots' }), /'maxCpu' is "lots"/],
  ['spark: maxMemory a positive quantity', () => spark({ maxMemory: '0' }), /'maxMemory' is "0"/],
  ['spark: driverShare strictly between 0 and 1', () => spark({ driverShare: 1 }), /'driverShare' is 1/],
  ['spark: volume >= 20 GiB', () => spark({ volumeSizeGi: 10 }), /'volumeSizeGi' is 10/],
  ['spark: at least one controller replica', () => spark({ controllerReplicas: 0 }), /'controllerReplicas' is 0/],
  [
    'system pool: maxNodes >= minNodes',
    () => spark({ system: { instanceTypes: ['m7g.large'], minNodes: 3, maxNodes: 2 } }),
    /'system.maxNodes' is 2; expected at least system.minNodes \(3\)/,
  ],
  [
    'storage: tenant prefixes are DNS labels',
    () => storage({ tenants: ['Bad Tenant'] }),
    /'tenants' is \["Bad Tenant"\]; expected tenant names/,
  ],
  [
    'cluster: deployer ranges narrower than /0',
    () => cluster({ deployerCidrs: ['0.0.0.0/0'] }),
    /'deployerCidrs' is \["0.0.0.0\/0"\]; expected ranges narrower than \/0/,
  ],
  [
    'storage: a valid warehouse bucket name',
    () => storage({ warehouseBucket: 'Bad_Bucket' }),
    /'warehouseBucket' is "Bad_Bucket"/,
  ],
  [
    'storage: a valid event-log bucket name',
    () => storage({ eventLogBucket: 'x' }),
    /'eventLogBucket' is "x"; expected an S3 bucket name/,
  ],
  [
    'storage: two distinct buckets',
    () => storage({ eventLogBucket: 'acme-warehouse' }),
    /a bucket other than storage.warehouseBucket/,
  ],
  ['storage: event logs kept >= 1 day', () => storage({ eventLogRetentionDays: 0 }), /'eventLogRetentionDays' is 0/],
  [
    'storage: old versions kept >= 1 day',
    () => storage({ warehouseNoncurrentDays: -1 }),
    /'warehouseNoncurrentDays' is -1/,
  ],
  ['iam: a valid catalog name', () => identities({ catalogName: 'Lake' }), /'catalogName' is "Lake"/],
  [
    'iam: catalog role name within 64 characters',
    () => identities({ catalogRoleName: 'x'.repeat(65) }),
    /'catalogRoleName' .*at most 64/,
  ],
  ['iam: at least one tenant', () => identities({ tenants: [] }), /'tenants' is \[\]; expected at least one tenant/],
  [
    'iam: tenants are DNS labels',
    () => identities({ tenants: ['Team_A'] }),
    /'tenants' is \["Team_A"\]; expected DNS labels/,
  ],
  ['iam: tenants once each', () => identities({ tenants: ['a', 'a'] }), /each tenant once/],
  ['database: an RDS instance class', () => database({ instanceClass: 'm6i.large' }), /'instanceClass' is "m6i.large"/],
  ['database: storage >= 20 GiB', () => database({ allocatedStorageGb: 10 }), /'allocatedStorageGb' is 10/],
  [
    'database: autoscaling ceiling >= allocated',
    () => database({ allocatedStorageGb: 50, maxAllocatedStorageGb: 40 }),
    /'maxAllocatedStorageGb' is 40/,
  ],
  ['database: backups kept 1-35 days', () => database({ backupRetentionDays: 0 }), /'backupRetentionDays' is 0/],
  [
    'database: a PostgreSQL database name',
    () => database({ databaseName: 'Polaris-DB' }),
    /'databaseName' is "Polaris-DB"/,
  ],
  ['database: not the postgres superuser name', () => database({ username: 'postgres' }), /'username' is "postgres"/],
  ['database: two subnets at least', () => database({ subnetIds: ['subnet-a'] }), /'subnetIds' is 1/],
  [
    'database: at least one client security group',
    () => database({ clientSecurityGroupIds: [] }),
    /'clientSecurityGroupIds' is 0/,
  ],
  ['pod identity: namespace a DNS label', () => podRole({ namespace: 'Kube_System' }), /'namespace' is "Kube_System"/],
  ['pod identity: service account a DNS label', () => podRole({ serviceAccount: 'SA' }), /'serviceAccount' is "SA"/],
  [
    'pod identity: some permission',
    () => podRole({ managedPolicyArns: [] }),
    /'policy' is \(missing\); expected a policy or at least one managed policy ARN/,
  ],
  [
    'data plane: a short cluster name',
    () => new aws.AwsDataPlane(unique('plane'), { environment: loadEnvironment('dev'), clusterName: 'x'.repeat(42) }),
    /'clusterName' .*at most 41 characters/,
  ],
];

test.each(rules)('%s', (_rule, build, message) => {
  expect(build).toThrow(PropsError);
  expect(build).toThrow(message);
});

test('every problem is reported at once, naming the component', () => {
  expect(() => network({ vpcCidr: '10.0.0.0/8', availabilityZones: 1, clusterName: '' })).toThrow(
    /dataplane:aws:DataPlaneNetwork net-\d+: 3 problems\n {2}- 'vpcCidr'.*\n {2}- 'availabilityZones'.*\n {2}- 'clusterName'/,
  );
});

test('a refused component creates no child resource', async () => {
  expect(() => storage({ warehouseBucket: 'Bad_Bucket' })).toThrow(PropsError);
  await new Promise((r) => setTimeout(r, 100));
  expect(resources.filter((r) => r.type.startsWith('aws:s3/'))).toEqual([]);
});
