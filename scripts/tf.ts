import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { WORKFLOWS_MANIFEST_FILE, type StackManifest } from '../lib/core/workflow-manifest';
import { mirrorLayout, ProviderUnavailable, requiredProvider, terraformFor, type ProviderRequirement, type Terraform } from './terraform';

const HELP = `Runs Terraform in a synthesized stack, with the hashicorp/aws provider found as the tests find
it: TF_PLUGIN_DIR, a filesystem mirror on this machine, or the public registry.

Usage: npm run tf -- [--environment <name> | --stack <name>] <terraform arguments>

  --environment <name>   the stack of that environment of cdktf.json (needed when it has environments)
  --stack <name>         the stack in cdktf.out/stacks, by its directory's name
  --help                 show this help

It initializes the stack first when its provider is not installed yet (without the backend for
validate and test, which need none), so offline \`npm run tf -- validate\` works with a mirror,
also after a plan that failed before installing it; plan, apply and output need AWS credentials
(and, with S3 state, access to the bucket).
Examples: npm run tf -- validate;  npm run tf -- --environment prod plan`;

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

/** The environment a synthesized stack deploys, as its manifest records it (absent without environments or a manifest). */
function environmentOf(stackDir: string): string | undefined {
  const file = path.join(stackDir, WORKFLOWS_MANIFEST_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as StackManifest).environment : undefined;
}

/** The tool's own flags at the front of the command line (`--stack x`, `--environment=x`), and Terraform's arguments after them. */
function leadingFlags(argv: readonly string[]): { flags: Record<string, string>; args: string[] } {
  const flags: Record<string, string> = {};
  let i = 0;
  for (; i < argv.length; i += 1) {
    const [name, inline] = argv[i].split(/=(.*)/s, 2);
    if (name !== '--stack' && name !== '--environment') break;
    const value = inline ?? argv[i + 1];
    if (value === undefined || value === '' || value.startsWith('-')) throw new TfError(`${name} needs a name`);
    if (inline === undefined) i += 1;
    flags[name.slice(2)] = value;
  }
  return { flags, args: argv.slice(i) };
}

/** The stack and the Terraform arguments the command line asks for. */
function parse(argv: readonly string[], stacksDir: string): { stack: string; args: string[] } | undefined {
  if (argv.length === 0 || argv[0] === '--help') return undefined;
  const { flags, args } = leadingFlags(argv);
  if (flags.stack !== undefined && flags.environment !== undefined) throw new TfError('give --environment or --stack, not both');
  if (args.length === 0) throw new TfError('give Terraform something to do, e.g. npm run tf -- validate');
  const stacks = existsSync(stacksDir) ? readdirSync(stacksDir).filter((name) => existsSync(path.join(stacksDir, name, 'cdk.tf.json'))).sort() : [];
  if (stacks.length === 0) throw new TfError('nothing is synthesized in cdktf.out: run npm run synth first');
  if (flags.environment !== undefined) {
    const environments = new Map(stacks.flatMap((stack) => { const environment = environmentOf(path.join(stacksDir, stack)); return environment === undefined ? [] : [[environment, stack] as const]; }));
    const stack = environments.get(flags.environment);
    if (stack === undefined) {
      throw new TfError(`--environment ${flags.environment}: ${environments.size === 0 ? 'the synthesized stack is of no environment' : `the synthesized environments are ${[...environments.keys()].sort().join(', ')}`}`);
    }
    return { stack, args };
  }
  if (flags.stack === undefined) {
    if (stacks.length === 1) return { stack: stacks[0], args };
    throw new TfError(`cdktf.out holds several stacks; choose one with --environment or --stack (${stacks.join(', ')})`);
  }
  if (!stacks.includes(flags.stack)) throw new TfError(`--stack ${flags.stack}: the synthesized stacks are ${stacks.join(', ')}`);
  return { stack: flags.stack, args };
}

/**
 * Whether Terraform has the stack's provider installed in its `.terraform`. A `plan` that failed
 * offline leaves `.terraform` with its backend recorded and no provider: that stack is initialized again.
 */
function providerInstalled(stackDir: string): boolean {
  let requirement: ProviderRequirement;
  try {
    requirement = requiredProvider(stackDir);
  } catch {
    // No provider requirement to look for: initialized once is initialized.
    return existsSync(path.join(stackDir, '.terraform'));
  }
  return existsSync(path.join(stackDir, '.terraform', 'providers', mirrorLayout(requirement)));
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
    if (command !== 'init' && !providerInstalled(stackDir)) terraform.init({ backend: !OFFLINE_COMMANDS.has(command) });
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
