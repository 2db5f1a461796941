// The offline validator: every synthesized object checked as strictly as the Kubernetes API server (1.28 and 1.34
// schemas, the Spark Operator CRDs, and the server's own rules). Add a check to MANIFEST_CHECKS in checks.ts.
export * from './checks';
export * from './field-path';
export * from './finding';
export * from './kubernetes-schema';
export * from './custom-resources';
export * from './labels';
export * from './manifest-files';
export * from './names';
export * from './object-access';
export * from './pod-templates';
export * from './schema-check';
export * from './schema-data-error';
export * from './schema-set';
export * from './validate';
export * from './rules';
export * from './schema-data-sources';
export * from './fetch-schema-data';
