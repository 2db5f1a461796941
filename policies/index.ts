/**
 * The guard rails as plain functions: run them in tests, in `npm run validate`, or through the Pulumi pack (`pack.ts`).
 * Import this file (`policies/index`), never the folder: the folder's package.json points `main` at the pack entry,
 * which starts the policy server.
 */
export * from './rule';
export * from './pod-specs';
export * from './kubernetes-rules';
export * from './aws-rules';
export * from './engine';
