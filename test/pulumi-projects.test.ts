// The two Pulumi projects README deploys with `pulumi up --stack <env> --cwd stacks/pulumi/<project>`.
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { ENVIRONMENT_NAMES } from '../config';
import { AWS_INVOKES } from './helpers/aws-mocks';
import { installMocks, MockedResource, settle } from './helpers/pulumi-mocks';

const ROOT = path.join(__dirname, '..');
const PROJECT_DIRS = { infrastructure: 'dataplane-infrastructure', platform: 'dataplane-platform' };

describe.each(Object.entries(PROJECT_DIRS))('stacks/pulumi/%s', (dir, project) => {
  const base = path.join(ROOT, 'stacks', 'pulumi', dir);
  test('is a Pulumi project whose main exists, with one stack file per environment naming it', () => {
    const manifest = parse(fs.readFileSync(path.join(base, 'Pulumi.yaml'), 'utf8'));
    expect(manifest).toMatchObject({ name: project, runtime: { name: 'nodejs' }, main: 'index.ts' });
    expect(fs.existsSync(path.join(base, manifest.main))).toBe(true);
    for (const env of ENVIRONMENT_NAMES) {
      expect(parse(fs.readFileSync(path.join(base, `Pulumi.${env}.yaml`), 'utf8'))).toEqual({
        config: { 'dataplane:environment': env },
      });
    }
  });
});

test('no Pulumi project at the root any more (it would hold both layers in one stack)', () => {
  expect(fs.existsSync(path.join(ROOT, 'Pulumi.yaml'))).toBe(false);
});

describe('the platform program reads the infrastructure stack of its environment', () => {
  let resources: MockedResource[];
  const kubeconfig = JSON.stringify({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'from-the-reference' }] });
  const outputs: Record<string, string> = {
    clusterName: 'dataplane-staging',
    clusterArn: 'arn:aws:eks:eu-west-1:123456789012:cluster/dataplane-staging',
    clusterEndpoint: 'https://dataplane-staging.example',
    kubernetesVersion: '1.35',
    kubeconfig,
    kubeconfigCommand: 'aws eks update-kubeconfig',
    nodeSecurityGroupId: 'sg-nodes',
    karpenterInterruptionQueue: 'dataplane-staging-karpenter',
    karpenterInstanceProfile: 'profile',
    warehouseBucket: 'wh',
    warehouseLocation: 's3://wh/lake/',
    eventLogBucket: 'ev',
    storageKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/k',
    polarisJdbcUrl: 'jdbc:postgresql://db:5432/polaris?sslmode=require',
    polarisDatabaseUser: 'polaris',
    polarisDatabasePassword: 'pw',
    catalogRoleArn: 'arn:aws:iam::123456789012:role/catalog',
    catalogExternalId: 'ext',
    polarisUrl: 'http://polaris',
  };

  beforeAll(async () => {
    jest.resetModules();
    resources = await installMocks('staging', { 'dataplane:environment': 'staging' }, AWS_INVOKES, {
      'pulumi:pulumi:StackReference': () => ({ outputs }),
    });
    await import('../stacks/pulumi/platform');
    await settle(800);
  }, 240_000);

  test('the StackReference names <organization>/dataplane-infrastructure/<stack>', () => {
    const refs = resources.filter((r) => r.type === 'pulumi:pulumi:StackReference');
    expect(refs.map((r) => r.inputs.name)).toEqual(['organization/dataplane-infrastructure/staging']);
  });

  test('the Kubernetes provider uses the referenced kubeconfig, and Karpenter the referenced queue and profile', () => {
    expect(resources.find((r) => r.type === 'pulumi:providers:kubernetes')!.inputs.kubeconfig).toBe(kubeconfig);
    const release = resources.find((r) => r.name === 'staging-karpenter-karpenter')!;
    expect(release.inputs.values.settings).toMatchObject({
      clusterName: 'dataplane-staging',
      interruptionQueue: 'dataplane-staging-karpenter',
    });
    const nodeClass = resources.find((r) => r.name === 'staging-karpenter-spark-node-class')!;
    expect(nodeClass.inputs.spec.instanceProfile).toBe('profile');
    // Only the cluster side: no VPC, cluster or bucket is created here.
    expect(resources.filter((r) => /^aws:(ec2|eks\/cluster|s3|rds)/.test(r.type))).toEqual([]);
  });
});
