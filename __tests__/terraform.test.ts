import { copyFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { OPERATIONS } from './support/operations';
import { sharedProviderEnv } from './support/shared-provider';
import { synthesize } from './support/synth';
import { terraformFor, type Terraform } from '../scripts/terraform';

const TEST_FILES_DIR = path.join(__dirname, 'terraform');

/** Every optional resource, an Express job's batch machine among them. */
const EVERYTHING = { ...OPERATIONS, WORKFLOWS_JOBS: JSON.stringify({ 'continue-as-new': {}, drain: { loop: 'express', batchCalls: 100 } }) };

describe('Terraform on the synthesized stack (real hashicorp/aws 5.100.0 schema, offline)', () => {
  let terraform: Terraform;

  beforeAll(() => {
    const stackDir = synthesize(EVERYTHING).fullSynth();
    for (const file of readdirSync(TEST_FILES_DIR).filter((f) => f.endsWith('.tftest.hcl'))) {
      copyFileSync(path.join(TEST_FILES_DIR, file), path.join(stackDir, file));
    }
    terraform = terraformFor(stackDir, { env: sharedProviderEnv(stackDir) });
    terraform.init();
  }, 60_000);

  test('terraform validate accepts it', () => {
    expect(terraform.run(['validate'])).toContain('Success! The configuration is valid.');
  });

  test('terraform test passes every run against the mocked provider', () => {
    expect(terraform.run(['test'])).toMatch(/Success! 6 passed, 0 failed\./);
  }, 60_000);
});
