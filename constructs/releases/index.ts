export * from './helm-values';
export * from './child-options';
export * from './pinned-release';
export * from './spark-operator';
export * from './yunikorn';
export * from './polaris';
export * from './platform-services';
export * from './defaults';
