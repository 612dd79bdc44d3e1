import { copyFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { OPERATIONS } from './support/operations';
import { sharedProviderEnv } from './support/shared-provider';
import { synthesize } from './support/synth';
import { terraformFor, type Terraform } from '../scripts/terraform';
import { tf } from '../scripts/tf';

const TEST_FILES_DIR = path.join(__dirname, 'terraform');

/** Every optional resource, an Express job's batch machine among them, all under a customer managed key. */
const EVERYTHING = {
  ...OPERATIONS,
  WORKFLOWS_JOBS: JSON.stringify({ 'continue-as-new': {}, drain: { loop: 'express', batchCalls: 100 } }),
  WORKFLOWS_KMS_KEY_ARN: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
};

/**
 * `npm run tf -- test` as a user runs it, on the stack with every optional resource: tf.ts
 * initializes the stack first, offline, installing the provider from the mirror as a user's
 * would; the command then runs attached to the run's shared provider process (the same binary),
 * its output kept for the assertions and a failure returned as exit 1. `terraform test`
 * validates the resources and data sources against the real schema before its runs (an invalid
 * one fails them all), so this is `npm run tf -- validate`'s route and most of its check, in one
 * Terraform process instead of two; the mock provider has no schema for the `provider "aws"`
 * block itself, which the validate of the README recipes' stacks and of your configuration's
 * checks.
 */
function npmRunTfTest(stackDir: string): { exit: number; printed: string } {
  let printed = '';
  const terraform = (dir: string): Terraform => {
    const attached = terraformFor(dir, { env: sharedProviderEnv(dir) });
    const exec = (args: readonly string[]) => {
      try {
        printed += attached.run(args);
        return 0;
      } catch (error) {
        printed += (error as Error).message;
        return 1;
      }
    };
    return { ...attached, init: terraformFor(dir).init, exec };
  };
  const exit = tf(['test'], { stacksDir: path.dirname(stackDir), print: () => undefined, terraform });
  return { exit, printed };
}

test('npm run tf -- test initializes the stack offline with the provider the tests find, and every run passes against the mocked provider (real hashicorp/aws 5.100.0 schema)', () => {
  const stackDir = synthesize(EVERYTHING).fullSynth();
  for (const file of readdirSync(TEST_FILES_DIR).filter((f) => f.endsWith('.tftest.hcl'))) {
    copyFileSync(path.join(TEST_FILES_DIR, file), path.join(stackDir, file));
  }
  const { exit, printed } = npmRunTfTest(stackDir);
  expect(printed).toMatch(/Success! 7 passed, 0 failed\./);
  expect(exit).toBe(0);
}, 60_000);
