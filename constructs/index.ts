export * from './conventions';
export * from './offload';
export * from './tenancy';
