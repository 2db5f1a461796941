// Runs the TypeScript entry points without type-checking: swc strips types, `npm test` type-checks once.
require('ts-node').register({ transpileOnly: true, swc: true, project: require('path').join(__dirname, '..', 'tsconfig.json') });
