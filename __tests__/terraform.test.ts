import { copyFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { OPERATIONS } from './support/operations';
import { sharedProviderEnv } from './support/shared-provider';
import { synthesize } from './support/synth';
import { terraformFor, type Terraform } from '../scripts/terraform';
import { tf } from '../scripts/tf';

const TEST_FILES_DIR = path.join(__dirname, 'terraform');

/** Every optional resource, an Express job's batch machine among them. */
const EVERYTHING = { ...OPERATIONS, WORKFLOWS_JOBS: JSON.stringify({ 'continue-as-new': {}, drain: { loop: 'express', batchCalls: 100 } }) };

/** Terraform in `dir` attached to the run's shared provider process, but for init, which installs the provider from the mirror as a user's would. */
const attached = (dir: string): Terraform => ({ ...terraformFor(dir, { env: sharedProviderEnv(dir) }), init: terraformFor(dir).init });

describe('Terraform on the synthesized stack (real hashicorp/aws 5.100.0 schema, offline)', () => {
  let stackDir: string;
  let validateExit: number;

  beforeAll(() => {
    stackDir = synthesize(EVERYTHING).fullSynth();
    for (const file of readdirSync(TEST_FILES_DIR).filter((f) => f.endsWith('.tftest.hcl'))) {
      copyFileSync(path.join(TEST_FILES_DIR, file), path.join(stackDir, file));
    }
    // `npm run tf -- validate` as a user runs it: the stack is initialized first, offline.
    validateExit = tf(['validate'], { stacksDir: path.dirname(stackDir), print: () => undefined, terraform: attached });
  }, 60_000);

  test('npm run tf -- validate initializes it offline with the provider the tests find, and terraform validate accepts it', () => {
    expect(validateExit).toBe(0);
  });

  test('terraform test passes every run against the mocked provider', () => {
    expect(attached(stackDir).run(['test'])).toMatch(/Success! 6 passed, 0 failed\./);
  }, 60_000);
});
