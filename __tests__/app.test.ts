import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { StackManifest } from '../lib/core/workflow-manifest';
import { tempDir } from './support/temp-dir';

const root = path.join(__dirname, '..');

/** Runs main.ts as `cdktf synth` does, into outdir. */
function runApp(outdir: string, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['-r', 'sucrase/register', 'main.ts'], {
    cwd: root,
    // The product's own configuration, whatever cdktf.json says: an empty context.
    env: { PATH: process.env.PATH, CDKTF_OUTDIR: outdir, CDKTF_CONTEXT_JSON: '{}', ...env },
    encoding: 'utf8',
  });
}

function filesUnder(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (sub: string) => {
    for (const name of readdirSync(path.join(dir, sub))) {
      const relative = path.join(sub, name);
      if (statSync(path.join(dir, relative)).isDirectory()) walk(relative);
      else files.set(relative, readFileSync(path.join(dir, relative)));
    }
  };
  walk('');
  return files;
}

/** `npm run synth -- <args>` as a user runs it, with the product's own configuration (an empty context, whatever cdktf.json says). */
function npmRunSynth(args: readonly string[], env: Record<string, string> = {}) {
  return spawnSync('npm', ['run', '--silent', 'synth', ...(args.length > 0 ? ['--', ...args] : [])], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, CDKTF_CONTEXT_JSON: '{}', ...env },
    encoding: 'utf8',
  });
}

let synthesized: { readonly outdir: string; readonly result: ReturnType<typeof npmRunSynth> } | undefined;
/**
 * One `npm run synth` of the product's own configuration, with a TF_CLI_CONFIG_FILE naming a
 * missing file, shared by the tests that need one (each copies it before changing anything).
 */
function goodSynth() {
  if (!synthesized) {
    const outdir = path.join(tempDir('workflows-app-'), 'out');
    const result = npmRunSynth(['--output', outdir], { CI: '1', TF_CLI_CONFIG_FILE: path.join(outdir, '..', 'no-such.tfrc') });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    synthesized = { outdir, result };
  }
  return synthesized;
}

describe('the app (main.ts)', () => {
  test('npm run synth, and main.ts as the CDKTF CLI runs it in another time zone, write byte-identical cdk.tf.json, zips and workflows manifest', () => {
    const first = goodSynth().outdir;
    const second = path.join(tempDir('workflows-app-'), 'out');
    // Zip entry times are local time: another time zone must not change a byte.
    const rerun = runApp(second, { TZ: 'Pacific/Auckland' });
    expect(rerun.stderr).toBe('');
    expect(rerun.status).toBe(0);
    const a = filesUnder(first);
    const b = filesUnder(second);
    // Each stack's workflows manifest is among them (the tools read it, so it too must not change
    // from one synth to the next), and each function it names has its zip: whatever you configured.
    const manifests = [...a.keys()].filter((file) => /^stacks[\\/][^\\/]+[\\/]workflows\.json$/.test(file));
    expect(manifests.length).toBeGreaterThan(0);
    for (const manifest of manifests) {
      const functions = (JSON.parse(a.get(manifest)!.toString()) as StackManifest).workflows.flatMap((workflow) => Object.values(workflow.functions));
      const zips = [...a.keys()].filter((file) => file.startsWith(path.join(path.dirname(manifest), 'assets')) && file.endsWith('.zip'));
      expect({ manifest, zips: zips.length }).toEqual({ manifest, zips: functions.length });
    }
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [file, bytes] of a) expect({ file, same: bytes.equals(b.get(file)!) }).toEqual({ file, same: true });
  });

  test('bad settings exit non-zero with each rule, a misspelled variable with the nearest name, and write nothing', () => {
    const outdir = path.join(tempDir('workflows-app-'), 'out');
    const result = runApp(outdir, { WORKFLOWS_MAX_GENERATIONS: 'lots', WORKFLOWS_REGION: 'mars', WORKFLOWS_REGOIN: 'eu-west-1' });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'Invalid configuration:\n' +
        '  - WORKFLOWS_REGOIN is not a setting; did you mean WORKFLOWS_REGION?\n' +
        '  - WORKFLOWS_REGION = "mars": must be an AWS region code such as us-east-1\n' +
        '  - WORKFLOWS_MAX_GENERATIONS = "lots": must be a whole number from 1 to 1000000\n',
    );
    expect(existsSync(outdir)).toBe(false);
  });

  test('a work entry without a handler fails synth with one line, exit 1, and writes nothing, leaving an earlier synth as it was', () => {
    const outdir = path.join(tempDir('workflows-app-'), 'out');
    cpSync(goodSynth().outdir, outdir, { recursive: true });
    const before = filesUnder(outdir);
    const result = runApp(outdir, { WORKFLOWS_WORK_ENTRY: '__tests__/fixtures/work/no-handler.ts' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^long-running-workflows\/continue-as-new\/work: \S+no-handler\.ts exports no `handler`\n$/);
    expect([...filesUnder(outdir).keys()].sort()).toEqual([...before.keys()].sort());
    expect(readdirSync(path.dirname(outdir))).toEqual(['out']);
  });
});

