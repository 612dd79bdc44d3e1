import { spawnSync } from 'node:child_process';

/**
 * Runs the Terraform CLI in `cwd` and returns its output; a non-zero exit throws with
 * Terraform's own message. `TF_PLUGIN_DIR`, when set, points `init` at a local provider mirror
 * (CI sets it; with internet, leave it unset and init downloads as usual).
 */
export function terraform(cwd: string, args: string[]): string {
  const withPluginDir = args[0] === 'init' && process.env.TF_PLUGIN_DIR ? [...args, `-plugin-dir=${process.env.TF_PLUGIN_DIR}`] : args;
  const result = spawnSync('terraform', [...withPluginDir, '-no-color'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' },
  });
  if (result.error) {
    throw new Error(`could not run terraform (${result.error.message}); Terraform >= 1.7 must be on PATH`);
  }
  if (result.status !== 0) {
    throw new Error(`terraform ${args.join(' ')} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}
