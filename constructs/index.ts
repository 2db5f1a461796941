export * from './conventions';
