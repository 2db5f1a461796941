export * from './kube-resources';
export * from './platform-releases';
export * from './platform-namespaces';
export * from './platform-network-policies';
export * from './spark-history-server';
export * from './polaris-provisioning';
export * from './platform-service-objects';
export * from './platform-priority-class';
