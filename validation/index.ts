// The offline validator: every synthesized object checked as the Kubernetes API server would (the 1.28 floor and the
// cluster version's schemas, the CRDs, the server's own rules, Pod Security admission), the Spark pods the operator
// creates, and references. Add a check to MANIFEST_CHECKS in checks.ts.
export * from './checks';
export * from './field-path';
export * from './finding';
export * from './kubernetes-schema';
export * from './custom-resources';
export * from './deploy-time-objects';
export * from './labels';
export * from './manifest-files';
export * from './names';
export * from './object-access';
export * from './pod-security-standards';
export * from './pod-templates';
export * from './schema-check';
export * from './schema-data-error';
export * from './schema-set';
export * from './spark-pods';
export * from './validate';
export * from './rules';
export * from './schema-data-sources';
export * from './fetch-schema-data';
export * from './yunikorn-queue-validator';
export * from './yunikorn-resource';
