import { parseArgs } from 'node:util';
import { ConfigError, environmentProblem, loadConfig, loadStacks, readContext, type StackConfig } from '../lib/config/config';
import { JOB_DEFAULTS } from '../lib/kinds/continue-as-new/defaults';
import { pollWaits } from '../lib/core/history-budget';
import type { WorkflowsConfig } from '../lib/config/settings';
import type { WorkflowKindName } from '../lib/kinds';
import { DESCRIBE_SNAPSHOT_ENVIRONMENT } from '../lambdas/shared/handler-environments';
import { ownSnapshotPrefix, TAG_KEYS, type TargetType } from '../lambdas/rds-snapshot/snapshot-naming';
import { DEFAULT_JOB } from '../lambdas/work';
import type { ExistingSnapshot } from '../simulator/fake-aws';
import { FakeDynamoDb } from '../simulator/fake-dynamodb';
import type { ExecutionResult } from '../simulator/run-execution';
import { deployedPollSchedule, type DeployedStateMachine, type StackArtifacts } from '../simulator/stack-artifacts';
import { withSynthesizedStack } from '../simulator/synthesize';
import { runContinueAsNewChain, runSnapshotWorkflow, runTaskWorkflow, type HandlerWrapper } from '../simulator/workflows';
import { continueAsNewBudget } from '../lib/kinds/continue-as-new/definitions';
import { iterationsProblem } from '../lib/kinds/continue-as-new/definitions';

const HELP = `Runs the workflows locally: the rendered definitions and the bundled handlers of a fresh synth,
in aws-local-stepfunctions, against in-memory RDS, DynamoDB and Step Functions. No AWS account.
Settings come from the same places as for synth: WORKFLOWS_* variables and cdktf.json context.

Usage: npm run simulate -- [options]

  --workflow <id>            one workflow of the stack, by id: a job (continue-as-new, or a name
                             under jobs), a task (a name under tasks), rds-snapshot, or one added
                             in code (default: every one)
  --environment <name>       the environment of cdktf.json to simulate (required when it has environments)
  --quiet                    print the summaries, not each state
  --help                     show this help

jobs (continue-as-new):
  --iterations <n>           work calls (batches, for a job with loop express) per execution, so a
                             short job spans several executions (default: 4 for configured jobs;
                             a job added in code keeps its own)
  --state <json>             the input state (default for the example work: {"next":2,"limit":20000,"batch":1000,"primes":0})

tasks:
  --input <json>             the execution's input (default: {})
  --export-polls <n>         the example export task: checks that find the export IN_PROGRESS before it ends (default: 2)
  --export-fails             the example export task: the export ends FAILED instead of COMPLETED

rds-snapshot:
  --target <identifier>      the configured DB instance or cluster to snapshot (default: the first)
  --snapshot-minutes <n>     how long the snapshot stays "creating" (default: 10)
  --snapshot-fails           the snapshot ends "failed" instead of "available"
  --earlier-snapshots <n>    this workflow made n snapshots of the target before, one a day, and
                             someone made one by hand: shows what the retention deletes (default: 0)`;

class UsageError extends Error {}

/** Where simulate reads its settings and writes its lines: the process's, or a test's. */
export interface SimulateIo {
  readonly env: NodeJS.ProcessEnv;
  readonly print: (line: string) => void;
  readonly printError: (line: string) => void;
}

const FLAGS_OF: Record<WorkflowKindName, readonly string[]> = {
  'continue-as-new': ['iterations', 'state'],
  'rds-snapshot': ['target', 'snapshot-minutes', 'snapshot-fails', 'earlier-snapshots'],
  task: ['input', 'export-polls', 'export-fails'],
};
/**
 * The example export task, configured or added in code, is known by the table its start
 * function is deployed to export: simulate answers its DynamoDB calls in memory.
 */
