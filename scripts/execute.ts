import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { environmentProblem, STACK_ID } from '../lib/config/config';
import { STATE_MACHINE_ARN_RULE } from '../lambdas/shared/execution-arn';
import { WORKFLOW_NAME_PATTERN } from '../lib/core/names';
import { WORKFLOWS_MANIFEST_FILE, type StackManifest } from '../lib/core/workflow-manifest';
import { workflowIdsOf, workflowOutputs } from '../lib/core/workflow-outputs';
import { newRunId, runIdProblem } from './run-ids';

const HELP = `Starts an execution of a deployed workflow and follows it to the end; for a job, the whole
continue-as-new chain, one line per execution.

Usage: npm run execute -- <workflow> [options]

  <workflow>               the workflow's id, as its outputs and the stack's workflows.json name
                           it: a configured job or task by its name, or one added in code
  --id <run-id>            the run's id, its first execution's name (a job's successors are
                           <run-id>-g1, -g2, ...); an id that exists already starts nothing
                           (default: <workflow>-<UTC time>-<4 hex digits>, printed)
  --input <file>           JSON input (default: the stack's example input output)
  --arn <arn>              state machine ARN (default: the stack's output)
  --environment <name>     the environment's stack, as synthesized; required when cdktf.json has environments
  --stack <id>             stack to read outputs from (default: ${STACK_ID})
  --poll-seconds <n>       how often to check progress (default: 5)
  --help                   show this help

Outputs are read with \`terraform output -json\` in cdktf.out/stacks/<stack>, so deploy first
(and run \`npm run synth\` in a fresh checkout). AWS credentials come from the usual places
(AWS_PROFILE, environment variables, SSO).`;

const TERMINAL = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];

/** A problem the user can fix; printed without a stack trace (exit 2: bad usage). */
export class ExecuteError extends Error {}

/** An action refused for what it would do to a run (exit 1): printed as one line, without the usage hint. */
export class RefusedError extends ExecuteError {}

export interface ExecuteDeps {
  /** An SFN client for the state machine's region. */
  readonly sfn: (region: string) => SFNClient;
  /** A readable id for a run started without --id. @default newRunId(workflow) */
  readonly newRunId?: (workflow: string) => string;
  /** The stack's Terraform outputs as name -> value. */
  readonly readOutputs: (stackId: string) => Record<string, string>;
  /** The stack's workflows manifest as synthesized in this checkout; undefined before a synth. */
  readonly readManifest: (stackId: string) => StackManifest | undefined;
  /** The stacks synthesized in this checkout, each with the environment its manifest records (none before a synth). */
  readonly stacks: () => readonly SynthesizedStack[];
  readonly readFile: (file: string) => string;
  readonly print: (line: string) => void;
  readonly sleep: (ms: number) => Promise<void>;
}

interface Options {
  readonly workflow: string;
  readonly inputFile?: string;
  readonly id?: string;
  readonly arn?: string;
  readonly stack?: string;
  readonly environment?: string;
  readonly pollMs: number;
}

function parseOptions(argv: string[]): Options | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        input: { type: 'string' },
        id: { type: 'string' },
        arn: { type: 'string' },
        stack: { type: 'string' },
        environment: { type: 'string' },
        'poll-seconds': { type: 'string' },
        help: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new ExecuteError((error as Error).message);
  }
  if (parsed.values.help) return undefined;
  const [workflow, ...extra] = parsed.positionals;
  if (workflow === undefined) throw new ExecuteError(HELP);
  if (extra.length > 0) throw new ExecuteError(`unexpected argument "${extra[0]}"`);
  const poll = parsed.values['poll-seconds'] ?? '5';
  if (!/^\d+$/.test(poll) || Number(poll) < 1) throw new ExecuteError(`--poll-seconds must be a whole number >= 1, got "${poll}"`);
  const { stack, environment, id, arn } = parsed.values;
  checkTarget({ workflow, stack, environment, arn });
  const idProblem = id === undefined ? undefined : runIdProblem(id);
  if (idProblem) throw new ExecuteError(idProblem);
  return { workflow, inputFile: parsed.values.input, id, arn, stack, environment, pollMs: Number(poll) * 1000 };
}

