/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Transpile only: `npm test` type-checks the whole project once with tsc before jest runs.
  transform: { '^.+\\.ts$': '@sucrase/jest-plugin' },
  // Pulumi mock tests and ajv schema compilation share these two cores.
  maxWorkers: 2,
  testTimeout: 60000,
  cacheDirectory: '<rootDir>/.jest-cache',
};
