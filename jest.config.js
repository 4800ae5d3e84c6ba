/**
 * Jest runs the TypeScript sources through SWC (fast, no type check: `npm
 * test` runs tsc first). One embedded PostgreSQL serves the whole run;
 * each test file gets its own database cloned from a migrated template.
 */
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2023',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

/** @type {import('jest').Config} */
module.exports = {
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFiles: ['reflect-metadata'],
  testEnvironment: 'node',
  maxWorkers: 2,
  testTimeout: 30_000,
};