/** The workflow and where to find its state machine, as `execute` and `runs` take them: a workflow id, and --arn, or --stack or --environment (one of the two). */
export function checkTarget(target: { readonly workflow: string; readonly stack?: string; readonly environment?: string; readonly arn?: string }): void {
  const { workflow, stack, environment, arn } = target;
  if (!WORKFLOW_NAME_PATTERN.test(workflow)) throw new ExecuteError(`"${workflow}" is not a workflow id (lowercase letters, digits and hyphens, such as continue-as-new)`);
  if (stack !== undefined && environment !== undefined) throw new ExecuteError('give --stack or --environment, not both');
  if (arn !== undefined && !STATE_MACHINE_ARN_RULE.test(arn)) throw new ExecuteError(`"${arn}" is not a state machine ARN (arn:aws:states:<region>:<account>:stateMachine:<name>)`);
}

/** A synthesized stack: its id and, with environments, the one it deploys. */
export interface SynthesizedStack {
  readonly stackId: string;
  readonly environment?: string;
}

/** The stack to read: --stack's, the chosen environment's (as its manifest records it), or the only one; with environments, one must be chosen. */
export function stackIdOf(options: Pick<Options, 'stack' | 'environment'>, stacks: readonly SynthesizedStack[]): string {
  if (options.stack !== undefined) return options.stack;
  const environments = stacks.flatMap((stack) => (stack.environment === undefined ? [] : [stack.environment]));
  const problem = environmentProblem(environments, options.environment);
  if (problem) throw new ExecuteError(problem);
  // Nothing synthesized yet: the default stack, whose outputs then say to synth and deploy.
  return stacks.find((stack) => stack.environment === options.environment)?.stackId ?? STACK_ID;
}


/** Turns the SDK's errors for the usual mistakes into messages that say what to do. */
export function explain(error: unknown, stateMachineArn: string): never {
  const name = error instanceof Error ? error.name : '';
  if (name === 'CredentialsProviderError' || name === 'ExpiredTokenException' || name === 'UnrecognizedClientException') {
    throw new ExecuteError(`no usable AWS credentials (${(error as Error).message}): set AWS_PROFILE, export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run "aws sso login"`);
  }
  if (name === 'StateMachineDoesNotExist') {
    throw new ExecuteError(`state machine ${stateMachineArn} does not exist: is the stack deployed, in this account and region?`);
  }
  throw error;
}