const isExportExample = (artifacts: StackArtifacts, machine: DeployedStateMachine) => artifacts.functions.get(`${machine.name}-start`)?.environment.EXPORT_TABLE_ARN !== undefined;
const RETIRED: Record<string, string> = {
  '--threshold': '--threshold is gone: use --iterations (work calls per execution)',
  '--restarts': '--restarts is gone: a chain runs until the work is done; --state sets the job',
};
const DEFAULT_ITERATIONS = 4;
const EXAMPLE_STATE = { ...DEFAULT_JOB, limit: 20_000, batch: 1000 };
/** The options that take a value. */
const STRING_OPTIONS = ['workflow', 'environment', 'iterations', 'state', 'target', 'snapshot-minutes', 'earlier-snapshots', 'input', 'export-polls'];

interface Options {
  /** One workflow's id; all of them when absent. */
  readonly workflow?: string;
  readonly environment?: string;
  readonly iterations: number;
  readonly state?: unknown;
  readonly target?: string;
  readonly snapshotMinutes: number;
  readonly snapshotFails: boolean;
  readonly earlierSnapshots: number;
  readonly input?: unknown;
  readonly exportPolls: number;
  readonly exportFails: boolean;
  readonly quiet: boolean;
}

function wholeNumber(flag: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min) throw new UsageError(`--${flag} must be a whole number >= ${min}, got "${raw}"`);
  return Number(raw);
}

/** `--iterations -1` would read as two flags: the value is joined to its flag, so the rule can refuse it. */
function joinNegativeValues(argv: readonly string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i].startsWith('--') && STRING_OPTIONS.includes(argv[i].slice(2)) && /^-\d/.test(argv[i + 1] ?? '')) {
      joined.push(`${argv[i]}=${argv[i + 1]}`);
      i += 1;
    } else {
      joined.push(argv[i]);
    }
  }
  return joined;
}

