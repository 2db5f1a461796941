export * from './conventions';
export * from './workloads';
