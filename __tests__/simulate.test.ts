import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { WORKFLOWS_MANIFEST_FILE } from '../lib/core/workflow-manifest';
import { simulate as run } from '../scripts/simulate';
import { synthesize } from './support/synth';
import { tempDir } from './support/temp-dir';

const root = path.join(__dirname, '..');

/** Runs simulate in this process, as `npm run simulate -- <args>` would with these variables and, unless they say otherwise, an empty cdktf.json context. */
async function simulate(args: string[], variables: Record<string, string> = {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const env = { CDKTF_CONTEXT_JSON: '{}', ...variables };
  const status = await run(args, { env, print: (line) => stdout.push(`${line}\n`), printError: (line) => stderr.push(`${line}\n`) });
  return { status, stdout: stdout.join(''), stderr: stderr.join('') };
}

/** A run that succeeded quietly on stderr and printed each of `lines`. */
function expectPrinted(result: Awaited<ReturnType<typeof simulate>>, lines: readonly string[]): void {
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  for (const line of lines) expect(result.stdout).toContain(line);
}

describe('npm run simulate', () => {
  test('continue-as-new: each execution, the state it carried to its successor, and the final state', async () => {
    const result = await simulate(['--workflow', 'continue-as-new', '--iterations', '3', '--state', '{"next":2,"limit":1000,"batch":100,"primes":0}']);
    expectPrinted(result, [
      'continue-as-new: work lambdas/work.ts, restart with the integration, 3 work calls per execution',
      '  simulated-run-g1            3  Work\n',
      '    carried to simulated-run-g1: {"next":302,"limit":1000,"batch":100,"primes":62}\n',
      '    carried to simulated-run-g2: {"next":602,"limit":1000,"batch":100,"primes":110}\n',
      '  generation 3  simulated-run-g3: SUCCEEDED\n',
      '  done after 4 executions: {"next":1000,"limit":1000,"batch":100,"primes":168}\n',
    ]);
  });

  test('rds-snapshot: the snapshot id and each poll with its status', async () => {
    const result = await simulate(['--workflow', 'rds-snapshot', '--quiet', '--snapshot-minutes', '3']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^ {2}snapshot database-1-sfn-simulated-snapshot-[0-9a-f]{8}$/m);
    expect(result.stdout).toContain('  poll 1 after 1m 0s: creating\n  poll 2 after 3m 0s: available\n  retention: kept 1, deleted none\n  simulated-snapshot: SUCCEEDED\n');
  });

  test('rds-snapshot against an Aurora cluster, and the retention step with earlier snapshots and one made by hand', async () => {
    const env = { WORKFLOWS_SNAPSHOT_TARGETS: '{"database-1":{"type":"instance"},"analytics":{"type":"cluster"}}', WORKFLOWS_SNAPSHOT_KEEP_LAST: '3' };
    const result = await simulate(['--workflow', 'rds-snapshot', '--quiet', '--target', 'analytics', '--earlier-snapshots', '4', '--snapshot-minutes', '0'], env);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('rds-snapshot: snapshot of DB cluster analytics "creating" for 0 min (0 polls), then "available"\n');
    expect(result.stdout).toContain('  before: 4 earlier snapshots of this workflow, one a day, and analytics-by-hand made by hand (untagged)\n');
    expect(result.stdout).toContain('  retention: kept 3, deleted analytics-sfn-earlier-02, analytics-sfn-earlier-01\n');
  });

  test.each([
    // The last poll of the 720-minute schedule comes at 722 minutes: a snapshot ready by then is seen.
    ['722', false],
    ['723', true],
  ])('what it announces is what happens: "creating" for %s minutes, timing out: %s', async (minutes, timesOut) => {
    const result = await simulate(['--workflow', 'rds-snapshot', '--quiet', '--snapshot-minutes', minutes]);
    expect(result.stdout.includes('past the 720-minute maximum wait: polling will time out (SnapshotTimeout)')).toBe(timesOut);
    expect(result.stdout.includes('simulated-snapshot: FAILED SnapshotTimeout')).toBe(timesOut);
    expect(result.stdout.includes('simulated-snapshot: SUCCEEDED')).toBe(!timesOut);
    expect(result.status).toBe(timesOut ? 1 : 0);
  });

  test('--snapshot-fails ends the snapshot workflow FAILED with the status as cause, and simulate exits 1 naming it', async () => {
    const result = await simulate(['--workflow', 'rds-snapshot', '--quiet', '--snapshot-fails']);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('rds-snapshot: execution simulated-snapshot FAILED SnapshotFailed\n');
    expect(result.stdout).toMatch(/simulated-snapshot: FAILED SnapshotFailed: Snapshot \S+ of DB instance database-1 ended with status failed/);
  });

  test('reads the configuration synth reads: variables, cdktf.json context and its environments', async () => {
    const context = JSON.stringify({ environments: { dev: { snapshotMaxWaitMinutes: 30 }, prod: {} } });
    const env = { CDKTF_CONTEXT_JSON: context, WORKFLOWS_SNAPSHOT_TARGETS: '{"orders-db":{"type":"instance"}}' };
    const dev = await simulate(['--workflow', 'rds-snapshot', '--quiet', '--environment', 'dev', '--snapshot-minutes', '45'], env);
    expect(dev.stdout).toContain('past the 30-minute maximum wait: polling will time out');
    const prod = await simulate(['--workflow', 'rds-snapshot', '--quiet', '--environment', 'prod'], env);
    expect(prod.stdout).toContain('rds-snapshot: snapshot of DB instance orders-db "creating" for 10 min');
    expect(dev.stdout.split('\n')[0]).toBe(
      'environment dev: namePrefix long-running-dev, snapshotTargets {"orders-db":{"type":"instance"}}, snapshotMaxWaitMinutes 30, tags {"environment":"dev"}',
    );
    const unchosen = await simulate(['--workflow', 'rds-snapshot'], env);
    expect(unchosen.status).toBe(2);
    expect(unchosen.stderr).toContain('cdktf.json defines environments; choose one with --environment (dev, prod)');
  }, 20_000);

  test('every configured job by its name, in the environment chosen; no snapshot workflow when no target is configured', async () => {
    const context = JSON.stringify({ jobs: { 'sim-walk': {}, 'sim-backfill': { restartWith: 'function' } }, snapshotTargets: {}, environments: { dev: {}, prod: {} } });
    const env = { CDKTF_CONTEXT_JSON: context };
    for (const [job, mode] of [['sim-walk', 'integration'], ['sim-backfill', 'function']]) {
      const result = await simulate(['--workflow', job, '--quiet', '--environment', 'prod', '--iterations', '2', '--state', '{"next":2,"limit":500,"batch":100,"primes":0}'], env);
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain(`${job}: work lambdas/work.ts, restart with the ${mode}, 2 work calls per execution`);
      expect(result.stdout).toContain('  done after 3 executions: {"next":500,"limit":500,"batch":100,"primes":95}\n');
    }
    const snapshot = await simulate(['--workflow', 'rds-snapshot', '--environment', 'dev'], env);
    // Jobs and tasks you add in main.ts are in the stack too: this file's own ids are among them.
    expect(snapshot.stderr).toMatch(/^--workflow rds-snapshot: the stack's workflows are sim-walk, sim-backfill\b/);
  });

  test('a job with loop express: its batches per execution, the work calls inside them, the machine they ran on', async () => {
    const context = JSON.stringify({ jobs: { drain: { loop: 'express', batchCalls: 2 } }, snapshotTargets: {} });
    const result = await simulate(['--workflow', 'drain', '--quiet', '--iterations', '2', '--state', '{"next":2,"limit":700,"batch":100,"primes":0}'], { CDKTF_CONTEXT_JSON: context });
    expectPrinted(result, [
      'drain: work lambdas/work.ts, in batches on long-running-drain-batch (Express, up to 2 calls), restart with the integration, 2 batches per execution',
      '  generation 0  simulated-run: SUCCEEDED',
      '4 work calls in 2 batches\n',
      '  4 batches, each an execution of long-running-drain-batch (EXPRESS) started with arn:aws:states:::states:startExecution.sync:2\n',
      '  done after 2 executions: {"next":700,"limit":700,"batch":100,"primes":125}\n',
    ]);
  });

  test('a task of yours: each poll with its status, then the output; the example export task against an in-memory DynamoDB', async () => {
    const tasks = {
      'sim-orders': { startEntry: '__tests__/fixtures/task/start.ts', checkEntry: '__tests__/fixtures/task/check.ts' },
      'sim-export': {
        startEntry: 'lambdas/task/export-table-start.ts',
        checkEntry: 'lambdas/task/export-table-check.ts',
        environment: { EXPORT_TABLE_ARN: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders', EXPORT_BUCKET: 'acme-exports' },
      },
    };
    const env = { CDKTF_CONTEXT_JSON: JSON.stringify({ jobs: {}, snapshotTargets: {}, tasks }) };
    const mine = await simulate(['--workflow', 'sim-orders', '--quiet', '--input', '{"mode":"ok"}'], env);
    expect(mine.stderr).toBe('');
    expect(mine.stdout).toContain('  poll 1 after 1m 0s: running\n  poll 2 after 3m 0s: running\n  poll 3 after 7m 0s: succeeded\n  simulated-task: SUCCEEDED\n');
    expect(mine.stdout).toContain('  output: {"task":{"job":"simulated-task","mode":"ok","step":3},"result":{"rows":42},"input":{"mode":"ok"}}\n');
    const exported = await simulate(['--workflow', 'sim-export', '--quiet', '--export-polls', '1'], env);
    expect(exported.stdout).toContain('IN_PROGRESS for 1 checks, then COMPLETED\n  poll 1 after 1m 0s: running\n  poll 2 after 3m 0s: succeeded\n');
    const failed = await simulate(['--workflow', 'sim-export', '--quiet', '--export-fails'], env);
    expect(failed.stdout).toMatch(/simulated-task: FAILED TaskFailed: .*S3AccessDenied: Access Denied to the export bucket/);
    expect([failed.status, failed.stderr]).toEqual([1, 'sim-export: execution simulated-task FAILED TaskFailed\n']);
  });

  test('--help explains the flags', async () => {
    const result = await simulate(['--help']);
    expect(result.status).toBe(0);
    for (const flag of ['--workflow', '--environment', '--iterations', '--state', '--snapshot-minutes', '--snapshot-fails', '--quiet']) {
      expect(result.stdout).toContain(flag);
    }
  });

  test.each([
    [['--iterations', '-1'], '--iterations must be a whole number >= 1, got "-1"'],
    [['--snapshot-minutes', 'soon'], '--snapshot-minutes must be a whole number >= 0, got "soon"'],
    [['--workflow', 'other'], "--workflow other: the stack's workflows are continue-as-new, rds-snapshot"],
    [['--workflow', 'rds-snapshot', '--iterations', '3'], '--iterations applies to continue-as-new workflows, not rds-snapshot (rds-snapshot)'],
    [['--workflow', 'continue-as-new', '--snapshot-fails'], '--snapshot-fails applies to rds-snapshot workflows, not continue-as-new (continue-as-new)'],
    [['--iterations', '99999'], "--iterations 99999: job continue-as-new must be a whole number from 1 to"],
    [['--workflow', 'rds-snapshot', '--target', 'nope'], '--target nope is not a configured target: database-1'],
    [['--restarts', '-1'], '--restarts is gone: a chain runs until the work is done; --state sets the job'],
    [['--state', '{oops'], '--state must be JSON'],
    [['--environment', 'dev'], '--environment dev: cdktf.json defines no environments'],
    [['--bogus'], "Unknown option '--bogus'"],
  ])('%j is refused with a clear usage error before anything runs', async (args, message) => {
    const result = await simulate(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });

  test('runs what is deployed: the iterations configured, a work of yours from null, each call held to its function timeout in real time', async () => {
    const jobs = { 'sim-slow': { workEntry: '__tests__/fixtures/work/sleeps.ts', workTimeoutSeconds: 1, iterationsPerExecution: 7 } };
    const started = performance.now();
    const slow = await simulate(['--quiet'], { CDKTF_CONTEXT_JSON: JSON.stringify({ jobs, snapshotTargets: {} }) });
    const seconds = (performance.now() - started) / 1000;
    expect(slow.stdout).toContain('sim-slow: work __tests__/fixtures/work/sleeps.ts, restart with the integration, 7 work calls per execution (deployed: 7), state null\n');
    // 1.5 s of work against a 1 s timeout: every attempt (the Lambda retry policy's six) cut at 1 s, as Lambda cuts it.
    expect(slow.stdout).toContain('simulated-run: FAILED Sandbox.Timedout: Task timed out after 1.00 seconds\n');
    const ran = Number(/, waits 0s \(simulated\), ran (\d+\.\d)s \(real time\)/.exec(slow.stdout)?.[1]);
    expect(ran).toBeGreaterThanOrEqual(6);
    expect([slow.status, slow.stderr]).toEqual([1, 'sim-slow: execution simulated-run FAILED Sandbox.Timedout\n']);
    // Unheld, the six calls would have taken 9 s and succeeded.
    expect(seconds).toBeLessThan(20);
  }, 30_000);

  test('a work entry without a handler, or that requires an SDK client node_modules lacks, is one line and exit 2, before anything runs', async () => {
    const context = (workEntry: string) => ({ CDKTF_CONTEXT_JSON: JSON.stringify({ jobs: { 'sim-broken': { workEntry } }, snapshotTargets: {} }) });
    expect(await simulate(['--quiet'], context('__tests__/fixtures/work/no-handler.ts'))).toEqual({
      status: 2,
      stdout: '',
      stderr: `long-running-workflows/sim-broken/work: ${path.join(root, '__tests__/fixtures/work/no-handler.ts')} exports no \`handler\`\n`,
    });
    expect(await simulate(['--quiet'], context('__tests__/fixtures/work/needs-s3.ts'))).toEqual({
      status: 2,
      stdout: '',
      stderr: 'long-running-sim-broken-work requires @aws-sdk/client-s3, which the Lambda runtime provides and node_modules lacks: npm install --save-dev @aws-sdk/client-s3 to simulate it\n',
    });
  });

  test('a bad setting is reported as synth reports it', async () => {
    const result = await simulate(['--workflow', 'rds-snapshot'], { WORKFLOWS_REGON: 'x' });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('Invalid configuration:\n  - WORKFLOWS_REGON is not a setting; did you mean WORKFLOWS_REGION?\n');
  });
});

/** A stack synthesized once for these variables (the default stack without), then copied as a cdktf.out into a directory of its own: nothing of the project beside it. */
const synthesizedOuts = new Map<string, string>();
function copiedOut(variables: Record<string, string> = {}): string {
  const key = JSON.stringify(variables);
  if (!synthesizedOuts.has(key)) synthesizedOuts.set(key, path.dirname(path.dirname(synthesize(variables).fullSynth())));
  const copy = path.join(tempDir('workflows-from-'), 'cdktf.out');
  cpSync(synthesizedOuts.get(key)!, copy, { recursive: true });
  return copy;
}

describe('npm run simulate -- --from <dir>: what a synth wrote, without the app', () => {
  test("runs as a command every workflow of a cdktf.out copied anywhere, each state's line before what its handler prints, counts in words that fit them, in a process that loads neither main.ts, cdktf nor any lib/ module that builds constructs, whatever the configuration says", () => {
    const out = copiedOut({ WORKFLOWS_WORK_ENTRY: '__tests__/fixtures/work/chatty.ts', WORKFLOWS_ITERATIONS_PER_EXECUTION: '1' });
    const loadedFile = path.join(path.dirname(out), 'loaded-modules.txt');
    const result = spawnSync(
      process.execPath,
      ['-r', require.resolve('sucrase/register'), '-r', path.join(__dirname, 'support', 'loaded-modules.js'), path.join(root, 'scripts', 'simulate.ts'), '--from', 'cdktf.out'],
      {
        cwd: path.dirname(out),
        encoding: 'utf8',
        // A configuration synth would refuse: --from reads none.
        env: { PATH: process.env.PATH, NODE_NO_WARNINGS: '1', LOADED_MODULES_FILE: loadedFile, WORKFLOWS_REGOIN: 'eu-west-1', CDKTF_CONTEXT_JSON: '{"jobs":{"other":{}}}' },
      },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(`stack long-running-workflows from ${path.join('cdktf.out', 'stacks', 'long-running-workflows')}`);
    expect(lines).toContain('continue-as-new: work __tests__/fixtures/work/chatty.ts, restart with the integration, 1 work call per execution (deployed: 1), state null');
    expect(result.stdout).toContain('  simulated-run               3  Work\nchatty work at 0\n  simulated-run               4  Advance\n');
    expect(result.stdout).toContain(', 1 work call\n');
    expect(result.stdout).toContain('  done after 2 executions: 2\n');
    expect(lines).toContain('rds-snapshot: snapshot of DB instance database-1 "creating" for 10 min (3 polls), then "available"');
    expect(lines).toContain('  simulated-snapshot: SUCCEEDED');
    const loaded = readFileSync(loadedFile, 'utf8').split('\n');
    expect(loaded).toContain(path.join(root, 'lib', 'kinds', 'continue-as-new', 'local-run.ts'));
    // The app is main.ts and whatever in lib/ builds constructs: none of it, nor cdktf, may load.
    const app = loaded.filter(
      (file) =>
        file === path.join(root, 'main.ts') ||
        /[\\/]node_modules[\\/](cdktf|constructs|@cdktf)[\\/]/.test(file) ||
        (file.startsWith(path.join(root, 'lib') + path.sep) && /^import (?!type )[^;]*from '(cdktf|constructs|@cdktf\/[^']*)'/m.test(readFileSync(file, 'utf8'))),
    );
    expect(loaded.filter((file) => file.startsWith(path.join(root, 'lib', 'kinds')) && file.endsWith('local-run.ts'))).toHaveLength(3);
    expect(app).toEqual([]);
    // Nor a template of asl/: the definitions run are the rendered ones, and loading the kinds and
    // their settings works nothing out from the templates (the history budget is derived where a
    // definition is built, or when a message or the docs first ask for a limit).
    expect(loaded.filter((line) => line.startsWith('read '))).toEqual([]);
  });

  test('one stack directory, and a cdktf.out of several environments by --environment, as each manifest records it', async () => {
    const out = copiedOut();
    const stacks = path.join(out, 'stacks');
    for (const environment of ['dev', 'prod']) {
      const stackId = `long-running-workflows-${environment}`;
      cpSync(path.join(stacks, 'long-running-workflows'), path.join(stacks, stackId), { recursive: true });
      const manifestFile = path.join(stacks, stackId, WORKFLOWS_MANIFEST_FILE);
      writeFileSync(manifestFile, JSON.stringify({ ...JSON.parse(readFileSync(manifestFile, 'utf8')), stackId, environment }));
    }
    rmSync(path.join(stacks, 'long-running-workflows'), { recursive: true });
    const prod = await simulate(['--from', out, '--environment', 'prod', '--workflow', 'rds-snapshot', '--quiet']);
    expectPrinted(prod, [`stack long-running-workflows-prod (environment prod) from ${path.join(stacks, 'long-running-workflows-prod')}\n`, '  simulated-snapshot: SUCCEEDED\n']);
    const unchosen = await simulate(['--from', out, '--workflow', 'rds-snapshot']);
    expect([unchosen.status, unchosen.stderr.split('\n')[0]]).toEqual([2, `${out} holds the stacks of environments dev, prod; choose one with --environment`]);
    const single = await simulate(['--from', path.join(stacks, 'long-running-workflows-dev'), '--workflow', 'continue-as-new', '--quiet', '--state', '{"next":2,"limit":300,"batch":100,"primes":0}']);
    expectPrinted(single, ['  done after 1 execution: {"next":300,"limit":300,"batch":100,"primes":62}\n']);
  });

  test('--iterations, which re-synthesizes, is refused with --from: the artifacts are what they are', async () => {
    const result = await simulate(['--from', copiedOut(), '--iterations', '2']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--iterations re-synthesizes the stack, and --from runs a synthesized stack as it is: drop one of them');
    expect(result.stdout).toBe('');
  });

  test('a missing directory, or a stack directory without its workflows manifest, is one line and exit 2', async () => {
    const missing = path.join(tempDir('workflows-from-'), 'nothing-here');
    expect(await simulate(['--from', missing])).toEqual({ status: 2, stdout: '', stderr: `--from ${missing}: no such directory\n` });
    // A stack synthesized before synth wrote manifests: its cdk.tf.json, no workflows.json.
    const stackDir = path.join(copiedOut(), 'stacks', 'long-running-workflows');
    rmSync(path.join(stackDir, WORKFLOWS_MANIFEST_FILE));
    expect(await simulate(['--from', stackDir])).toEqual({
      status: 2,
      stdout: '',
      stderr: `--from ${stackDir} has no workflows.json and no stacks/ directory: give a cdktf.out directory written by npm run synth, or one of its stacks/<stack> directories\n`,
    });
    const out = path.dirname(path.dirname(stackDir));
    expect(await simulate(['--from', out])).toEqual({ status: 2, stdout: '', stderr: `--from ${out}: no stack under ${path.join(out, 'stacks')} has a workflows.json: synthesize it with npm run synth\n` });
  });

  test('a workflow of a kind this checkout does not know (synthesized by another) is one line and exit 2, before anything runs', async () => {
    const stackDir = path.join(copiedOut(), 'stacks', 'long-running-workflows');
    const manifestFile = path.join(stackDir, WORKFLOWS_MANIFEST_FILE);
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, workflows: [{ ...manifest.workflows[1], kind: 'rds-snapshots' }] }));
    expect(await simulate(['--from', stackDir])).toEqual({
      status: 2,
      stdout: `stack long-running-workflows from ${stackDir}\n`,
      stderr: 'rds-snapshot is of kind "rds-snapshots", which this checkout does not know (its kinds: continue-as-new, rds-snapshot, task): simulate it with the checkout that synthesized it\n',
    });
  });
});
