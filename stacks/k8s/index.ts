export * from './data-plane';
export * from './render';
export * from './template-job';
