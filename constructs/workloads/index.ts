export * from './resource-profiles';
export * from './spark-job';
export * from './scheduled-spark-job';
export * from './job-templates';
export * from './table-group-maintenance';
export * from './workloads';
export * from './backfill';
export * from './job-template-catalog';
