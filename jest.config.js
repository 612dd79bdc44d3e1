const { availableParallelism } = require('node:os');
const path = require('node:path');

// Each worker exits as soon as it is done, not after freeing its heap (__tests__/support/worker-exit.js);
// the workers jest starts inherit this process's environment.
process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS, `--require ${JSON.stringify(path.join(__dirname, '__tests__', 'support', 'worker-exit.js'))}`].filter(Boolean).join(' ');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // The project's own cache, not one shared in the system's temp directory: a fresh clone's first
  // run starts with none, and `rm -rf node_modules/.cache` makes the next run a first run again.
  cacheDirectory: '<rootDir>/node_modules/.cache/jest',
  // Types stripped by sucrase, unchecked: `tsc --noEmit` in `npm test` type-checks once.
  transform: { '^.+\\.ts$': '<rootDir>/__tests__/support/transform.js' },
  // A bundle built once in the run is not built again by the next test file; asl-validator's Ajv is
  // built once per file; zod is loaded once per worker (__tests__/support/cached-esbuild.ts,
  // shared-ajv.ts, worker-zod.js).
  moduleNameMapper: {
    '^esbuild$': '<rootDir>/__tests__/support/cached-esbuild.ts',
    '^ajv$': '<rootDir>/__tests__/support/shared-ajv.ts',
    '^zod$': '<rootDir>/__tests__/support/worker-zod.js',
  },
  setupFilesAfterEnv: ['<rootDir>/__tests__/support/setup.ts'],
  // A directory for the run, and one hashicorp/aws provider process the Terraform runs attach to (__tests__/support/shared-provider.ts).
  globalSetup: '<rootDir>/__tests__/support/global-setup.ts',
  globalTeardown: '<rootDir>/__tests__/support/global-teardown.ts',
  // Files that run Terraform or start processes first, on a first run too.
  testSequencer: '<rootDir>/__tests__/support/sequencer.js',
  // Much of the suite waits on Terraform and child processes: two workers even on two cores.
  maxWorkers: Math.max(2, availableParallelism() - 1),
};
