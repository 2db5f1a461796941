// The cdk8s side only: the Pulumi program lives in './pulumi' and is exported from the package's './pulumi' entry.
export * from './k8s';
export * from './report';