export async function execute(argv: string[], deps: ExecuteDeps): Promise<number> {
  const options = parseOptions(argv);
  if (!options) {
    deps.print(HELP);
    return 0;
  }
  const names = workflowOutputs(options.workflow);
  // With an ARN there is nothing to read from the stack: the input is the file's, or empty.
  const stackId = options.arn ? '' : stackIdOf(options, deps.stacks());
  const outputs = options.arn ? { [names.exampleInput]: '{}' } : deps.readOutputs(stackId);
  const stateMachineArn = options.arn ?? outputs[names.stateMachineArn];
  // What is deployed decides; the synthesized manifest (which may be newer) only explains a workflow that is not.
  if (!stateMachineArn) throw new ExecuteError(notInStack(stackId, options.workflow, outputs, deps.readManifest(stackId)));
  const region = STATE_MACHINE_ARN_RULE.exec(stateMachineArn)?.[1];
  if (!region) throw new ExecuteError(`"${stateMachineArn}" is not a state machine ARN (arn:aws:states:<region>:<account>:stateMachine:<name>)`);
  const input = options.inputFile ? readInput(options.inputFile, deps) : outputs[names.exampleInput];
  if (input === undefined) throw new ExecuteError(`stack ${stackId} has no ${names.exampleInput} output: pass --input <file>`);

  const sfn = deps.sfn(region);
  const runId = options.id ?? (deps.newRunId ?? newRunId)(options.workflow);
  const rootArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${runId}`;
  // StartExecution returns a running execution of the same name and input as if it started it: ask first.
  await refuseExisting(sfn, rootArn, runId, options.workflow, stateMachineArn);
  let executionArn: string | undefined;
  try {
    ({ executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input, name: runId })));
  } catch (error) {
    // Another start of the same id got there in between.
    if (error instanceof ExecutionAlreadyExists) await refuseExisting(sfn, rootArn, runId, options.workflow, stateMachineArn);
    explain(error, stateMachineArn);
  }
  deps.print(`run ${runId} of ${options.workflow}: started ${executionArn}`);

  for (let generation = 0; executionArn; generation += 1) {
    const done = await follow(sfn, executionArn, generation, options.pollMs, deps);
    const events = await eventCount(sfn, executionArn);
    deps.print(`generation ${generation}  ${done.name}  ${done.status}  ${events} events`);
    if (done.status !== 'SUCCEEDED') {
      deps.print(`  ${done.error ?? done.status}: ${done.cause ?? ''}`.trimEnd());
      return 1;
    }
    const stopped = stoppedParentOf(done);
    if (stopped) {
      deps.print(`  the run was stopped: its parent ${stopped} was stopped, so this execution did no work`);
      return 1;
    }
    executionArn = successorOf(done);
  }
  deps.print(`done: ${options.workflow} SUCCEEDED`);
  return 0;
}

/** Refuses a run id whose first execution exists, running or ended, naming it: starting it again would make a second chain. */
async function refuseExisting(sfn: SFNClient, executionArn: string, runId: string, workflow: string, stateMachineArn: string): Promise<void> {
  let existing: DescribeExecutionCommandOutput;
  try {
    existing = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  } catch (error) {
    if (error instanceof ExecutionDoesNotExist) return;
    explain(error, stateMachineArn);
  }
  const how = existing.status === 'RUNNING' ? 'is already running' : `has already ended: ${existing.status}`;
  throw new RefusedError(`run ${runId} of ${workflow} ${how} (execution ${existing.executionArn ?? executionArn}): see it with npm run runs -- status ${workflow} ${runId}, or start another --id`);
}

/**
 * Why the stack has no ARN for the workflow: not deployed at all, deployed before the workflow
 * was synthesized into it (`synthesizedAs`, its state machine's name), or without it (and which it has).
 */
export function notInStack(stackId: string, workflow: string, outputs: Readonly<Record<string, string>>, manifest: StackManifest | undefined): string {
  const deployed = workflowIdsOf(Object.keys(outputs));
  if (deployed.length === 0) return `stack ${stackId} is not deployed (it has no workflow outputs): run npm run deploy, or pass --arn <state machine ARN>`;
  const synthesizedAs = manifest?.workflows.find((candidate) => candidate.id === workflow)?.stateMachines.workflow;
  if (synthesizedAs) return `stack ${stackId} was deployed without workflow "${workflow}" (state machine ${synthesizedAs}, synthesized in cdktf.out): run npm run deploy, or pass --arn <state machine ARN>`;
  return `stack ${stackId} has no workflow "${workflow}": its workflows are ${deployed.join(', ')}`;
}

function readInput(file: string, deps: ExecuteDeps): string {
  let text: string;
  try {
    text = deps.readFile(file);
  } catch (error) {
    throw new ExecuteError(`cannot read --input ${file}: ${(error as Error).message}`);
  }
  try {
    JSON.parse(text);
  } catch (error) {
    throw new ExecuteError(`--input ${file} is not JSON: ${(error as Error).message}`);
  }
  return text;
}

/** Polls until the execution ends, printing a line each time its status or event count changes. */
async function follow(sfn: SFNClient, executionArn: string, generation: number, pollMs: number, deps: ExecuteDeps): Promise<DescribeExecutionCommandOutput> {
  let last = '';
  for (;;) {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (TERMINAL.includes(execution.status ?? '')) return execution;
    const progress = `generation ${generation}  ${execution.name}  ${execution.status}  ${await eventCount(sfn, executionArn)} events`;
    if (progress !== last) deps.print(progress);
    last = progress;
    await deps.sleep(pollMs);
  }
}

/** Event ids count up from 1, so the newest event's id is the number of events so far. */
async function eventCount(sfn: SFNClient, executionArn: string): Promise<number> {
  const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1 }));
  return events?.[0]?.id ?? 0;
}

/** A job's successor whose parent was stopped ends at once, its output naming the parent under `stopped`. */
function stoppedParentOf(execution: DescribeExecutionCommandOutput): string | undefined {
  const output = execution.output ? JSON.parse(execution.output) : {};
  return output?.stopped?.parentExecutionArn;
}

/** A job's execution names its successor in its output under `successor`; the last one, and every other workflow, names none. */
function successorOf(execution: DescribeExecutionCommandOutput): string | undefined {
  const output = execution.output ? JSON.parse(execution.output) : {};
  return output?.successor?.executionArn;
}

/** The stacks synthesized into cdktf.out, from their manifests; none before a synth. */
export function synthesizedStacks(stacksDir = path.join(__dirname, '..', 'cdktf.out', 'stacks')): SynthesizedStack[] {
  if (!existsSync(stacksDir)) return [];
  return readdirSync(stacksDir)
    .sort()
    .flatMap((stackId) => {
      const manifest = synthesizedManifest(stackId, stacksDir);
      return manifest ? [{ stackId: manifest.stackId, environment: manifest.environment }] : [];
    });
}

/** The stack's workflows manifest as synthesized into cdktf.out; undefined before a synth. */
export function synthesizedManifest(stackId: string, stacksDir = path.join(__dirname, '..', 'cdktf.out', 'stacks')): StackManifest | undefined {
  const file = path.join(stacksDir, stackId, WORKFLOWS_MANIFEST_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as StackManifest) : undefined;
}

/** The stack's Terraform outputs; before a synth or a deploy, one line that says so and what to do instead. */
export function terraformOutputs(stackId: string, stacksDir = path.join(__dirname, '..', 'cdktf.out', 'stacks')): Record<string, string> {
  const stackDir = path.join(stacksDir, stackId);
  const instead = 'run npm run deploy, or pass --arn <state machine ARN>';
  if (!existsSync(path.join(stackDir, 'cdk.tf.json'))) throw new ExecuteError(`stack ${stackId} is not deployed from this checkout (nothing synthesized in cdktf.out): ${instead}`);
  const backend = (JSON.parse(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as { terraform?: { backend?: { s3?: { bucket?: string } } } }).terraform?.backend;
  if (backend?.s3 && !existsSync(path.join(stackDir, '.terraform'))) {
    throw new ExecuteError(
      `stack ${stackId} keeps its state in S3 (bucket ${backend.s3.bucket}), and this checkout has not initialized it: run npm run tf -- init${stackId === STACK_ID ? '' : ` --stack ${stackId}`} (or terraform init in cdktf.out/stacks/${stackId}), then try again`,
    );
  }
  const result = spawnSync('terraform', ['output', '-json', '-no-color'], { cwd: stackDir, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  if (result.error) throw new ExecuteError(`cannot run terraform to read stack ${stackId}'s outputs (${result.error.message}): install Terraform, or pass --arn <state machine ARN>`);
  if (result.status !== 0) {
    if (/Backend initialization required|terraform init/.test(result.stderr)) throw new ExecuteError(`stack ${stackId} is not deployed from this checkout (Terraform has no state here): ${instead}`);
    const reason = /Error: ([^\n]+)/.exec(result.stderr)?.[1] ?? `terraform output exited ${result.status}`;
    throw new ExecuteError(`cannot read stack ${stackId}'s outputs (${reason.trim()}): ${instead}`);
  }
  const outputs = JSON.parse(result.stdout) as Record<string, { value: string }>;
  return Object.fromEntries(Object.entries(outputs).map(([name, output]) => [name, output.value]));
}

if (require.main === module) {
  execute(process.argv.slice(2), {
    sfn: (region) => new SFNClient({ region }),
    readOutputs: terraformOutputs,
    readManifest: synthesizedManifest,
    stacks: () => synthesizedStacks(),
    readFile: (file) => readFileSync(file, 'utf8'),
    print: (line) => console.log(line),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (!(error instanceof ExecuteError)) throw error;
      if (error instanceof RefusedError) {
        console.error(error.message);
        process.exit(1);
      }
      console.error(error.message === HELP ? HELP : `${error.message}\n\nRun with --help for the options.`);
      process.exit(2);
    },
  );
}
