import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { writeStaged } from '../lib/core/staged-output';
import { loadStacks, otherRegionArns, readContext } from '../lib/config/config';
import { buildApp, exitOnProblem } from '../main';

// `npm run synth/plan/deploy/destroy`. The app is synthesized here, once: a configuration or
// construct problem is reported as one message (the CDKTF CLI would print it twice, after its
// own lines), and a failed synth writes nothing. plan, deploy and destroy then run the CLI on
// that output with --skip-synth.
const [command, ...given] = process.argv.slice(2);
const outputFlag = given.findIndex((arg) => arg === '--output' || arg === '-o');
const outdir = outputFlag >= 0 ? given[outputFlag + 1] : (given.find((arg) => arg.startsWith('--output='))?.slice('--output='.length) ?? 'cdktf.out');
if (outdir === undefined) {
  console.error('--output needs a directory');
  process.exit(2);
}
let stacks: string[] = [];
let removedStacks: readonly string[] = [];
try {
  ({ removedStacks } = writeStaged(outdir, (staging) => {
    const app = buildApp(staging);
    app.synth();
    stacks = app.node.children.map((stack) => stack.node.id);
  }));
} catch (error) {
  exitOnProblem(error);
}
for (const { stackId, config } of loadStacks(process.env, readContext(process.env))) for (const line of otherRegionArns(config, stackId)) console.log(line);
if (removedStacks.length > 0) console.log(`Removed from ${outdir}/stacks, no longer configured: ${removedStacks.join(', ')} (any Terraform state of theirs is kept)`);
if (command === 'synth') {
  const extra = given.filter((arg, i) => !(i === outputFlag || i === outputFlag + 1 || arg.startsWith('--output=')));
  if (extra.length > 0) {
    console.error(`npm run synth takes --output <dir> only, not ${extra.join(' ')}: for the CLI's other flags run npx cdktf synth`);
    process.exit(2);
  }
  console.log(`Generated Terraform code for the stacks: ${stacks.join(', ')}`);
  process.exit(0);
}

const cdktf = path.join(__dirname, '..', 'node_modules', '.bin', 'cdktf');
const args = [...given, '--skip-synth'];
const result = spawnSync(cdktf, [command, ...args], { stdio: 'inherit', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
if (result.error) throw result.error;
process.exit(result.status ?? 1);
