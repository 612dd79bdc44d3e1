import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';

/** The provider a synthesized stack asks for, and the directory a filesystem mirror keeps it in. */
export interface ProviderRequirement {
  /** `registry.terraform.io/hashicorp/aws` */
  readonly address: string;
  readonly version: string;
  /** Terraform's `<os>_<arch>`, e.g. `linux_amd64`. */
  readonly platform: string;
}

/** Where `terraform init` gets the provider, in the order `npm run tf` and the tests try them. */
export type ProviderSource =
  | { readonly kind: 'TF_PLUGIN_DIR'; readonly mirror: string }
  | { readonly kind: 'filesystem mirror'; readonly mirror: string }
  | { readonly kind: 'registry'; readonly searched: readonly string[] };

/** No usable provider: the message says what was looked for and how to point at one. */
export class ProviderUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderUnavailable';
  }
}

const ROOT = path.join(__dirname, '..');
/** Directories a bounded search of the machine reads at most; a shallow mirror is found in tens. */
const SEARCH_BUDGET = 5000;
const NOT_SEARCHED = new Set(['proc', 'sys', 'dev', 'run', 'node_modules', '.git', '.terraform']);

const TERRAFORM_PLATFORMS: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' };

/** The provider `cdk.tf.json` in `stackDir` requires, for this machine's platform. */
export function requiredProvider(stackDir: string): ProviderRequirement {
  const stack = JSON.parse(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
  const { source, version } = stack.terraform.required_providers.aws as { source: string; version: string };
  // Terraform reads `aws` as `hashicorp/aws`, and a two-part source as one on the public registry.
  const parts = source.split('/');
  const address = [...['registry.terraform.io', 'hashicorp'].slice(0, 3 - parts.length), ...parts].join('/');
  return { address, version, platform: `${process.platform}_${TERRAFORM_PLATFORMS[process.arch] ?? process.arch}` };
}

/** `<mirror>/registry.terraform.io/hashicorp/aws/<version>/<platform>/`, Terraform's unpacked mirror layout. */
export function mirrorLayout(requirement: ProviderRequirement): string {
  return path.join(requirement.address, requirement.version, requirement.platform);
}

function holdsProvider(mirror: string, requirement: ProviderRequirement): boolean {
  const dir = path.join(mirror, mirrorLayout(requirement));
  const binary = `terraform-provider-${requirement.address.split('/').pop()}_v${requirement.version}`;
  return existsSync(dir) && readdirSync(dir).some((file) => file.startsWith(binary));
}

/** The local mirror directories Terraform itself would look in on this machine. */
function terraformDefaultMirrors(env: NodeJS.ProcessEnv): string[] {
  const home = env.HOME || homedir();
  const dataHome = env.XDG_DATA_HOME || path.join(home, '.local', 'share');
  const dataDirs = (env.XDG_DATA_DIRS || '/usr/local/share:/usr/share').split(':').filter(Boolean);
  const dirs = [path.join(home, '.terraform.d', 'plugins'), ...[dataHome, ...dataDirs].map((dir) => path.join(dir, 'terraform', 'plugins'))];
  return [...new Set(dirs)];
}

/** Breadth-first, so shallow mirrors (`/opt/<x>`, `~/.terraform.d/plugins`) are found first and fast. */
function searchMachine(root: string, requirement: ProviderRequirement): string | undefined {
  const registryHost = requirement.address.split('/')[0];
  let level = [root];
  let read = 0;
  while (level.length > 0 && read < SEARCH_BUDGET) {
    const next: string[] = [];
    for (const dir of level) {
      if (read++ >= SEARCH_BUDGET) break;
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const entry of entries) {
        if (!entry.isDirectory() || NOT_SEARCHED.has(entry.name)) continue;
        if (entry.name === registryHost && holdsProvider(dir, requirement)) return dir;
        next.push(path.join(dir, entry.name));
      }
    }
    level = next;
  }
  return undefined;
}

export interface FindProviderOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Where to search for a mirror after Terraform's own mirror directories. @default the filesystem root */
  readonly searchRoots?: readonly string[];
}

/**
 * An explicit `TF_PLUGIN_DIR` first (refused, not skipped, when it lacks the provider), then a
 * filesystem mirror on this machine, then the public registry.
 */
