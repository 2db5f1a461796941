/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }] },
  // Pulumi mock tests and ajv schema compilation share these two cores.
  maxWorkers: 2,
  testTimeout: 60000,
  cacheDirectory: '<rootDir>/.jest-cache',
};
