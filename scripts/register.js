// Runs the TypeScript entry points without type-checking (TypeScript's transpileModule); `npm test` type-checks once.
require('ts-node').register({ transpileOnly: true, project: require('path').join(__dirname, '..', 'tsconfig.json') });
