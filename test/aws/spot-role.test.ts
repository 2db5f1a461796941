// The Spot service-linked role exists once per account: KarpenterInfrastructure creates it only where it is missing.
import { AWS_INVOKES, AWS_STATES } from '../helpers/aws-mocks';
import { installMocks, MockedResource, settle } from '../helpers/pulumi-mocks';

test('an account that already has AWSServiceRoleForEC2Spot gets no second one', async () => {
  const lookups: unknown[] = [];
  const resources: MockedResource[] = await installMocks(
    'test',
    {},
    {
      ...AWS_INVOKES,
      'aws:iam/getRoles:getRoles': (inputs) => {
        lookups.push(inputs);
        return {
          id: 'roles',
          arns: ['arn:aws:iam::123456789012:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot'],
          names: ['AWSServiceRoleForEC2Spot'],
        };
      },
    },
    AWS_STATES,
  );
  const { KarpenterInfrastructure } = await import('../../constructs/aws/karpenter-infrastructure');
  new KarpenterInfrastructure('k', {
    clusterName: 'c',
    clusterArn: 'arn:aws:eks:eu-west-1:123456789012:cluster/c',
    region: 'eu-west-1',
    subnetIds: ['subnet-a', 'subnet-b'],
    nodeSecurityGroupId: 'sg',
  });
  await settle(500);
  // The look-up is for exactly this role, under its service path.
  expect(lookups).toEqual([
    { nameRegex: '^AWSServiceRoleForEC2Spot$', pathPrefix: '/aws-service-role/spot.amazonaws.com/' },
  ]);
  expect(resources.some((r) => r.type === 'aws:eks/accessEntry:AccessEntry')).toBe(true);
  expect(resources.filter((r) => r.type === 'aws:iam/serviceLinkedRole:ServiceLinkedRole')).toEqual([]);
});