test("synth leaves in stacks/ exactly the stacks configured now: the one from before environments goes, a kept stack's Terraform files stay", () => {
  const outdir = path.join(tempDir('workflows-app-'), 'out');
  cpSync(goodSynth().outdir, outdir, { recursive: true });
  const stacks = path.join(outdir, 'stacks');
  // Stacks without workflows: what is checked is which directories are left.
  const context = (environments: object) => ({ CDKTF_CONTEXT_JSON: JSON.stringify({ jobs: {}, snapshotTargets: {}, environments }) });
  expect(runApp(outdir, context({ dev: {} })).status).toBe(0);
  expect(readdirSync(stacks)).toEqual(['long-running-workflows-dev']);
  mkdirSync(path.join(stacks, 'long-running-workflows-dev', '.terraform'));
  expect(runApp(outdir, context({ dev: {}, prod: {} })).status).toBe(0);
  expect(readdirSync(stacks).sort()).toEqual(['long-running-workflows-dev', 'long-running-workflows-prod']);
  expect(existsSync(path.join(stacks, 'long-running-workflows-dev', '.terraform'))).toBe(true);
});

test('npm run synth shows a configuration problem once and first, before the CDKTF CLI (which would print it twice) runs', () => {
  const result = npmRunSynth([], { WORKFLOWS_REGOIN: 'eu-west-1' });
  expect(result.status).toBe(1);
  const ours = result.stderr.split('\n').filter((line) => !line.startsWith('npm warn'));
  expect(ours.join('\n')).toBe('Invalid configuration:\n  - WORKFLOWS_REGOIN is not a setting; did you mean WORKFLOWS_REGION?\n');
  expect(result.stdout).toBe('');
  const noHandler = npmRunSynth([], { WORKFLOWS_WORK_ENTRY: '__tests__/fixtures/work/no-handler.ts' });
  expect(noHandler.status).toBe(1);
  expect(noHandler.stderr.split('\n').filter((line) => line && !line.startsWith('npm warn'))).toEqual([expect.stringMatching(/no-handler\.ts exports no `handler`$/)]);
});

test('npm run synth is quiet about a TF_CLI_CONFIG_FILE naming a missing file: synth needs no Terraform CLI configuration', () => {
  const { outdir, result } = goodSynth();
  expect(`${result.stdout}${result.stderr}`).not.toContain('Unable to open CLI configuration file');
  expect(result.stdout).toBe('Generated Terraform code for the stacks: long-running-workflows\n');
  expect(existsSync(path.join(outdir, 'stacks', 'long-running-workflows', 'cdk.tf.json'))).toBe(true);
});

test('git ignores what synth and Terraform write: outputs, state and its backups, working directories, plan files', () => {
  const written = [
    'cdktf.out/stacks/long-running-workflows/cdk.tf.json',
    'terraform.long-running-workflows.tfstate',
    'terraform.long-running-workflows.tfstate.backup',
    'terraform.long-running-workflows.tfstate.1700000000.backup',
    '.terraform/providers/x',
    'scratch/.terraform/terraform.tfstate',
    'tfplan',
    'review.tfplan',
  ];
  const ignored = execFileSync('git', ['check-ignore', ...written], { cwd: root, encoding: 'utf8' }).trim().split('\n');
  expect(ignored).toEqual(written);
});
