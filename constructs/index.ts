export * from './conventions';
export * from './offload';
