import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { ProviderUnavailable, terraformFor, type Terraform } from './terraform';

const HELP = `Runs Terraform in a synthesized stack, with the hashicorp/aws provider found as the tests find
it: TF_PLUGIN_DIR, a filesystem mirror on this machine, or the public registry.

Usage: npm run tf -- [--stack <name>] <terraform arguments>

  --stack <name>   the stack in cdktf.out/stacks (needed when there are several)
  --help           show this help

It initializes the stack first when it is not yet (without the backend for validate and test,
which need none), so offline \`npm run tf -- validate\` works with a mirror; plan, apply and
output need AWS credentials (and, with S3 state, access to the bucket).
Examples: npm run tf -- validate;  npm run tf -- --stack long-running-workflows-prod plan`;

/** A problem the user can fix; printed as one line. */
export class TfError extends Error {}

/** Commands that read only the configuration: no backend needed to run them. */
const OFFLINE_COMMANDS = new Set(['validate', 'test', 'fmt', 'version', 'providers']);

export interface TfIo {
  readonly stacksDir: string;
  readonly print: (line: string) => void;
  /** Terraform for a stack directory. */
  readonly terraform: (stackDir: string) => Terraform;
}

/** The stack and the Terraform arguments the command line asks for. */
function parse(argv: readonly string[], stacksDir: string): { stack: string; args: string[] } | undefined {
  if (argv.length === 0 || argv[0] === '--help') return undefined;
  const named = argv[0] === '--stack' ? argv[1] : argv[0].startsWith('--stack=') ? argv[0].slice('--stack='.length) : undefined;
  const args = argv[0] === '--stack' ? argv.slice(2) : named !== undefined ? argv.slice(1) : [...argv];
  if (argv[0] === '--stack' && named === undefined) throw new TfError('--stack needs a stack name');
  if (args.length === 0) throw new TfError('give Terraform something to do, e.g. npm run tf -- validate');
  const stacks = existsSync(stacksDir) ? readdirSync(stacksDir).filter((name) => existsSync(path.join(stacksDir, name, 'cdk.tf.json'))).sort() : [];
  if (stacks.length === 0) throw new TfError('nothing is synthesized in cdktf.out: run npm run synth first');
  if (named === undefined) {
    if (stacks.length === 1) return { stack: stacks[0], args };
    throw new TfError(`cdktf.out holds several stacks; choose one with --stack (${stacks.join(', ')})`);
  }
  if (!stacks.includes(named)) throw new TfError(`--stack ${named}: the synthesized stacks are ${stacks.join(', ')}`);
  return { stack: named, args };
}

/** Runs `npm run tf`; returns the exit code (Terraform's, or 2 for a usage problem). */
export function tf(argv: readonly string[], io: TfIo): number {
  try {
    const parsed = parse(argv, io.stacksDir);
    if (!parsed) {
      io.print(HELP);
      return 0;
    }
    const stackDir = path.join(io.stacksDir, parsed.stack);
    const terraform = io.terraform(stackDir);
    const [command] = parsed.args;
    if (command !== 'init' && !existsSync(path.join(stackDir, '.terraform'))) terraform.init({ backend: !OFFLINE_COMMANDS.has(command) });
    return terraform.exec(parsed.args);
  } catch (error) {
    if (!(error instanceof TfError) && !(error instanceof ProviderUnavailable)) throw error;
    io.print(error.message);
    return 2;
  }
}

if (require.main === module) {
  process.exit(tf(process.argv.slice(2), { stacksDir: path.join(__dirname, '..', 'cdktf.out', 'stacks'), print: (line) => console.error(line), terraform: terraformFor }));
}
