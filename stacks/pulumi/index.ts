// Pulumi.yaml `main`: the stack's environment comes from `dataplane:environment` (default: the stack name).
import * as pulumi from '@pulumi/pulumi';
import { loadEnvironment } from '../../config';
import { deployEnvironment } from './program';

const envName = new pulumi.Config('dataplane').get('environment') ?? pulumi.getStack();
const stack = deployEnvironment(loadEnvironment(envName));

export const {
  region,
  clusterName,
  kubeconfigCommand,
  warehouseBucket,
  warehouseLocation,
  eventLogBucket,
  polarisUrl,
  catalogRoleArn,
} = stack.outputs;
export const layers = stack.deployment.layers.map((layer) => layer.urn);
