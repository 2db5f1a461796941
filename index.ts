// The cdk8s side of the package: configuration, constructs, the chart builder and the offline validator.
// Pulumi components (AWS layer, Helm releases, the stack program) are exported from './pulumi' so that importing this
// entry never loads Pulumi.
export * from './config';
export * from './constructs';
export * from './stacks';
