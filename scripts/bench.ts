import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadConfig, STACK_ID } from '../lib/config/config';
import { snapshotPollSchedule } from '../lib/kinds/rds-snapshot/settings';
import { benchOptions, recordResults } from './bench-options';
import { loopBudget, pollWaits, type BudgetDefinition } from '../lib/core/history-budget';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SFNClient } from '@aws-sdk/client-sfn';
import { bundleHandler } from '../lib/core/lambda-bundle';
import { FakeStepFunctionsEndpoint, type FakeExecution } from '../__tests__/support/fake-sfn-endpoint';
import { runs, type RunsDeps } from './runs';
import { loadBundledHandler } from '../simulator/bundled-handler';
import { runExecution } from '../simulator/run-execution';
import { loadStackArtifacts, SIMULATED_ARNS, type StateMachineDefinition } from '../simulator/stack-artifacts';
import { withSynthesizedStack } from '../simulator/synthesize';
import type { ContinueAsNewLocalRun } from '../lib/kinds/continue-as-new/local-run';
import { expressCost, PRICES, standardCost } from './orchestration-cost';
import { runContinueAsNewChain } from '../lib/kinds/continue-as-new/simulation';
import { runSnapshotWorkflow } from '../lib/kinds/rds-snapshot/simulation';
import { continueAsNewBudget } from '../lib/kinds/continue-as-new/definitions';

const HELP = `Measures synth, bundles, the test suite and the workflows' history, each figure the median
of --runs runs after a warm-up, beside its baseline measured in the same run. Prints a table;
with --write, also records it in bench/results.json (the README's performance table).

Usage: npm run bench -- [--runs <n>] [--skip-test] [--write]

  --runs <n>     measured runs per figure, after one warm-up (default: 5, at least 5)
  --skip-test    leave out the npm test timing: a fresh clone of HEAD, npm ci, then each run's
                 first npm test (no jest cache) and the next one (about ten minutes)
  --write        write the figures to bench/results.json; without it the tree is left as it was`;

const ROOT = path.join(__dirname, '..');
const CDKTF = path.join(ROOT, 'node_modules', '.bin', 'cdktf');
const TIME = '/usr/bin/time';
const HAS_GNU_TIME = spawnSync(TIME, ['-f', '%e', 'true']).status === 0;
const KIB = 1024;

