import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from './support/temp-dir';
import { findProvider, mirrorLayout, ProviderUnavailable, terraformFor, type ProviderRequirement } from '../scripts/terraform';

const requirement: ProviderRequirement = { address: 'registry.terraform.io/hashicorp/aws', version: '5.100.0', platform: 'linux_amd64' };
/** An environment with no TF_PLUGIN_DIR and Terraform's own mirror directories pointed at an empty place. */
const bareEnv = (dir: string): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, HOME: dir, XDG_DATA_HOME: dir, XDG_DATA_DIRS: dir });

function fakeMirror(under: string): string {
  const mirror = path.join(under, 'deep', 'plugins');
  mkdirSync(path.join(mirror, mirrorLayout(requirement)), { recursive: true });
  writeFileSync(path.join(mirror, mirrorLayout(requirement), 'terraform-provider-aws_v5.100.0_x5'), '');
  return mirror;
}

/** A directory Terraform can init: the same provider requirement as the synthesized stack. */
function stackDir(): string {
  const dir = tempDir('workflows-tf-provider-');
  writeFileSync(
    path.join(dir, 'cdk.tf.json'),
    JSON.stringify({ terraform: { required_providers: { aws: { source: 'aws', version: requirement.version } } } }),
  );
  return dir;
}

describe('where the Terraform tests get the hashicorp/aws provider', () => {
  test('TF_PLUGIN_DIR comes first', () => {
    const mirror = fakeMirror(tempDir('workflows-tf-mirror-'));
    expect(findProvider(requirement, { env: { TF_PLUGIN_DIR: mirror }, searchRoots: [] })).toEqual({ kind: 'TF_PLUGIN_DIR', mirror });
  });

  test('a TF_PLUGIN_DIR without the provider is refused, naming the layout it must have', () => {
    const empty = tempDir('workflows-tf-empty-');
    expect(() => findProvider(requirement, { env: { TF_PLUGIN_DIR: empty } })).toThrow(
      new ProviderUnavailable(
        `TF_PLUGIN_DIR=${empty} holds no registry.terraform.io/hashicorp/aws 5.100.0 provider: expected ` +
          `${empty}/registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64/terraform-provider-aws_v5.100.0*. ` +
          'Point it at a filesystem mirror with that layout, or unset it to find one on this machine or use the registry.',
      ),
    );
  });

  test('with nothing set, a filesystem mirror on the machine is found', () => {
    const root = tempDir('workflows-tf-machine-');
    const mirror = fakeMirror(root);
    expect(findProvider(requirement, { env: bareEnv(tempDir('workflows-tf-home-')), searchRoots: [root] })).toEqual({ kind: 'filesystem mirror', mirror });
  });

  test('with no mirror anywhere, the registry', () => {
    const home = tempDir('workflows-tf-home-');
    expect(findProvider(requirement, { env: bareEnv(home), searchRoots: [tempDir('workflows-tf-machine-')] }).kind).toBe('registry');
  });

  test('when the registry cannot be reached either, one message says what was looked for and how to point at a provider', () => {
    const home = tempDir('workflows-tf-home-');
    // A proxy on a closed port makes the registry unreachable at once, with or without internet.
    const env = { ...bareEnv(home), HTTPS_PROXY: 'http://127.0.0.1:9' };
    const terraform = terraformFor(stackDir(), { env, searchRoots: [home] });
    let message = '';
    try {
      terraform.init();
    } catch (error) {
      expect(error).toBeInstanceOf(ProviderUnavailable);
      message = (error as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'No usable registry.terraform.io/hashicorp/aws 5.100.0 provider for Terraform. Looked for:',
      '  - TF_PLUGIN_DIR: not set',
      expect.stringMatching(/^ {2}- a filesystem mirror holding registry\.terraform\.io\/hashicorp\/aws\/5\.100\.0\/linux_amd64\/ in .*: none found$/),
      expect.stringMatching(/^ {2}- the public registry: could not connect to registry\.terraform\.io/),
      'Set TF_PLUGIN_DIR to a directory that holds registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64/, or run with internet access.',
    ]);
  });

  test("a user's missing TF_CLI_CONFIG_FILE prints no warning: the harness brings its own CLI configuration", () => {
    const terraform = terraformFor(stackDir(), { env: { ...process.env, TF_CLI_CONFIG_FILE: '/nonexistent/terraformrc' } });
    const output = terraform.run(['version']);
    expect(output).toMatch(/^Terraform v1\./);
    expect(output).not.toContain('CLI configuration');
  });
});
