export * from './conventions';
export * from './tenancy';
