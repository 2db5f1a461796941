// What other modules use of the provisioner: the plan format (rendered by the PolarisProvisioning construct) and the
// provisioning pass itself (exercised by the contract tests).
export * from './plan';
export * from './http';
export * from './polaris-client';
export * from './kubernetes-client';
export * from './provision';
