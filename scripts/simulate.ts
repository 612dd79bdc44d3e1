import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { StackConfig } from '../lib/config/config';
import { WORKFLOW_KINDS } from '../lib/kinds';
import { isConstructProblem } from '../lib/core/validation-error';
import { WORKFLOWS_MANIFEST_FILE } from '../lib/core/workflow-manifest';
import { missingRuntimePackages } from '../simulator/bundled-handler';
import type { ExecutionResult } from '../simulator/run-execution';
import { loadStackArtifacts, readStackManifest, StackArtifactsError, type DeployedStateMachine, type StackArtifacts } from '../simulator/stack-artifacts';
import { UsageError, type FlagValues, type LocalRun } from '../simulator/local-run';

// Nothing above loads the app (main.ts, lib/ constructs, cdktf, the configuration): with --from, simulate runs what
// a synth wrote. Without it, simulate synthesizes first, loading them then (synthesizedStacks).

/** Each kind's local run and flags, from its descriptor. */
const LOCAL_RUNS: Readonly<Record<string, LocalRun<any>>> = Object.fromEntries(WORKFLOW_KINDS.map((kind) => [kind.name, kind.localRun()]));

const HELP = `Runs the workflows locally: the rendered definitions and the bundled handlers of a
synthesized stack, in aws-local-stepfunctions, against in-memory RDS, DynamoDB and Step Functions.
No AWS account. Without --from, a fresh synth, with the settings synth reads: WORKFLOWS_*
variables and cdktf.json context.

Usage: npm run simulate -- [options]

  --from <dir>               run what a synth wrote, as it is: a cdktf.out directory (the stack
                             chosen with --environment) or one of its stacks/<stack> directories;
                             the app and its configuration are not read
  --workflow <id>            one workflow of the stack, by the id its workflows.json gives it: a
                             configured job or task by its name, or one added in code (default:
                             every one)
  --environment <name>       the environment of cdktf.json to simulate (required when it has environments)
  --quiet                    print the summaries, not each state
  --help                     show this help

${Object.values(LOCAL_RUNS)
  .map((kind) => kind.flags.help)
  .join('\n\n')}`;

/** A configuration or synthesized stack simulate cannot read: its own message, exit 2. */
class InputProblem extends Error {}

/** Where simulate reads its settings and writes its lines: the process's, or a test's. */
export interface SimulateIo {
  readonly env: NodeJS.ProcessEnv;
  readonly print: (line: string) => void;
  readonly printError: (line: string) => void;
}

