export * from './add-tenancy';
export * from './network-allow-rule';
export * from './spark-priority-classes';
export * from './tenant';
export * from './tenant-admission-policy';
export * from './tenant-budget';
export * from './yunikorn-queue-config';
