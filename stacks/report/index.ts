// `npm run report`: what an environment runs when, what it holds around the clock, and whether its budgets fit.
export * from './jobs';
export * from './timeline';
export * from './usage';
export * from './commitments';
export * from './cost';
export * from './conflicts';
export * from './format';
export * from './report';
export * from './render-html';
