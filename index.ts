// The cdk8s side of the package: configuration, constructs, the chart builder and the report. The offline validator is
// the './validation' entry and the policy rules the './policies' entry (they load ajv and the schemas).
// Pulumi components (AWS layer, Helm releases, the stack program) are exported from './pulumi' so that importing this
// entry never loads Pulumi.
export * from './config';
export * from './constructs';
export * from './stacks';
