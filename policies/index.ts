/** The guard rails as plain functions: run them in tests, in `npm run validate`, or through the Pulumi pack (`pack.ts`). */
export * from './rule';
export * from './pod-specs';
export * from './kubernetes-rules';
export * from './aws-rules';
export * from './subjects';
