// The infrastructure project's program (VPC, EKS, IAM, S3, RDS, Karpenter's AWS side). Run it first:
// `pulumi up --stack <env> --cwd stacks/pulumi/infrastructure`. The environment is `dataplane:environment`.
import * as pulumi from '@pulumi/pulumi';
import { loadEnvironment } from '../../../config';
import { deployInfrastructure } from '../program';

const envName = new pulumi.Config('dataplane').get('environment') ?? pulumi.getStack();
const { outputs } = deployInfrastructure(loadEnvironment(envName));

export const {
  region,
  clusterName,
  clusterArn,
  clusterEndpoint,
  kubernetesVersion,
  kubeconfig,
  kubeconfigCommand,
  nodeSecurityGroupId,
  karpenterInterruptionQueue,
  karpenterInstanceProfile,
  warehouseBucket,
  warehouseLocation,
  eventLogBucket,
  storageKeyArn,
  polarisJdbcUrl,
  polarisDatabaseUser,
  polarisDatabasePassword,
  catalogRoleArn,
  catalogExternalId,
  polarisUrl,
} = outputs;
