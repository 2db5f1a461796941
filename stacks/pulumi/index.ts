// Pulumi.yaml `main`: the stack's environment comes from `dataplane:environment` (default: the stack name).
import * as pulumi from '@pulumi/pulumi';
import { loadEnvironment } from '../../config';
import { deployDataPlane } from './program';

const envName = new pulumi.Config('dataplane').get('environment') ?? pulumi.getStack();
const deployment = deployDataPlane(loadEnvironment(envName));

export const layers = deployment.layers.map((layer) => layer.urn);
