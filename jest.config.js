/** Shared by both projects: transpile only, `npm test` type-checks the whole project once with tsc before jest runs. */
const common = {
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': '@sucrase/jest-plugin' },
  cacheDirectory: '<rootDir>/.jest-cache',
};

/** @type {import('jest').Config} */
module.exports = {
  // Pulumi mock tests, ajv schema compilation and the Spark runs share these two cores.
  maxWorkers: 2,
  testTimeout: 60000,
  projects: [
    // `npm run test:unit`: everything that needs no server.
    { ...common, displayName: 'unit', roots: ['<rootDir>/test'], testPathIgnorePatterns: ['/test/engines/'] },
    // The real-engine suite: the local data plane (scripts/local/plane.ts) is started once for it and stopped after.
    {
      ...common,
      displayName: 'engines',
      roots: ['<rootDir>/test/engines'],
      globalSetup: '<rootDir>/test/engines/global-setup.ts',
      globalTeardown: '<rootDir>/test/engines/global-teardown.ts',
    },
  ],
};
