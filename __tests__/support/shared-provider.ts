import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { findProvider, mirrorLayout, requiredProvider, type ProviderRequirement } from '../../scripts/terraform';

/**
 * One hashicorp/aws provider process for the whole test run, which the Terraform runs of the
 * configuration tests attach to (Terraform's TF_REATTACH_PROVIDERS) instead of each starting the
 * 700 MB plugin again: a `terraform test` starts it several times for each of its runs, a validate
 * twice, each start a second or more of CPU for the same schema. It is the very binary `terraform
 * init` would install from the mirror, so what validate and test check is unchanged; the stack of
 * terraform.test.ts is still initialized from the mirror as a user's is.
 *
 * The global setup starts it without waiting; a worker waits for it only when a Terraform run
 * needs it, by then long ready.
 */

/** Set by the global setup for the test workers: the provider it serves (not WORKFLOWS_*: those are settings). */
const ENV = 'TESTS_SHARED_TERRAFORM_PROVIDER';
const READY_WITHIN_MS = 60_000;

interface Shared {
  readonly address: string;
  readonly version: string;
}

/** The provider the stacks require, as @cdktf/provider-aws declares it (what synth writes into cdk.tf.json). */
function stackRequirement(): ProviderRequirement {
  const { name, version } = require('@cdktf/provider-aws/package.json').cdktf.provider as { name: string; version: string };
  const arch: Record<string, string> = { x64: 'amd64', arm64: 'arm64' };
  return { address: name, version, platform: `${process.platform}_${arch[process.arch] ?? process.arch}` };
}

let server: ChildProcess | undefined;

/**
 * Starts the provider in Terraform's debug mode (it serves until stopped), writing how to attach
 * to a file the workers read. Without a mirror on the machine it starts nothing: the Terraform
 * runs then start the plugin themselves, as they would without this (and report a missing
 * provider themselves).
 */
export function startSharedProvider(runDir: string): void {
  const requirement = stackRequirement();
  let source;
  try {
    source = findProvider(requirement);
  } catch {
    return;
  }
  if (source.kind === 'registry') return;
  const binaryDir = path.join(source.mirror, mirrorLayout(requirement));
  const binary = readdirSync(binaryDir).find((file) => file.startsWith(`terraform-provider-aws_v${requirement.version}`));
  if (!binary) return;
  const dir = path.join(runDir, 'provider');
  mkdirSync(dir);
  // The shell stops the provider when its stdin closes: at teardown, or when jest itself dies.
  const script = '"$0" -debug >"$1/out" 2>/dev/null </dev/null & pid=$!; echo $pid >"$1/pid"; cat >/dev/null; kill $pid 2>/dev/null; wait $pid';
  const child = spawn('sh', ['-c', script, path.join(binaryDir, binary), dir], { stdio: ['pipe', 'ignore', 'ignore'] });
  server = child;
  const shared: Shared = { address: requirement.address, version: requirement.version };
  process.env[ENV] = JSON.stringify({ ...shared, dir });
}

export async function stopSharedProvider(): Promise<void> {
  const child = server;
  server = undefined;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.stdin!.end();
  await exited;
  removeSocket();
}

/**
 * The provider served on a unix socket in the system's temp directory (`/tmp/plugin<n>`), which
 * it leaves behind when stopped: removed with it.
 */
function removeSocket(): void {
  const shared = process.env[ENV] ? (JSON.parse(process.env[ENV]) as { dir: string }) : undefined;
  const out = shared && existsSync(path.join(shared.dir, 'out')) ? readFileSync(path.join(shared.dir, 'out'), 'utf8') : '';
  const reattach = /TF_REATTACH_PROVIDERS='([^']+)'/.exec(out)?.[1];
  if (!reattach) return;
  for (const provider of Object.values<{ Addr?: { Network?: string; String?: string } }>(JSON.parse(reattach))) {
    const socket = provider.Addr?.Network === 'unix' ? provider.Addr.String : undefined;
    if (socket && path.dirname(socket) === tmpdir() && path.basename(socket).startsWith('plugin')) rmSync(socket, { force: true });
  }
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function isRunning(pidFile: string): boolean {
  if (!existsSync(pidFile)) return true; // not yet written: just started
  try {
    process.kill(Number(readFileSync(pidFile, 'utf8')), 0);
    return true;
  } catch {
    return false;
  }
}

/** TF_REATTACH_PROVIDERS for the shared provider, once it serves; undefined when it does not start. */
function reattachWhenReady(dir: string): string | undefined {
  const deadline = Date.now() + READY_WITHIN_MS;
  while (Date.now() < deadline && isRunning(path.join(dir, 'pid'))) {
    const out = existsSync(path.join(dir, 'out')) ? readFileSync(path.join(dir, 'out'), 'utf8') : '';
    const reattach = /TF_REATTACH_PROVIDERS='([^']+)'/.exec(out)?.[1];
    if (reattach) return reattach;
    sleep(50);
  }
  return undefined;
}

/**
 * The environment for Terraform in `stackDir`: this process's, attached to the shared provider
 * when there is one and it is the provider and version the stack requires.
 */
export function sharedProviderEnv(stackDir: string): NodeJS.ProcessEnv {
  const shared = process.env[ENV] ? (JSON.parse(process.env[ENV]) as Shared & { dir: string }) : undefined;
  const required = requiredProvider(stackDir);
  if (!shared || shared.address !== required.address || shared.version !== required.version) return process.env;
  const reattach = reattachWhenReady(shared.dir);
  return reattach ? { ...process.env, TF_REATTACH_PROVIDERS: reattach } : process.env;
}
