// Runs the TypeScript entry points without type-checking: sucrase strips the types (pure JavaScript, no native
// binary), `npm test` type-checks once.
require('sucrase/register/ts');
