export * from './conventions';
export * from './platform';
export * from './offload';
export * from './tenancy';
export * from './workloads';
