export * from './data-plane';
export * from './render';
