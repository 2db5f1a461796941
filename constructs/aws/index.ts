// Pulumi components of the AWS layer; exported from the package's './pulumi' entry only (they load Pulumi).
export * from './aws-data-plane';
export * from './cidr';
export * from './cluster-addons';
export * from './data-plane-cluster';
export * from './data-plane-identities';
export * from './data-plane-network';
export * from './data-plane-storage';
export * from './factories';
export * from './pod-identity-role';
export * from './policies';
export * from './polaris-database';
export * from './protection';
export * from './karpenter-infrastructure';
export * from './karpenter-node-pools';
export * from './system-node-group';
