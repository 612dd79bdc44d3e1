import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { withScratchDir } from '../lib/staged-output';
import { buildApp, exitOnProblem } from '../main';

// `npm run synth/plan/deploy/destroy`: the CDKTF CLI prints an app's error output twice, after
// its own lines, so the stacks are built here first (in a scratch directory, without
// synthesizing) and a configuration or construct problem is reported once, first.
const [command, ...args] = process.argv.slice(2);
try {
  withScratchDir((dir) => buildApp(dir));
} catch (error) {
  exitOnProblem(error);
}

const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1' };
// Synth reads no Terraform CLI configuration; a TF_CLI_CONFIG_FILE naming a missing file would
// only make the CLI's Terraform calls print warnings around a good synth.
if (command === 'synth' && env.TF_CLI_CONFIG_FILE && !existsSync(env.TF_CLI_CONFIG_FILE)) delete env.TF_CLI_CONFIG_FILE;
const cdktf = path.join(__dirname, '..', 'node_modules', '.bin', 'cdktf');
const result = spawnSync(cdktf, [command, ...args], { stdio: 'inherit', env });
if (result.error) throw result.error;
process.exit(result.status ?? 1);
