// Jest with @swc/jest: ~7x faster than ts-jest, and it keeps decorator metadata
// (legacyDecorator + decoratorMetadata) that type-graphql reads. The committed
// schema is still emitted from the tsc build (npm run schema): swc and tsc infer different GraphQL types where a field has no explicit type thunk.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  setupFiles: ['reflect-metadata'],
  // Builds the browser bundles (demo app, GraphQL IDE) when missing or stale; the browser tests load them.
  globalSetup: '<rootDir>/test/e2e/global-setup.ts',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  testTimeout: 30000,
  // Servers are started per file; two cores here, so keep workers modest.
  maxWorkers: 2,
};
