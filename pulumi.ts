// The Pulumi side of the package (AWS components, Helm releases, the stack program). Importing it loads Pulumi.
export * from './stacks/pulumi/program';
export * from './constructs/releases';
