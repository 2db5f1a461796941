// The Pulumi side of the package (AWS components, Helm releases, the stack program). Importing it loads Pulumi.
export * from './constructs/aws';
export * from './stacks/pulumi/program';
export * from './constructs/releases';
