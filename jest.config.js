const { availableParallelism } = require('node:os');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // Type-checking runs once in `npm run typecheck`; per-file transpilation keeps jest fast.
  transform: { '^.+\\.ts$': 'ts-jest' },
  setupFilesAfterEnv: ['<rootDir>/__tests__/support/setup.ts'],
  // Much of the suite waits on Terraform and child processes: two workers even on two cores.
  maxWorkers: Math.max(2, availableParallelism() - 1),
};