interface Sample {
  readonly seconds: number;
  /** Peak resident memory of the process tree's largest process, in MB. */
  readonly peakMb?: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Runs a command to completion under GNU time (wall seconds and peak RSS). */
function timed(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Sample {
  const report = path.join(mkdtempSync(path.join(tmpdir(), 'bench-time-')), 'time');
  const started = process.hrtime.bigint();
  const result = HAS_GNU_TIME
    ? spawnSync(TIME, ['-f', '%e %M', '-o', report, command, ...args], { cwd, env: { ...process.env, ...env }, encoding: 'utf8' })
    : spawnSync(command, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  const peakKb = HAS_GNU_TIME ? Number(readFileSync(report, 'utf8').trim().split(/\s+/).pop()) : undefined;
  rmSync(path.dirname(report), { recursive: true, force: true });
  return { seconds, peakMb: peakKb === undefined ? undefined : peakKb / 1024 };
}

function repeat(runs: number, sample: () => Sample): Sample {
  sample();
  const samples = Array.from({ length: runs }, sample);
  const peaks = samples.flatMap((s) => (s.peakMb === undefined ? [] : [s.peakMb]));
  return { seconds: median(samples.map((s) => s.seconds)), peakMb: peaks.length ? median(peaks) : undefined };
}

function cdktfSynth(cwd: string): Sample {
  const out = mkdtempSync(path.join(tmpdir(), 'bench-synth-'));
  try {
    return timed(CDKTF, ['synth', '--output', out], cwd, { CHECKPOINT_DISABLE: '1', CI: '1' });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Milliseconds one fresh Node process takes for `require` of an SDK client, or to evaluate a bundle. */
function coldInitMs(mode: 'sdk' | 'bundle', target: string, env: Record<string, string> = {}, callHandler = false): number {
  const script = `
    const { createRequire } = require('node:module');
    const { performance } = require('node:perf_hooks');
    const requireAsRuntime = createRequire(${JSON.stringify(path.join(ROOT, 'package.json'))});
    const [mode, target] = process.argv.slice(1);
    let code;
    if (mode === 'bundle') {
      const { unzipSync, strFromU8 } = requireAsRuntime('fflate');
      code = strFromU8(unzipSync(require('node:fs').readFileSync(target))['index.js']);
    }
    const start = performance.now();
    const module = { exports: {} };
    if (mode === 'sdk') requireAsRuntime(target);
    else new Function('exports', 'require', 'module', code)(module.exports, requireAsRuntime, module);
    // With 'call', the first call's cost too (what a handler makes at its first call, not at init).
    Promise.resolve(process.argv[3] === 'call' ? module.exports.handler({}) : undefined).then(() => console.log(performance.now() - start));`;
  const result = spawnSync(process.execPath, ['-e', script, mode, target, callHandler ? 'call' : 'load'], { env: { ...process.env, NODE_NO_WARNINGS: '1', ...env }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`cold init of ${target} failed:\n${result.stderr}`);
  return Number(result.stdout.trim());
}

/**
 * Powertools' Logger as the handlers use it (lambdas/shared/call-log.ts), bundled alone: its zip,
 * and the milliseconds a fresh process takes to evaluate that bundle and write the first line.
 */
function loggerAlone(runs: number): { zipBytes: number; firstLineMs: number } {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-logger-'));
  try {
    const entry = path.join(dir, 'logger.ts');
    writeFileSync(entry, `import { callLogger } from ${JSON.stringify(path.join(ROOT, 'lambdas', 'shared', 'call-log'))};\nexport const handler = async () => { callLogger().info('bench'); };\n`);
    const zipPath = path.join(dir, 'logger.zip');
    writeFileSync(zipPath, bundleHandler(entry).zip);
    const firstLineMs = repeatMs(runs, () => coldInitMs('bundle', zipPath, { POWERTOOLS_LOG_LEVEL: 'SILENT' }, true));
    return { zipBytes: readFileSync(zipPath).length, firstLineMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function repeatMs(runs: number, measureOnce: () => number): number {
  measureOnce();
  return median(Array.from({ length: runs }, measureOnce));
}

interface Row {
  readonly figure: string;
  readonly value: string;
  readonly baseline: string;
  readonly ratio: string;
  readonly target: string;
  readonly met: boolean | undefined;
}

const fmt = (n: number, digits = 2) => n.toFixed(digits);

const git = (args: string[], cwd: string) => {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout.trim();
};

/**
 * `npm test` as a newcomer first runs it: in a fresh clone of this repository's HEAD (what is
 * committed), installed with `npm ci`, with no jest cache; and the next run in the same clone,
 * the cache warm. The clone is installed once: before each first run it is put back as `npm ci`
 * left it (nothing the tests wrote, node_modules/.cache with jest's cache removed).
 */
function freshCloneNpmTest(runs: number): { commit: string; firstRun: Sample; nextRun: Sample } {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-clone-'));
  try {
    const clone = path.join(dir, 'repo');
    git(['clone', '--quiet', ROOT, clone], ROOT);
    timed('npm', ['ci', '--silent', '--no-audit', '--no-fund'], clone);
    const asInstalled = () => {
      git(['clean', '-fdxq', '-e', 'node_modules'], clone);
      rmSync(path.join(clone, 'node_modules', '.cache'), { recursive: true, force: true });
    };
    const firstRun = repeat(runs, () => {
      asInstalled();
      return timed('npm', ['test', '--silent'], clone);
    });
    const nextRun = repeat(runs, () => timed('npm', ['test', '--silent'], clone));
    return { commit: git(['rev-parse', '--short', 'HEAD'], clone), firstRun, nextRun };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const options = benchOptions(process.argv.slice(2));
  if (options.help) {
    console.log(HELP);
    return;
  }
  const { runs } = options;
  const rows: Row[] = [];
  const results: Record<string, unknown> = { runs, node: process.version, date: new Date().toISOString() };
  const log = (text: string) => process.stderr.write(`${text}\n`);

  log(`cdktf synth: this app, the empty-app floor, the default way (${runs} runs + warm-up each)...`);
  const app = repeat(runs, () => cdktfSynth(ROOT));
  const floor = repeat(runs, () => cdktfSynth(path.join(ROOT, 'bench', 'fixtures', 'empty-app')));
  const defaultWay = repeat(runs, () => cdktfSynth(path.join(ROOT, 'bench', 'fixtures', 'default-way')));
  results.cdktfSynth = { app, floor, defaultWay };
  rows.push(
    { figure: 'cdktf synth wall (s)', value: fmt(app.seconds), baseline: `floor ${fmt(floor.seconds)}`, ratio: fmt(app.seconds / floor.seconds), target: '<= 1.3x floor', met: app.seconds <= 1.3 * floor.seconds },
    { figure: '', value: '', baseline: `default way ${fmt(defaultWay.seconds)}`, ratio: fmt(app.seconds / defaultWay.seconds), target: '', met: undefined },
  );
  if (app.peakMb && floor.peakMb && defaultWay.peakMb) {
    rows.push(
      { figure: 'cdktf synth peak memory (MB)', value: fmt(app.peakMb, 0), baseline: `floor ${fmt(floor.peakMb, 0)}`, ratio: fmt(app.peakMb / floor.peakMb), target: '<= 1.2x floor', met: app.peakMb <= 1.2 * floor.peakMb },
      { figure: '', value: '', baseline: `default way ${fmt(defaultWay.peakMb, 0)}`, ratio: fmt(app.peakMb / defaultWay.peakMb), target: '', met: undefined },
    );
  }

  log('the app alone and the empty app alone (node -r sucrase/register main.ts)...');
  const outdir = mkdtempSync(path.join(tmpdir(), 'bench-app-'));
  try {
    // The product's default configuration, whatever cdktf.json says.
    const appAlone = repeat(runs, () => timed(process.execPath, ['-r', 'sucrase/register', 'main.ts'], ROOT, { CDKTF_OUTDIR: outdir, CDKTF_CONTEXT_JSON: '{}' }));
    const emptyOutdir = path.join(outdir, 'empty-app');
    const emptyAlone = repeat(runs, () =>
      timed(process.execPath, ['-r', require.resolve('sucrase/register'), 'main.ts'], path.join(ROOT, 'bench', 'fixtures', 'empty-app'), { CDKTF_OUTDIR: emptyOutdir }),
    );
    // Configuration, five bundles and the constructs, on top of loading cdktf itself.
    rows.push({
      figure: 'app synth, no CLI (s)',
      value: fmt(appAlone.seconds),
      baseline: `empty app ${fmt(emptyAlone.seconds)}`,
      ratio: fmt(appAlone.seconds / emptyAlone.seconds),
      target: '<= 3x empty app',
      met: appAlone.seconds <= 3 * emptyAlone.seconds,
    });
    const scaleOutdir = path.join(outdir, 'scale');
    const scale = readFileSync(path.join(ROOT, 'bench', 'fixtures', 'scale.json'), 'utf8');
    const scaleAlone = repeat(runs, () => timed(process.execPath, ['-r', 'sucrase/register', 'main.ts'], ROOT, { CDKTF_OUTDIR: scaleOutdir, CDKTF_CONTEXT_JSON: scale }));
    results.appSynth = { app: appAlone, emptyApp: emptyAlone, twentyJobsTwentyTargets: scaleAlone };
    rows.push({
      figure: 'app synth, 20 jobs + 20 targets (s)',
      value: fmt(scaleAlone.seconds),
      baseline: `default ${fmt(appAlone.seconds)}`,
      ratio: fmt(scaleAlone.seconds / appAlone.seconds),
      target: '<= 1.5x default',
      met: scaleAlone.seconds <= 1.5 * appAlone.seconds,
    });

    log('Lambda zips and cold init...');
    const artifacts = loadStackArtifacts(path.join(outdir, 'stacks', 'long-running-workflows'));
    const stack = JSON.parse(readFileSync(path.join(outdir, 'stacks', 'long-running-workflows', 'cdk.tf.json'), 'utf8'));
    const sdkOf: Record<string, string | undefined> = { work: undefined, 'check-input': '@aws-sdk/client-sfn', restart: '@aws-sdk/client-sfn', 'create-snapshot': '@aws-sdk/client-rds', 'describe-snapshot': '@aws-sdk/client-rds', 'apply-retention': '@aws-sdk/client-rds' };
    const sdkFloor = new Map<string, number>();
    const bundles: Record<string, unknown> = {};
    // Every handler bundles Powertools' Logger for its one line per call: the floor each zip is
    // held to is that logger alone, bundled the way the handlers bundle it, and its first line
    // (made at a function's first call, not at init) is timed in a fresh process beside it.
    const logger = loggerAlone(runs);
    results.logger = logger;
    rows.push({ figure: 'logger alone: zip (KiB)', value: fmt(logger.zipBytes / KIB), baseline: '', ratio: '', target: '', met: undefined });
    // No target: a cost of logging at all, paid once per container at its first call, reported so it is seen.
    rows.push({ figure: 'logger alone: first line, cold (ms)', value: fmt(logger.firstLineMs), baseline: '', ratio: '', target: '', met: undefined });
    for (const fn of Object.values<Record<string, any>>(stack.resource.aws_lambda_function)) {
      const handler = path.basename(fn.filename, '.zip');
      const zipPath = path.join(outdir, 'stacks', 'long-running-workflows', fn.filename);
      const bytes = readFileSync(zipPath).length;
      const env = artifacts.functions.get(fn.function_name)?.environment ?? {};
      const init = repeatMs(runs, () => coldInitMs('bundle', zipPath, { ...env }));
      const sdk = sdkOf[handler];
      if (sdk && !sdkFloor.has(sdk)) sdkFloor.set(sdk, repeatMs(runs, () => coldInitMs('sdk', sdk)));
      const floorMs = sdk ? sdkFloor.get(sdk)! : undefined;
      bundles[handler] = { zipBytes: bytes, coldInitMs: init, sdk, sdkRequireMs: floorMs };
      const beyondLogger = bytes - logger.zipBytes;
      rows.push({ figure: `${handler} zip (KiB)`, value: fmt(bytes / KIB), baseline: `logger alone ${fmt(logger.zipBytes / KIB)}`, ratio: '', target: '< 4 KiB beyond it', met: beyondLogger < 4 * KIB });
      rows.push(
        floorMs === undefined
          ? { figure: `${handler} cold init (ms)`, value: fmt(init), baseline: 'no SDK', ratio: '', target: '< 5 ms', met: init < 5 }
          : { figure: `${handler} cold init (ms)`, value: fmt(init), baseline: `require ${sdk} ${fmt(floorMs)}`, ratio: fmt(init / floorMs), target: '<= 1.1x SDK', met: init <= 1.1 * floorMs },
      );
    }
    results.bundles = bundles;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }

  if (!options.skipTest) {
    log(`npm test on a fresh clone of HEAD: npm ci, then ${runs} first runs and ${runs} next runs, each after a warm-up...`);
    const { commit, firstRun, nextRun } = freshCloneNpmTest(runs);
    results.npmTest = { commit, freshCloneFirstRun: firstRun, nextRun };
    rows.push({
      figure: 'npm test wall, fresh clone, first run (s)',
      value: fmt(firstRun.seconds, 1),
      baseline: `next run ${fmt(nextRun.seconds, 1)}`,
      ratio: fmt(firstRun.seconds / nextRun.seconds),
      target: '<= 45 s',
      met: firstRun.seconds <= 45,
    });
  }

  log('history events and state transitions, from local executions...');
  const loop = await continueAsNewFigures();
  const polling = await pollingFigures();
  results.history = { continueAsNew: loop, rdsSnapshot: polling };
  const perIteration = (d: typeof loop.design) =>
    `${d.overheadEvents} events, ${d.overheadTransitions} transitions, ${d.extraInvocations} Lambda calls`;
  rows.push(
    { figure: 'continue-as-new loop overhead per iteration, beyond the work Task', value: perIteration(loop.design), baseline: `seed's loop ${perIteration(loop.seed)}`, ratio: fmt(loop.design.overheadEvents / loop.seed.overheadEvents), target: 'fewer events', met: loop.design.overheadEvents < loop.seed.overheadEvents },
    { figure: 'continue-as-new iterations per execution (history budget)', value: String(loop.design.iterationsPerExecution), baseline: `seed's loop ${loop.seed.iterationsPerExecution}`, ratio: fmt(loop.design.iterationsPerExecution / loop.seed.iterationsPerExecution), target: 'more', met: loop.design.iterationsPerExecution > loop.seed.iterationsPerExecution },
    { figure: 'rds-snapshot, per hour of snapshot time', value: `${polling.perHour.events} events, ${polling.perHour.transitions} transitions`, baseline: '', ratio: '', target: '', met: undefined },
  );

  log('npm run runs on a run at generation 1,000, against Step Functions over HTTP...');
  const operate = await runsFigures();
  results.runsAtGeneration1000 = operate;
  for (const [verb, calls] of Object.entries(operate)) {
    rows.push({ figure: `runs ${verb} of a run at generation 1,000 (Step Functions calls)`, value: String(calls), baseline: 'a walk over every generation 1001', ratio: fmt(calls / 1001, 3), target: '<= 25', met: calls <= 25 });
  }

  log('orchestration cost per million work calls, from the rendered definitions...');
  const costs = await costFigures();
  results.orchestrationCost = costs;
  for (const { callSeconds, standard, express } of costs.byCall) {
    const ratio = express.dollarsPerMillionCalls / standard.dollarsPerMillionCalls;
    rows.push({
      figure: `Step Functions $ per million work calls of ${callSeconds * 1000} ms, loop express (${express.callsPerBatch} calls a batch)`,
      value: fmt(express.dollarsPerMillionCalls),
      baseline: `loop standard ${fmt(standard.dollarsPerMillionCalls)}`,
      ratio: fmt(ratio, 3),
      target: callSeconds === 1 ? '<= 1/20 of standard' : '',
      met: callSeconds === 1 ? ratio <= 1 / 20 : undefined,
    });
  }

  const recorded = recordResults(results, { write: options.write });
  const header: Row = { figure: 'figure', value: 'this app', baseline: 'baseline', ratio: 'ratio', target: 'target', met: undefined };
  const cells = (row: Row) => [row.figure, row.value, row.baseline, row.ratio, row.target, row === header ? 'met' : row.met === undefined ? '' : row.met ? 'yes' : 'NO'];
  console.log([header, ...rows].map((row) => `| ${cells(row).join(' | ')} |`).join('\n').replace(/\n/, '\n|---|---|---|---|---|---|\n'));
  console.log(`\n(median of ${runs} runs after a warm-up; ${recorded})`);
}

/**
 * The Step Functions calls `npm run runs` makes for status, stop and resume of a job's run at
 * generation 1,000: the real SDK client against the fake Step Functions endpoint the tests use
 * (the API's shapes and errors over HTTP), a chain of 1,001 executions in it each time.
 */
async function runsFigures(): Promise<Record<'status' | 'stop' | 'resume', number>> {
  const fake = await new FakeStepFunctionsEndpoint().start();
  const saved = { ...process.env };
  Object.assign(process.env, { AWS_ENDPOINT_URL_SFN: fake.url, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_REGION: 'us-east-1' });
  const machine = 'arn:aws:states:us-east-1:123456789012:stateMachine:long-running-continue-as-new';
  const arnOf = (name: string) => `${machine.replace(':stateMachine:', ':execution:')}:${name}`;
  const deps: RunsDeps = { sfn: (region) => new SFNClient({ region }), lambda: (region) => new LambdaClient({ region }), readOutputs: () => ({}), readManifest: () => undefined, stacks: () => [], print: () => {} };
  const callsOf = async (verb: 'status' | 'stop' | 'resume', newest: Partial<FakeExecution>) => {
    fake.executions.clear();
    for (let g = 0; g <= 1000; g += 1) {
      const name = g === 0 ? 'long' : `long-g${g}`;
      const lineage = { rootExecutionArn: arnOf('long'), rootExecutionName: 'long', generation: g, parentExecutionArn: arnOf(g === 1 ? 'long' : `long-g${g - 1}`), parentStartTime: '2026-03-01T00:00:00.000Z' };
      const input = JSON.stringify(g === 0 ? { state: { next: 0 } } : { state: { next: g }, lineage });
      fake.add(machine, name, g === 1000 ? { input, ...newest } : { input, output: JSON.stringify({ successor: { executionArn: arnOf(`long-g${g + 1}`) } }) });
    }
    fake.clearCalls();
    const code = await runs([verb, 'continue-as-new', 'long', '--arn', machine], deps);
    if (code !== 0) throw new Error(`runs ${verb} exited ${code}`);
    return fake.calls.length;
  };
  try {
    return {
      status: await callsOf('status', { status: 'RUNNING' }),
      stop: await callsOf('stop', { status: 'RUNNING' }),
      resume: await callsOf('resume', { status: 'FAILED', error: 'LedgerLocked', redriveStatus: 'REDRIVABLE' }),
    };
  } finally {
    process.env = saved;
    await fake.stop();
  }
}

const SEED_LOOP = path.join(ROOT, 'bench', 'fixtures', 'seed-loop', 'continue-as-new.asl.json');
/** An example job of `calls` work calls. */
const jobOf = (calls: number) => ({ state: { next: 2, limit: 2 + calls * 100, batch: 100, primes: 0 } });

/**
 * The loop's own cost, from local runs that differ by ten iterations: this design (intrinsics
 * and a Choice around the work) and the seed's (a counting function and a Choice around it),
 * both calling the same bundled example work; and the iterations per execution the history
 * budget derives from each definition.
 */
async function continueAsNewFigures() {
  const [ten, twenty, work] = await withSynthesizedStack({ stackId: STACK_ID, config: loadConfig({}) }, async (artifacts) => [
    (await runContinueAsNewChain(artifacts, { input: jobOf(10) })).executions[0],
    (await runContinueAsNewChain(artifacts, { input: jobOf(20) })).executions[0],
    loadBundledHandler([...artifacts.functions.values()].find((fn) => fn.functionName.endsWith('-work'))!),
  ] as const);

  const seedDefinition = JSON.parse(readFileSync(SEED_LOOP, 'utf8')) as StateMachineDefinition & BudgetDefinition;
  const seedIterate = async (input: unknown) => {
    const { index, step, count } = input as { index: number; step: number; count: number };
    return { index: index + step, step, count, continue: index + step < count };
  };
  const seedRun = async (count: number) => {
    const definition = JSON.parse(JSON.stringify(seedDefinition));
    definition.States.ConfigureCount.Parameters.iterator.count = count;
    return runExecution({
      stateMachine: { name: 'seed-loop', arn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:seed-loop', definition },
      name: `seed-${count}`,
      input: jobOf(count),
      handlerFor: (state) => (state === 'Iterate' ? seedIterate : work),
    });
  };
  const [seedTen, seedTwenty] = [await seedRun(10), await seedRun(20)];

  const WORK_TASK = { events: 5, transitions: 1 };
  const figures = (a: { historyEvents: number; stateTransitions: number }, b: typeof a, invocations: number, iterationsPerExecution: number) => ({
    overheadEvents: (b.historyEvents - a.historyEvents) / 10 - WORK_TASK.events,
    overheadTransitions: (b.stateTransitions - a.stateTransitions) / 10 - WORK_TASK.transitions,
    extraInvocations: invocations - 1,
    iterationsPerExecution,
  });
  return {
    design: figures(ten, twenty, 1, continueAsNewBudget('integration').maxIterations),
    seed: figures(seedTen, seedTwenty, 2, loopBudget(seedDefinition).maxIterations),
  };
}

/** Difference between local runs that differ by one hour of polling at the cap. */
async function pollingFigures() {
  const config = loadConfig({});
  const waits = pollWaits(snapshotPollSchedule(config));
  const pollsWithin = (hours: number) => {
    let waited = 0;
    return waits.filter((wait) => (waited += wait) <= hours * 3600).length;
  };
  const snapshotRun = (hours: number) =>
    withSynthesizedStack({ stackId: STACK_ID, config }, async (artifacts) => (await runSnapshotWorkflow(artifacts, { statuses: [...Array(pollsWithin(hours)).fill('creating'), 'available'] })).execution);
  const [two, three] = [await snapshotRun(2), await snapshotRun(3)];
  return { perHour: { events: three.historyEvents - two.historyEvents, transitions: three.stateTransitions - two.stateTransitions } };
}

/** A default job in each loop mode, priced from its rendered definitions (scripts/orchestration-cost.ts has the prices and their source). */
async function costFigures() {
  const config = loadConfig({ WORKFLOWS_JOBS: '{"standard": {}, "express": {"loop": "express"}}', WORKFLOWS_SNAPSHOT_TARGETS: '{}' });
  return withSynthesizedStack({ stackId: STACK_ID, config }, async (artifacts) => {
    const { standard, express } = artifacts.stateMachines;
    const batch = artifacts.stateMachinesByArn.get(SIMULATED_ARNS.stateMachine(express.workflow.stateMachines.batch))!;
    const iterations = (loop: 'standard' | 'express') => (artifacts.stateMachines[loop].workflow.localRun as ContinueAsNewLocalRun).iterationsPerExecution;
    const byCall = [0.1, 1].map((callSeconds) => ({
      callSeconds,
      standard: standardCost(standard.definition as never, iterations('standard')),
      express: expressCost(express.definition as never, batch.definition as never, iterations('express'), callSeconds),
    }));
    return { prices: PRICES, byCall };
  });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