export function findProvider(requirement: ProviderRequirement, options: FindProviderOptions = {}): ProviderSource {
  const env = options.env ?? process.env;
  const explicit = env.TF_PLUGIN_DIR;
  if (explicit) {
    if (holdsProvider(explicit, requirement)) return { kind: 'TF_PLUGIN_DIR', mirror: path.resolve(explicit) };
    throw new ProviderUnavailable(
      `TF_PLUGIN_DIR=${explicit} holds no ${requirement.address} ${requirement.version} provider: expected ` +
        `${path.join(explicit, mirrorLayout(requirement))}/terraform-provider-aws_v${requirement.version}*. ` +
        'Point it at a filesystem mirror with that layout, or unset it to find one on this machine or use the registry.',
    );
  }
  const known = terraformDefaultMirrors(env).find((dir) => holdsProvider(dir, requirement));
  if (known) return { kind: 'filesystem mirror', mirror: known };
  const roots = options.searchRoots ?? [path.parse(ROOT).root];
  for (const root of roots) {
    const found = searchMachine(root, requirement);
    if (found) return { kind: 'filesystem mirror', mirror: found };
  }
  return { kind: 'registry', searched: [...terraformDefaultMirrors(env), ...roots.map((root) => `${root} (the first ${SEARCH_BUDGET} directories)`)] };
}

/**
 * A CLI configuration of our own, so a user's broken or missing `TF_CLI_CONFIG_FILE` cannot add
 * warnings to a run. From the registry, providers are cached under
 * node_modules/.cache so each run does not download them again.
 */
function cliConfig(source: ProviderSource, requirement: ProviderRequirement): string {
  const lines = ['disable_checkpoint = true'];
  if (source.kind === 'registry') {
    const cache = path.join(ROOT, 'node_modules', '.cache', 'terraform-plugins');
    mkdirSync(cache, { recursive: true });
    lines.push(`plugin_cache_dir = ${JSON.stringify(cache)}`);
  } else {
    lines.push(
      'provider_installation {',
      '  filesystem_mirror {',
      `    path    = ${JSON.stringify(source.mirror)}`,
      `    include = [${JSON.stringify(requirement.address)}]`,
      '  }',
      '}',
    );
  }
  return `${lines.join('\n')}\n`;
}

export interface Terraform {
  readonly source: ProviderSource;
  /** Runs a Terraform command in the stack directory and returns all it printed; a non-zero exit throws with Terraform's message. */
  run(args: readonly string[]): string;
  /** Runs a Terraform command in the stack directory with the terminal's input and output; returns its exit code. */
  exec(args: readonly string[]): number;
  /**
   * `terraform init` (without the backend unless asked: validate and test need none); when the
   * registry is the only source and cannot be reached, throws ProviderUnavailable.
   */
  init(options?: { readonly backend?: boolean }): void;
}

/** Terraform for one synthesized stack directory, with the provider found as `findProvider` says. */
export function terraformFor(stackDir: string, options: FindProviderOptions = {}): Terraform {
  const requirement = requiredProvider(stackDir);
  const source = findProvider(requirement, options);
  const configFile = path.join(stackDir, 'workflows.tfrc');
  writeFileSync(configFile, cliConfig(source, requirement));
  const env = { ...(options.env ?? process.env), TF_CLI_CONFIG_FILE: configFile, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };

  const run = (args: readonly string[]): string => {
    const result = spawnSync('terraform', [...args, '-no-color'], { cwd: stackDir, encoding: 'utf8', env });
    if (result.error) throw new Error(`could not run terraform (${result.error.message}); Terraform >= 1.7 must be on PATH`);
    if (result.status !== 0) throw new Error(`terraform ${args.join(' ')} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
    return result.stdout + result.stderr;
  };

  return {
    source,
    run,
    exec(args) {
      const result = spawnSync('terraform', args, { cwd: stackDir, stdio: 'inherit', env });
      if (result.error) throw new Error(`could not run terraform (${result.error.message}); Terraform >= 1.7 must be on PATH`);
      return result.status ?? 1;
    },
    init(options = {}) {
      try {
        run(['init', '-input=false', ...(options.backend ? [] : ['-backend=false'])]);
      } catch (error) {
        if (source.kind !== 'registry') throw error;
        const reason = /could not connect to [^\n]*/.exec((error as Error).message)?.[0];
        throw new ProviderUnavailable(
          `No usable ${requirement.address} ${requirement.version} provider for Terraform. Looked for:\n` +
            '  - TF_PLUGIN_DIR: not set\n' +
            `  - a filesystem mirror holding ${mirrorLayout(requirement)}/ in ${source.searched.join(', ')}: none found\n` +
            `  - the public registry: ${reason ?? 'terraform init failed'}\n` +
            `Set TF_PLUGIN_DIR to a directory that holds ${mirrorLayout(requirement)}/, or run with internet access.`,
        );
      }
    },
  };
}
