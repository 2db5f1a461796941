/**
 * The Pulumi policy pack: `pulumi preview --policy-pack policies`. Every plain rule becomes a ResourceValidationPolicy
 * or a StackValidationPolicy (see `enginePolicies`). Constructing the pack starts the policy gRPC server, so nothing
 * else may import this file.
 */
import { PolicyPack } from '@pulumi/policy';
import { enginePolicies } from './engine';

new PolicyPack('spark-iceberg-data-plane', { policies: enginePolicies() });