const RETIRED: Record<string, string> = {
  '--threshold': '--threshold is gone: use --iterations (work calls per execution)',
  '--restarts': '--restarts is gone: a chain runs until the work is done; --state sets the job',
};
const GENERIC_OPTIONS = {
  from: { type: 'string' },
  workflow: { type: 'string' },
  environment: { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;
const KIND_OPTIONS = Object.assign({}, ...Object.values(LOCAL_RUNS).map((kind) => kind.flags.options)) as Record<string, { type: 'string' | 'boolean' }>;
/** The options that take a value. */
const STRING_OPTIONS = Object.entries({ ...GENERIC_OPTIONS, ...KIND_OPTIONS }).flatMap(([name, option]) => (option.type === 'string' ? [name] : []));

interface Options {
  /** A synthesized cdktf.out or stack directory to run; absent, simulate synthesizes. */
  readonly from?: string;
  /** One workflow's id; all of them when absent. */
  readonly workflow?: string;
  readonly environment?: string;
  readonly quiet: boolean;
  /** Each kind's options, as its flags read them. */
  readonly byKind: Readonly<Record<string, unknown>>;
  /** The flags given, by name. */
  readonly given: readonly string[];
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
  let values: FlagValues;
  try {
    values = parseArgs({ args: joinNegativeValues(argv), options: { ...GENERIC_OPTIONS, ...KIND_OPTIONS }, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return undefined;
  const byKind = Object.fromEntries(Object.entries(LOCAL_RUNS).map(([kind, run]) => [kind, run.flags.read(values)])) as Record<string, unknown>;
  return {
    from: values.from as string | undefined,
    workflow: values.workflow as string | undefined,
    environment: values.environment as string | undefined,
    quiet: values.quiet === true,
    byKind,
    given: Object.keys(values).filter((flag) => values[flag] !== undefined),
  };
}

/** The workflows to run, checked against the stack's and the kind-specific flags given. */
function chosenWorkflows(artifacts: StackArtifacts, options: Options): DeployedStateMachine[] {
  const all = Object.values(artifacts.stateMachines);
  if (all.length === 0) throw new UsageError('the stack has no workflows: configure some (docs/settings.md), or add one in main.ts');
  const unknown = all.filter((machine) => !(machine.kind in LOCAL_RUNS));
  if (unknown.length > 0) {
    const kinds = unknown.map((machine) => `${machine.workflowId} is of kind "${machine.kind}"`).join(', ');
    throw new InputProblem(`${kinds}, which this checkout does not know (its kinds: ${Object.keys(LOCAL_RUNS).join(', ')}): simulate it with the checkout that synthesized it`);
  }
  const chosen = options.workflow === undefined ? all : all.filter((machine) => machine.workflowId === options.workflow);
  if (chosen.length === 0) throw new UsageError(`--workflow ${options.workflow}: the stack's workflows are ${all.map((machine) => machine.workflowId).join(', ')}`);
  for (const [kind, run] of Object.entries(LOCAL_RUNS)) {
    const misplaced = Object.keys(run.flags.options).find((flag) => options.given.includes(flag));
    if (misplaced && !chosen.some((machine) => machine.kind === kind)) {
      throw new UsageError(`--${misplaced} applies to ${kind} workflows, not ${chosen.map((machine) => `${machine.workflowId} (${machine.kind})`).join(', ')}`);
    }
  }
  for (const machine of chosen) LOCAL_RUNS[machine.kind].flags.check?.(machine, options.byKind[machine.kind]);
  runtimePackagesCheck(artifacts, chosen);
  return chosen;
}

/**
 * Refuses, before anything runs, a function whose bundle requires an `@aws-sdk/*` package this
 * project lacks: the Lambda runtime provides them (the bundles leave them out), so deployed it
 * would load; here it must be installed. One line per package, naming what to install.
 */
function runtimePackagesCheck(artifacts: StackArtifacts, chosen: readonly DeployedStateMachine[]): void {
  const needing = new Map<string, string[]>();
  for (const functionName of new Set(chosen.flatMap((machine) => Object.values(machine.workflow.functions)))) {
    const fn = artifacts.functions.get(functionName);
    for (const name of fn ? missingRuntimePackages(fn) : []) needing.set(name, [...(needing.get(name) ?? []), functionName]);
  }
  if (needing.size === 0) return;
  throw new InputProblem(
    [...needing]
      .map(([name, functions]) => `${functions.join(', ')} requires ${name}, which the Lambda runtime provides and node_modules lacks: npm install --save-dev ${name} to simulate it`)
      .join('\n'),
  );
}

/** Runs the chosen workflows of a synthesized stack; `deployed` is its manifest as deployed, when simulate re-synthesized it for a flag. Returns the failed executions. */
async function runWorkflows(artifacts: StackArtifacts, deployed: StackArtifacts['manifest'], options: Options, print: SimulateIo['print']) {
  const chosen = chosenWorkflows(artifacts, options);
  const ended: { workflow: string; execution: ExecutionResult }[] = [];
  for (const machine of chosen) {
    const asDeployed = deployed.workflows.find((workflow) => workflow.id === machine.workflowId) ?? machine.workflow;
    const context = { artifacts, machine, deployed: asDeployed, options: options.byKind[machine.kind], quiet: options.quiet, print };
    const executions = await LOCAL_RUNS[machine.kind].run(context);
    ended.push(...executions.map((execution) => ({ workflow: machine.workflowId, execution })));
  }
  return ended.filter(({ execution }) => execution.status !== 'SUCCEEDED');
}

/**
 * The stack directory --from names: a stack directory itself (its workflows.json beside its
 * cdk.tf.json), or the one under a cdktf.out directory's stacks/ that --environment chooses
 * (or its only one), by the environment each manifest records.
 */
function stackDirFrom(from: string, environment: string | undefined): string {
  if (!existsSync(from) || !statSync(from).isDirectory()) throw new InputProblem(`--from ${from}: no such directory`);
  const stacksDir = path.join(from, 'stacks');
  if (!existsSync(path.join(from, WORKFLOWS_MANIFEST_FILE)) && !existsSync(stacksDir)) {
    throw new InputProblem(
      `--from ${from} has no ${WORKFLOWS_MANIFEST_FILE} and no stacks/ directory: give a cdktf.out directory written by npm run synth, or one of its stacks/<stack> directories`,
    );
  }
  if (existsSync(path.join(from, WORKFLOWS_MANIFEST_FILE))) {
    const { environment: recorded } = readStackManifest(from);
    if (environment !== undefined && recorded !== environment) throw new InputProblem(`--environment ${environment}: ${from} is the stack of ${recorded === undefined ? 'no environment' : `environment ${recorded}`}`);
    return from;
  }
  const stacks = readdirSync(stacksDir)
    .map((stack) => path.join(stacksDir, stack))
    .filter((dir) => existsSync(path.join(dir, WORKFLOWS_MANIFEST_FILE)))
    .map((dir) => ({ dir, environment: readStackManifest(dir).environment }));
  if (stacks.length === 0) throw new InputProblem(`--from ${from}: no stack under ${stacksDir} has a ${WORKFLOWS_MANIFEST_FILE}: synthesize it with npm run synth`);
  const environments = stacks.flatMap((stack) => (stack.environment === undefined ? [] : [stack.environment])).sort();
  const chosen = environment === undefined ? (stacks.length === 1 ? stacks[0] : undefined) : stacks.find((stack) => stack.environment === environment);
  if (!chosen && environment === undefined) throw new UsageError(`${from} holds the stacks of environments ${environments.join(', ')}; choose one with --environment`);
  if (!chosen) throw new UsageError(`--environment ${environment}: ${from} holds ${environments.length > 0 ? `the stacks of environments ${environments.join(', ')}` : 'a stack of no environment'}`);
  return chosen.dir;
}

/**
 * Without --from: synthesizes the configured stack into a temporary directory and runs `use` on
 * what was written, read as --from reads it. When the kinds' flags change the configuration
 * (--iterations), the stack is synthesized as deployed too, so a run can say what differs.
 */
async function withSynthesizedStacks<T>(options: Options, io: SimulateIo, use: (artifacts: StackArtifacts, deployed: StackArtifacts['manifest']) => Promise<T>): Promise<T> {
  // Loaded here only: this is the path that builds the app.
  const config: typeof import('../lib/config/config') = require('../lib/config/config');
  const { withSynthesizedStack }: typeof import('../simulator/synthesize') = require('../simulator/synthesize');
  let stack: StackConfig;
  try {
    const stacks = config.loadStacks(io.env, config.readContext(io.env));
    const problem = config.environmentProblem(
      stacks.flatMap((candidate) => (candidate.environment === undefined ? [] : [candidate.environment])),
      options.environment,
    );
    if (problem) throw new UsageError(problem);
    stack = stacks.find((candidate) => candidate.environment === options.environment)!;
  } catch (error) {
    if (error instanceof config.ConfigError) throw new InputProblem(error.message);
    throw error;
  }
  let simulated = stack.config;
  for (const [kind, run] of Object.entries(LOCAL_RUNS)) {
    if (run.flags.resynthesize) simulated = run.flags.resynthesize.configure(simulated, options.byKind[kind as string]);
  }
  if (stack.environment !== undefined) io.print(`environment ${stack.environment}: ${config.settingsLine(stack.config)}`);
  return withSynthesizedStack(stack, async (deployed) =>
    JSON.stringify(simulated) === JSON.stringify(stack.config) ? use(deployed, deployed.manifest) : withSynthesizedStack({ ...stack, config: simulated }, (artifacts) => use(artifacts, deployed.manifest)),
  );
}

/** Runs the simulation the arguments ask for; returns the exit code: 1 when an execution failed, 2 for a usage, configuration or artifacts problem. */
export async function simulate(argv: string[], io: SimulateIo): Promise<number> {
  try {
    const options = parseOptions(argv);
    if (!options) {
      io.print(HELP);
      return 0;
    }
    const run = (artifacts: StackArtifacts, deployed: StackArtifacts['manifest']) => runWorkflows(artifacts, deployed, options, io.print);
    let failed: Awaited<ReturnType<typeof run>>;
    if (options.from !== undefined) {
      const resynthesizing = Object.values(LOCAL_RUNS).flatMap((kind) => kind.flags.resynthesize?.flags ?? []).find((flag) => options.given.includes(flag));
      if (resynthesizing) throw new UsageError(`--${resynthesizing} re-synthesizes the stack, and --from runs a synthesized stack as it is: drop one of them`);
      const stackDir = stackDirFrom(options.from, options.environment);
      const artifacts = loadStackArtifacts(stackDir);
      const { stackId, environment } = artifacts.manifest;
      io.print(`stack ${stackId}${environment === undefined ? '' : ` (environment ${environment})`} from ${stackDir}`);
      failed = await run(artifacts, artifacts.manifest);
    } else {
      failed = await withSynthesizedStacks(options, io, run);
    }
    for (const { workflow, execution } of failed) io.printError(`${workflow}: execution ${execution.name} FAILED ${execution.error}`);
    return failed.length > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof UsageError) io.printError(`${error.message}\n\nRun with --help for the options.`);
    else if (error instanceof InputProblem || error instanceof StackArtifactsError || isConstructProblem(error)) io.printError(error.message);
    else throw error;
    return 2;
  }
}

if (require.main === module) {
  simulate(process.argv.slice(2), { env: process.env, print: (line) => console.log(line), printError: (line) => console.error(line) }).then((code) => process.exit(code));
}