function parseOptions(argv: string[]): Options | undefined {
  const retired = argv.find((arg) => arg.split('=')[0] in RETIRED);
  if (retired) throw new UsageError(RETIRED[retired.split('=')[0]]);
  let values;
  try {
    values = parseArgs({
      args: joinNegativeValues(argv),
      options: {
        workflow: { type: 'string' },
        environment: { type: 'string' },
        iterations: { type: 'string' },
        state: { type: 'string' },
        target: { type: 'string' },
        'snapshot-minutes': { type: 'string' },
        'earlier-snapshots': { type: 'string' },
        'snapshot-fails': { type: 'boolean' },
        input: { type: 'string' },
        'export-polls': { type: 'string' },
        'export-fails': { type: 'boolean' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return undefined;
  const jsonFlag = (flag: string, raw: string | undefined): unknown => {
    if (raw === undefined) return undefined;
    try {
      return JSON.parse(raw);
    } catch (error) {
      throw new UsageError(`--${flag} must be JSON: ${(error as Error).message}`);
    }
  };
  const state = jsonFlag('state', values.state);
  return {
    workflow: values.workflow,
    environment: values.environment,
    iterations: wholeNumber('iterations', values.iterations, DEFAULT_ITERATIONS, 1),
    state,
    target: values.target,
    snapshotMinutes: wholeNumber('snapshot-minutes', values['snapshot-minutes'], 10, 0),
    earlierSnapshots: wholeNumber('earlier-snapshots', values['earlier-snapshots'], 0, 0),
    snapshotFails: values['snapshot-fails'] === true,
    input: jsonFlag('input', values.input),
    exportPolls: wholeNumber('export-polls', values['export-polls'], 2, 0),
    exportFails: values['export-fails'] === true,
    quiet: values.quiet === true,
  };
}

/** The stack synth would write for the chosen environment (or the only one). */
function stackFor(options: Options, env: NodeJS.ProcessEnv): StackConfig {
  const stacks = loadStacks(env, readContext(env));
  const problem = environmentProblem(
    stacks.flatMap((stack) => (stack.environment === undefined ? [] : [stack.environment])),
    options.environment,
  );
  if (problem) throw new UsageError(problem);
  return stacks.find((stack) => stack.environment === options.environment)!;
}

/** The workflows to run, checked against the stack's and the kind-specific flags given. */
function chosenWorkflows(artifacts: StackArtifacts, options: Options, flagsGiven: readonly string[]): DeployedStateMachine[] {
  const all = Object.values(artifacts.stateMachines);
  if (all.length === 0) throw new UsageError('the stack has no workflows: configure jobs or snapshotTargets, or add one in main.ts');
  const chosen = options.workflow === undefined ? all : all.filter((machine) => machine.workflowId === options.workflow);
  if (chosen.length === 0) throw new UsageError(`--workflow ${options.workflow}: the stack's workflows are ${all.map((machine) => machine.workflowId).join(', ')}`);
  for (const [kind, flags] of Object.entries(FLAGS_OF)) {
    const misplaced = flags.find((flag) => flagsGiven.includes(flag));
    if (misplaced && !chosen.some((machine) => machine.kind === kind)) {
      throw new UsageError(`--${misplaced} applies to ${kind} workflows, not ${chosen.map((machine) => `${machine.workflowId} (${machine.kind})`).join(', ')}`);
    }
  }
  return chosen;
}

function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h ? `${h}h` : '', m ? `${m}m` : '', `${s}s`].filter(Boolean).join(' ');
}

function summary(execution: ExecutionResult): string {
  const outcome = execution.status === 'SUCCEEDED' ? 'SUCCEEDED' : `FAILED ${execution.error}: ${execution.cause}`;
  return `${execution.name}: ${outcome}\n    ${execution.states.length} states, ${execution.historyEvents} history events, ${execution.stateTransitions} state transitions, simulated duration ${duration(execution.simulatedSeconds)}`;
}

function printStates(quiet: boolean, print: SimulateIo['print']) {
  if (quiet) return undefined;
  let step = 0;
  let current = '';
  return (execution: string, state: string) => {
    step = execution === current ? step + 1 : 1;
    current = execution;
    print(`  ${execution.padEnd(24)} ${String(step).padStart(4)}  ${state}`);
  };
}

/** "1 execution", "4 executions"; "1 batch", "2 batches" with the plural given. */
const count = (n: number, noun: string, plural = `${noun}s`) => `${n} ${n === 1 ? noun : plural}`;
const batchCount = (n: number) => count(n, 'batch', 'batches');

/** What a local run works with: the stack, the workflow, the configuration as simulated and as deployed (before --iterations). */
interface RunContext {
  readonly artifacts: StackArtifacts;
  readonly machine: DeployedStateMachine;
  readonly config: WorkflowsConfig;
  readonly deployed: WorkflowsConfig;
  readonly options: Options;
  readonly print: SimulateIo['print'];
}

/** How simulate runs one workflow of a kind: what it prints, and the executions it ran. */
type LocalRun = (context: RunContext) => Promise<readonly ExecutionResult[]>;

const continueAsNew: LocalRun = async ({ artifacts, machine, config, deployed, options, print }) => {
  const job = config.jobs[machine.workflowId];
  const exampleWork = job === undefined || job.workEntry === JOB_DEFAULTS.workEntry;
  const state = options.state !== undefined ? options.state : exampleWork ? EXAMPLE_STATE : null;
  const express = job?.loop === 'express';
  const [unit, units] = express ? ['batch', 'batches'] : ['work call', 'work calls'];
  const loop = express ? `, in batches on ${machine.name}-batch (Express, ${job.batchCalls === undefined ? 'no call cap' : `up to ${count(job.batchCalls, 'call')}`})` : '';
  const setUp = job
    ? `work ${job.workEntry}${loop}, restart with the ${job.restartWith}, ${count(options.iterations, unit, units)} per execution (deployed: ${deployedIterations(deployed, machine.workflowId)})`
    : 'added in code, run as deployed';
  print(`${machine.workflowId}: ${setUp}, state ${JSON.stringify(state)}`);
  const chain = await runContinueAsNewChain(artifacts, { workflowId: machine.workflowId, input: { state }, onState: printStates(options.quiet, print) });
  for (const [generation, execution] of chain.executions.entries()) {
    const batches = chain.batches.filter((batch) => batch.startedBy === execution.arn);
    const workCalls = (batches.length > 0 ? batches.map((batch) => batch.execution) : [execution]).flatMap((e) => e.states).filter((s) => s === 'Work').length;
    const inBatches = batches.length > 0 ? ` in ${batchCount(batches.length)}` : '';
    print(`  generation ${generation}  ${summary(execution)}, ${count(workCalls, 'work call')}${inBatches}`);
    const successor = chain.started.find((e) => (e.input as { lineage?: { parentExecutionArn?: string } }).lineage?.parentExecutionArn === execution.arn);
    if (successor) print(`    carried to ${successor.name}: ${JSON.stringify((successor.input as { state: unknown }).state)}`);
  }
  const [batch] = chain.batches;
  if (batch) {
    print(`  ${batchCount(chain.batches.length)}, each an execution of ${batch.stateMachine.name} (${batch.stateMachine.type}) started with ${batch.startedWith}`);
  }
  const last = chain.executions.at(-1);
  if (last?.status === 'SUCCEEDED') print(`  done after ${count(chain.executions.length, 'execution')}: ${JSON.stringify((last.output as { state: unknown }).state)}`);
  return chain.executions;
};

/** Every configured job with `iterations` work calls per execution, so a short job spans several executions. */
function withIterations(config: WorkflowsConfig, iterations: number): WorkflowsConfig {
  const jobs = Object.entries(config.jobs).map(([name, job]) => {
    const problem = iterationsProblem(iterations, job.restartWith, job.loop);
    if (problem) throw new UsageError(`--iterations ${iterations}: job ${name} ${problem}`);
    return [name, { ...job, iterationsPerExecution: iterations }];
  });
  return { ...config, jobs: Object.fromEntries(jobs) };
}

/** Snapshots this workflow made of the target before, one a day, the oldest first; and one someone else made, untagged. */
function earlierSnapshots(target: string, kind: TargetType, createdBy: string, count: number): ExistingSnapshot[] {
  const ours = Array.from({ length: count }, (_, i) => ({
    identifier: `${ownSnapshotPrefix(target)}earlier-${String(i + 1).padStart(2, '0')}`,
    target,
    kind,
    ageDays: count - i,
    tags: { [TAG_KEYS.createdBy]: createdBy, [TAG_KEYS.target]: target },
  }));
  return count === 0 ? [] : [...ours, { identifier: `${target}-by-hand`, target, kind, ageDays: count + 1 }];
}

/** The configured target to snapshot: --target's, or the first. */
/** The targets a snapshot workflow was deployed with (its functions' environment), configured or added in code. */
function deployedTargets(artifacts: StackArtifacts, machine: DeployedStateMachine): Readonly<Record<string, TargetType>> {
  const environment = artifacts.functions.get(`${machine.name}-create`)?.environment ?? {};
  return DESCRIBE_SNAPSHOT_ENVIRONMENT.read(environment).snapshotTargets;
}

/** The target to snapshot: --target's, or the first the workflow has. */
function targetOf(targets: Readonly<Record<string, TargetType>>, options: Options): { target: string; kind: TargetType } {
  const target = options.target ?? Object.keys(targets)[0];
  const kind = Object.prototype.hasOwnProperty.call(targets, target) ? targets[target] : undefined;
  if (!kind) throw new UsageError(`--target ${target} is not a configured target: ${Object.keys(targets).join(', ')}`);
  return { target, kind };
}

const rdsSnapshot: LocalRun = async ({ artifacts, machine, options, print }) => {
  const deployed = deployedTargets(artifacts, machine);
  const targets = Object.keys(deployed);
  const { target, kind } = targetOf(deployed, options);
  const schedule = deployedPollSchedule(machine.definition);
  const waits = pollWaits(schedule);
  let waited = 0;
  let creatingPolls = 0;
  while (creatingPolls < waits.length && waited + waits[creatingPolls] < options.snapshotMinutes * 60) waited += waits[creatingPolls++];
  const end = options.snapshotFails ? 'failed' : 'available';
  const timesOut = creatingPolls === waits.length;
  print(
    timesOut
      ? `${machine.workflowId}: the snapshot of DB ${kind} ${target} stays "creating" for ${options.snapshotMinutes} min, past the ${schedule.maxWaitSeconds / 60}-minute maximum wait: polling will time out (SnapshotTimeout)`
      : `${machine.workflowId}: snapshot of DB ${kind} ${target} "creating" for ${options.snapshotMinutes} min (${creatingPolls} polls), then "${end}"`,
  );
  const existing = earlierSnapshots(target, kind, machine.name, options.earlierSnapshots);
  if (existing.length > 0) {
    print(`  before: ${existing.length - 1} earlier snapshots of this workflow, one a day, and ${existing.at(-1)!.identifier} made by hand (untagged)`);
  }
  let polls = 0;
  let elapsed = 0;
  const report: HandlerWrapper = (state, handler) =>
    !['CreateSnapshot', 'DescribeSnapshot', 'ApplyRetention'].includes(state)
      ? handler
      : async (input) => {
          const result = (await handler(input)) as { snapshotIdentifier: string; status?: string; deleted?: string[]; kept?: number };
          if (state === 'CreateSnapshot') print(`  snapshot ${result.snapshotIdentifier}`);
          if (state === 'DescribeSnapshot') {
            elapsed += waits[polls];
            polls += 1;
            print(`  poll ${polls} after ${duration(elapsed)}: ${result.status}`);
          }
          if (state === 'ApplyRetention') print(`  retention: kept ${result.kept}, deleted ${result.deleted?.length ? result.deleted.join(', ') : 'none'}`);
          return result;
        };
  const { execution } = await runSnapshotWorkflow(artifacts, {
    workflowId: machine.workflowId,
    input: { target },
    statuses: [...Array(creatingPolls).fill('creating'), end],
    instances: targets.filter((t) => deployed[t] === 'instance'),
    clusters: targets.filter((t) => deployed[t] === 'cluster'),
    existing,
    onState: printStates(options.quiet, print),
    wrapHandler: report,
  });
  print(`  ${summary(execution)}`);
  return [execution];
};

const task: LocalRun = async ({ artifacts, machine, config, options, print }) => {
  const configured = config.tasks[machine.workflowId];
  const input = options.input ?? {};
  const setUp = configured ? `start ${configured.startEntry}, check ${configured.checkEntry}` : 'added in code';
  print(`${machine.workflowId}: ${setUp}, input ${JSON.stringify(input)}`);
  const report: HandlerWrapper = (state, handler) =>
    state !== 'CheckTask'
      ? handler
      : async (event) => {
          const { poll, waitedSeconds } = event as { poll: number; waitedSeconds: number };
          const result = (await handler(event).catch((error: Error) => {
            print(`  poll ${poll} after ${duration(waitedSeconds)}: ${error.name}`);
            throw error;
          })) as { status: string };
          print(`  poll ${poll} after ${duration(waitedSeconds)}: ${result.status}`);
          return result;
        };
  const dynamodb = isExportExample(artifacts, machine) ? exportExample(artifacts, machine, options, print) : undefined;
  try {
    const execution = await runTaskWorkflow(artifacts, { workflowId: machine.workflowId, input, onState: printStates(options.quiet, print), wrapHandler: report });
    print(`  ${summary(execution)}`);
    if (execution.status === 'SUCCEEDED') print(`  output: ${JSON.stringify(execution.output)}`);
    return [execution];
  } finally {
    dynamodb?.restore();
  }
};

/** The example export task's DynamoDB, in memory: its table exists, and the export runs for --export-polls checks. */
function exportExample(artifacts: StackArtifacts, machine: DeployedStateMachine, options: Options, print: SimulateIo['print']): FakeDynamoDb {
  const tableArn = artifacts.functions.get(`${machine.name}-start`)?.environment.EXPORT_TABLE_ARN;
  const end = options.exportFails ? 'FAILED' : 'COMPLETED';
  print(`  the example export of ${tableArn ?? 'its table'}, against an in-memory DynamoDB: IN_PROGRESS for ${options.exportPolls} checks, then ${end}`);
  return new FakeDynamoDb({
    tables: tableArn ? [{ arn: tableArn, itemCount: 1200 }] : [],
    statuses: [...Array<'IN_PROGRESS'>(options.exportPolls).fill('IN_PROGRESS'), end],
    failure: { code: 'S3AccessDenied', message: 'Access Denied to the export bucket' },
  });
}

/** How simulate runs each kind of workflow. */
const RUNS: Record<WorkflowKindName, LocalRun> = { 'continue-as-new': continueAsNew, 'rds-snapshot': rdsSnapshot, task };

/** The deployed iterations per execution of a job: its own setting, or the budget's most for its restart mode. */
function deployedIterations(config: WorkflowsConfig, job: string): number {
  const settings = config.jobs[job];
  return settings.iterationsPerExecution ?? continueAsNewBudget(settings.restartWith, settings.loop).maxIterations;
}

/** The name prefix and every setting that differs from the defaults, as one line. */
function settingsLine(config: WorkflowsConfig): string {
  const defaults = loadConfig({}, {}) as unknown as Record<string, unknown>;
  const changed = Object.entries(config as unknown as Record<string, unknown>)
    .filter(([key, value]) => key !== 'namePrefix' && JSON.stringify(value) !== JSON.stringify(defaults[key]))
    .map(([key, value]) => `${key} ${JSON.stringify(value)}`);
  return [`namePrefix ${config.namePrefix}`, ...changed].join(', ');
}

/** Runs the simulation the arguments ask for; returns the exit code: 1 when an execution failed, 2 for a usage or configuration problem. */
export async function simulate(argv: string[], io: SimulateIo): Promise<number> {
  try {
    const options = parseOptions(argv);
    if (!options) {
      io.print(HELP);
      return 0;
    }
    const stack = stackFor(options, io.env);
    const config = withIterations(stack.config, options.iterations);
    const flagsGiven = argv.filter((arg) => arg.startsWith('--')).map((arg) => arg.slice(2).split('=')[0]);
    if (stack.environment !== undefined) io.print(`environment ${stack.environment}: ${settingsLine(stack.config)}`);
    const failed = await withSynthesizedStack({ ...stack, config }, async (artifacts) => {
      const chosen = chosenWorkflows(artifacts, options, flagsGiven);
      for (const machine of chosen.filter((candidate) => candidate.kind === 'rds-snapshot')) targetOf(deployedTargets(artifacts, machine), options);
      const ended: { workflow: string; execution: ExecutionResult }[] = [];
      for (const machine of chosen) {
        const executions = await RUNS[machine.kind]({ artifacts, machine, config, deployed: stack.config, options, print: io.print });
        ended.push(...executions.map((execution) => ({ workflow: machine.workflowId, execution })));
      }
      return ended.filter(({ execution }) => execution.status !== 'SUCCEEDED');
    });
    for (const { workflow, execution } of failed) io.printError(`${workflow}: execution ${execution.name} FAILED ${execution.error}`);
    return failed.length > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof UsageError) io.printError(`${error.message}\n\nRun with --help for the options.`);
    else if (error instanceof ConfigError) io.printError(error.message);
    else throw error;
    return 2;
  }
}

if (require.main === module) {
  simulate(process.argv.slice(2), { env: process.env, print: (line) => console.log(line), printError: (line) => console.error(line) }).then((code) => process.exit(code));
}
