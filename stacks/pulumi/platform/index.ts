// The platform project's program (add-ons that run pods, Karpenter, the chart layers and Helm releases). Run it after
// the infrastructure stack of the same environment: `pulumi up --stack <env> --cwd stacks/pulumi/platform`.
// `dataplane:infrastructureStack` overrides the stack it reads (default: <organization>/dataplane-infrastructure/<stack>).
import * as pulumi from '@pulumi/pulumi';
import { loadEnvironment } from '../../../config';
import { deployPlatform, infrastructureStackName, platformInputsFrom } from '../program';

const config = new pulumi.Config('dataplane');
const envName = config.get('environment') ?? pulumi.getStack();
const infrastructure = new pulumi.StackReference(
  config.get('infrastructureStack') ?? infrastructureStackName(pulumi.getOrganization(), pulumi.getStack()),
);
const platform = deployPlatform(loadEnvironment(envName), platformInputsFrom(infrastructure));

export const layers = platform.deployment.layers.map((layer) => layer.urn);
export const clusterName = infrastructure.requireOutput('clusterName');
export const polarisUrl = infrastructure.requireOutput('polarisUrl');
