// Pulumi.yaml `main`: the stack's environment comes from `dataplane:environment` (default: the stack name).
import * as pulumi from '@pulumi/pulumi';
import { loadEnvironment } from '../../config';
import { deployDataPlane } from './program';

/** `dataplane:platformServices`: the AWS layer's outputs the platform services need, as a secret config object. */
interface PlatformServicesConfig {
  polarisDatabase: { host: string; port: number; name: string; username: string; password: string };
  catalogRoleArn: string;
}

const config = new pulumi.Config('dataplane');
const envName = config.get('environment') ?? pulumi.getStack();
const aws = config.requireSecretObject<PlatformServicesConfig>('platformServices');
const deployment = deployDataPlane(loadEnvironment(envName), {
  platform: {
    polarisDatabase: {
      host: aws.polarisDatabase.host,
      port: aws.polarisDatabase.port,
      name: aws.polarisDatabase.name,
      username: aws.polarisDatabase.username,
      password: aws.polarisDatabase.password,
    },
    catalogRoleArn: aws.catalogRoleArn,
  },
});

export const layers = deployment.layers.map((layer) => layer.urn);
