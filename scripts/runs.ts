import { parseArgs } from 'node:util';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  ExecutionNotRedrivable,
  type ExecutionListItem,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { STACK_ID } from '../lib/config/config';
import { HISTORY_BUDGET } from '../lib/core/history-budget';
import type { StackManifest } from '../lib/core/workflow-manifest';
import { workflowOutputs } from '../lib/core/workflow-outputs';
import { STATE_MACHINE_ARN_RULE } from '../lambdas/shared/execution-arn';
import { checkTarget, ExecuteError, explain, notInStack, RefusedError, stackIdOf, synthesizedManifest, synthesizedStacks, terraformOutputs, type SynthesizedStack } from './execute';
import { GENERATION_SUFFIX, generationName, runIdProblem } from './run-ids';

const VERBS = ['list', 'status', 'stop', 'resume'] as const;
type Verb = (typeof VERBS)[number];

const HELP = `Operates the runs of a deployed workflow: a job's chain of executions, a task run or a
snapshot run, each under its id (its first execution's name).

Usage: npm run runs -- <verb> <workflow> [<run-id>] [options]

  list <workflow>             the workflow's runs, running first: id, generation, status, started, last change
  status <workflow> <run-id>  the run as a whole: its newest execution, generation, status, iterations or
                              polls, history events against the budget, the state's size, started, last change
  stop <workflow> <run-id>    stops every running execution of the run (a successor started in the same
                              moment ends at once as stopped); prints what it stopped; a task's cancel
                              function (its cancelEntry) is then called with the run's last handle
  resume <workflow> <run-id>  a failed, timed-out or stopped run goes on where it stopped: RedriveExecution
                              of its newest execution while Step Functions allows it, else (a job) the next
                              generation <run-id>-g<n+1> with the last good state and the same lineage

  --arn <arn>                 state machine ARN (default: the stack's output)
  --environment <name>        the environment's stack, as synthesized; required when cdktf.json has environments
  --stack <id>                stack to read outputs from (default: ${STACK_ID})
  --json                      print JSON: list an array of the objects status prints
  --help                      show this help

Exit 0 done, 1 refused (the run does not exist, is not running, cannot be resumed), 2 bad usage.`;

/** A generation the gallop probes that Step Functions answers about: the description, or none. */
type Probe = DescribeExecutionCommandOutput | undefined;

export interface RunsDeps {
  readonly sfn: (region: string) => SFNClient;
  /** For a task's cancel function (its cancelEntry), in the state machine's region. */
  readonly lambda: (region: string) => LambdaClient;
  readonly readOutputs: (stackId: string) => Record<string, string>;
  readonly readManifest: (stackId: string) => StackManifest | undefined;
  readonly stacks: () => readonly SynthesizedStack[];
  readonly print: (line: string) => void;
}

interface Options {
  readonly verb: Verb;
  readonly workflow: string;
  readonly runId?: string;
  readonly arn?: string;
  readonly stack?: string;
  readonly environment?: string;
  readonly json: boolean;
}

function parseOptions(argv: string[]): Options | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { arn: { type: 'string' }, stack: { type: 'string' }, environment: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } },
    });
  } catch (error) {
    throw new ExecuteError((error as Error).message);
  }
  if (parsed.values.help) return undefined;
  const [verb, workflow, runId, ...extra] = parsed.positionals;
  if (verb === undefined) throw new ExecuteError(HELP);
  if (!(VERBS as readonly string[]).includes(verb)) throw new ExecuteError(`"${verb}" is not a verb: use ${VERBS.join(', ')}`);
  if (workflow === undefined) throw new ExecuteError(`${verb} needs a workflow: npm run runs -- ${verb} <workflow>${verb === 'list' ? '' : ' <run-id>'}`);
  if (verb === 'list' && runId !== undefined) throw new ExecuteError(`list takes no run id, got "${runId}"`);
  if (verb !== 'list') {
    if (runId === undefined) throw new ExecuteError(`${verb} needs a run id: npm run runs -- ${verb} ${workflow} <run-id>`);
    const problem = runIdProblem(runId);
    if (problem) throw new ExecuteError(problem);
  }
  if (extra.length > 0) throw new ExecuteError(`unexpected argument "${extra[0]}"`);
  const { stack, environment, arn } = parsed.values;
  checkTarget({ workflow, stack, environment, arn });
  return { verb: verb as Verb, workflow, runId, arn, stack, environment, json: parsed.values.json === true };
}

/** What a run's status says, as `status --json` prints it (and `list --json`, one per run). */
export interface RunStatus {
  readonly run: string;
  readonly workflow: string;
  /** The newest execution's status; ABORTED for a successor that ended at once because its parent was stopped. */
  readonly status: string;
  /** The newest execution's generation: 0 for the root, n for `<run>-g<n>`. */
  readonly generation: number;
  readonly executionArn: string;
  readonly executionName: string;
  readonly started?: string;
  readonly lastChange?: string;
  readonly historyEvents?: number;
  readonly historyBudget?: number;
  /** A job's work calls (Express: batches) so far in the newest execution. */
  readonly iteration?: number;
  /** A task's or snapshot's polls so far. */
  readonly polls?: number;
  /** Bytes of JSON of the state the newest execution carries (a job). */
  readonly stateBytes?: number;
  /** The code version (the work zip's hash) of the newest execution's last work call, when its history shows it (a Standard job's Work result). */
  readonly codeVersion?: string;
  readonly error?: string;
  readonly cause?: string;
  readonly redriveStatus?: string;
  readonly redriveCount?: number;
}

/** One run as Step Functions knows it: the machine, and its executions described so far, by generation. */
class Run {
  private readonly described = new Map<number, Probe>();
  /** Step Functions calls made for this run. */
  calls = 0;

  constructor(
    private readonly sfn: SFNClient,
    readonly stateMachineArn: string,
    readonly workflow: string,
    readonly id: string,
  ) {}

  executionArn(generation: number): string {
    return `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${generationName(this.id, generation)}`;
  }

  async send<T = unknown>(command: object): Promise<T> {
    this.calls += 1;
    try {
      return (await this.sfn.send(command as never)) as T;
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist || error instanceof ExecutionNotRedrivable || error instanceof ExecutionAlreadyExists) throw error;
      explain(error, this.stateMachineArn);
    }
  }

  /** DescribeExecution of a generation; `fresh` asks again rather than reuse what the search saw. */
  async describe(generation: number, fresh = false): Promise<Probe> {
    if (!fresh && this.described.has(generation)) return this.described.get(generation);
    let probe: Probe;
    try {
      probe = await this.send<DescribeExecutionCommandOutput>(new DescribeExecutionCommand({ executionArn: this.executionArn(generation) }));
    } catch (error) {
      if (!(error instanceof ExecutionDoesNotExist)) throw error;
    }
    this.described.set(generation, probe);
    return probe;
  }

  /**
   * The newest generation, by a galloping search over the deterministic names: probe g1, g2, g4, ...
   * until one is missing, then halve the gap. Generation n costs about 2·log2(n) calls (20 at
   * 1,000), where listing every execution would cost a page per thousand and no bound on time.
   */
  async newest(): Promise<{ generation: number; execution: DescribeExecutionCommandOutput }> {
    // g2 as well before falling back to the root: a gap at the start (executions past their 90 days) hides no run.
    if (!(await this.describe(1)) && !(await this.describe(2))) {
      const root = await this.describe(0);
      if (!root) {
        throw new RefusedError(
          `run ${this.id} of ${this.workflow} does not exist: no execution ${this.id} on ${this.stateMachineArn} (ExecutionDoesNotExist); list the runs with npm run runs -- list ${this.workflow}`,
        );
      }
      return { generation: 0, execution: root };
    }
    let found = this.described.get(1) ? 1 : 2;
    let missing = found * 2;
    while (await this.describe(missing)) [found, missing] = [missing, missing * 2];
    while (missing - found > 1) {
      const middle = Math.floor((found + missing) / 2);
      if (await this.describe(middle)) found = middle;
      else missing = middle;
    }
    return { generation: found, execution: (await this.describe(found))! };
  }
}

/** A stopped run's successor (the job's RunStopped state) names its stopped parent in its output. */
function stoppedParentOf(execution: DescribeExecutionCommandOutput): string | undefined {
  return parseJson(execution.output)?.stopped?.parentExecutionArn;
}

function parseJson(text: string | undefined): any {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The error and cause to show: a failed `.sync` batch (an Express job's Work step) fails with
 * States.TaskFailed and the batch's description as its cause; the work's own error is inside.
 */
export function failureOf(error: string | undefined, cause: string | undefined): { error?: string; cause?: string } {
  if (error === 'States.TaskFailed') {
    const batch = parseJson(cause);
    if (typeof batch?.Error === 'string') return { error: batch.Error, cause: typeof batch.Cause === 'string' ? batch.Cause : undefined };
  }
  return { error, cause };
}

const iso = (date: Date | undefined) => date?.toISOString();

/** The newest execution's latest events: how many so far, and the newest state's progress (a job's iteration and state, a poll count). */
async function progressOf(run: Run, executionArn: string): Promise<Pick<RunStatus, 'historyEvents' | 'iteration' | 'polls' | 'stateBytes' | 'codeVersion'> & { readonly lastEvent?: Date }> {
  let events: HistoryEvent[] = [];
  try {
    ({ events = [] } = await run.send<{ events?: HistoryEvent[] }>(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 100, includeExecutionData: true })));
  } catch (error) {
    // Progress is extra: a history that cannot be read (not allowed, or gone) leaves the status as the description gives it.
    if (error instanceof RefusedError) throw error;
    return {};
  }
  const entered = events.map((event) => parseJson(event.stateEnteredEventDetails?.input)).find((input) => input?.loop !== undefined || input?.poll !== undefined);
  const state = entered?.work?.state;
  return {
    historyEvents: events[0]?.id,
    lastEvent: events[0]?.timestamp,
    ...(typeof entered?.loop?.iteration === 'number' ? { iteration: entered.loop.iteration } : {}),
    ...(typeof entered?.poll?.polls === 'number' ? { polls: entered.poll.polls } : {}),
    ...(entered?.work && 'state' in entered.work ? { stateBytes: Buffer.byteLength(JSON.stringify(state ?? null)) } : {}),
    ...(typeof entered?.work?.codeVersion === 'string' ? { codeVersion: entered.work.codeVersion } : {}),
  };
}

async function statusOf(run: Run): Promise<RunStatus> {
  const { generation, execution } = await run.newest();
  const root = generation === 0 ? execution : await run.describe(0);
  const progress = await progressOf(run, execution.executionArn ?? run.executionArn(generation));
  const stopped = execution.status === 'SUCCEEDED' ? stoppedParentOf(execution) : undefined;
  const failure = failureOf(execution.error, execution.cause);
  return {
    run: run.id,
    workflow: run.workflow,
    status: stopped ? 'ABORTED' : String(execution.status),
    generation,
    executionArn: execution.executionArn ?? run.executionArn(generation),
    executionName: execution.name ?? generationName(run.id, generation),
    started: iso(root?.startDate ?? execution.startDate),
    lastChange: iso(execution.stopDate ?? progress.lastEvent ?? execution.startDate),
    historyEvents: progress.historyEvents,
    historyBudget: HISTORY_BUDGET,
    ...(progress.iteration === undefined ? {} : { iteration: progress.iteration }),
    ...(progress.polls === undefined ? {} : { polls: progress.polls }),
    ...(progress.stateBytes === undefined ? {} : { stateBytes: progress.stateBytes }),
    ...(progress.codeVersion === undefined ? {} : { codeVersion: progress.codeVersion }),
    ...(failure.error === undefined ? {} : { error: failure.error }),
    ...(failure.cause === undefined ? {} : { cause: failure.cause }),
    ...(execution.redriveStatus === undefined ? {} : { redriveStatus: execution.redriveStatus }),
    ...(execution.redriveCount === undefined ? {} : { redriveCount: execution.redriveCount }),
  };
}

function printStatus(status: RunStatus, print: (line: string) => void): void {
  print(`run ${status.run} of ${status.workflow}: ${status.status}`);
  print(`  generation ${status.generation}  ${status.executionName}  started ${status.started ?? '-'}  last change ${status.lastChange ?? '-'}`);
  print(`  execution ${status.executionArn}`);
  const progress = [
    status.iteration === undefined ? undefined : `iteration ${status.iteration}`,
    status.polls === undefined ? undefined : `${status.polls} polls`,
    status.historyEvents === undefined ? undefined : `history ${status.historyEvents} of ${status.historyBudget} events`,
    status.stateBytes === undefined ? undefined : `state ${status.stateBytes} bytes`,
    status.codeVersion === undefined ? undefined : `code ${status.codeVersion}`,
  ].filter(Boolean);
  if (progress.length > 0) print(`  ${progress.join(', ')}`);
  if (status.error !== undefined) print(`  ${status.error}: ${status.cause ?? ''}`.trimEnd());
}

/** The workflow's runs from its executions, one page of ListExecutions per thousand: each run under its id, its newest generation standing for it. */
async function listRuns(sfn: SFNClient, stateMachineArn: string, workflow: string): Promise<RunStatus[]> {
  const executions: ExecutionListItem[] = [];
  let nextToken: string | undefined;
  do {
    let page;
    try {
      page = await sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 1000, nextToken }));
    } catch (error) {
      explain(error, stateMachineArn);
    }
    executions.push(...(page.executions ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  const runs = new Map<string, { generation: number; newest: ExecutionListItem; started?: Date }>();
  for (const execution of executions) {
    const name = execution.name ?? '';
    const match = GENERATION_SUFFIX.exec(name);
    const id = match ? name.slice(0, match.index) : name;
    const generation = match ? Number(match[1]) : 0;
    const run = runs.get(id);
    if (!run || generation > run.generation) runs.set(id, { generation, newest: execution, started: generation === 0 ? execution.startDate : run?.started });
    else if (generation === 0) run.started = execution.startDate;
  }
  const list = [...runs.entries()].map(
    ([id, { generation, newest, started }]): RunStatus => ({
      run: id,
      workflow,
      status: String(newest.status),
      generation,
      executionArn: String(newest.executionArn),
      executionName: String(newest.name),
      started: iso(started ?? newest.startDate),
      lastChange: iso(newest.stopDate ?? newest.startDate),
      ...(newest.redriveCount ? { redriveCount: newest.redriveCount } : {}),
    }),
  );
  const running = (status: RunStatus) => (status.status === 'RUNNING' ? 0 : 1);
  return list.sort((a, b) => running(a) - running(b) || String(b.lastChange).localeCompare(String(a.lastChange)) || a.run.localeCompare(b.run));
}

/**
 * Stops every running execution of the run, oldest first (a parent stopped before its successor
 * starts none), then looks once past the newest: a successor its parent started in the moment
 * ends at once as stopped by itself, and one already past that check is stopped here.
 */
async function stopRun(run: Run, kind: string | undefined, print: (line: string) => void): Promise<string> {
  const { generation, execution } = await run.newest();
  const running: number[] = [];
  for (let g = generation; g >= 0; g -= 1) {
    const probe = g === generation ? execution : await run.describe(g);
    if (probe?.status !== 'RUNNING') break;
    running.unshift(g);
  }
  if (running.length === 0) {
    const stopped = execution.status === 'SUCCEEDED' && stoppedParentOf(execution);
    throw new RefusedError(`run ${run.id} of ${run.workflow} is not running: ${stopped ? 'stopped already' : execution.status} (execution ${execution.executionArn}); nothing to stop`);
  }
  const stop = async (g: number) => {
    await run.send(new StopExecutionCommand({ executionArn: run.executionArn(g), error: 'RunStopped', cause: `npm run runs -- stop ${run.workflow} ${run.id}` }));
    print(`stopped ${run.executionArn(g)} (generation ${g})`);
  };
  for (const g of running) await stop(g);
  for (let g = running[running.length - 1] + 1; ; g += 1) {
    const later = await run.describe(g, true);
    if (later?.status !== 'RUNNING') break;
    await stop(g);
  }
  const last = running[running.length - 1];
  print(
    `run ${run.id} of ${run.workflow} is stopped. Its last state is the input of the step generation ${last} was stopped in (the execution's history, ` +
      `GetExecutionHistory or the console); npm run runs -- resume ${run.workflow} ${run.id} goes on from it.`,
  );
  if (kind === 'rds-snapshot') print('A snapshot already being made is left to finish: RDS cannot cancel one; the next run or a resume finds it.');
  if (kind === 'continue-as-new') print('An Express batch in flight (loop: express) cannot be stopped: it ends within its 5 minutes, and its result goes nowhere.');
  if (kind === undefined) print("No synthesized manifest was read (--arn, or no npm run synth here): a task's cancel function (cancelEntry) is not called; stop a task from its synthesized stack to cancel its external job too.");
  return run.executionArn(last);
}

/** The handle a task run last had: `current.task` of the newest state in the execution's latest events (what start or the last check returned). */
async function lastHandleOf(run: Run, executionArn: string): Promise<{ readonly handle: unknown } | undefined> {
  const { events = [] } = await run.send<{ events?: HistoryEvent[] }>(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 100, includeExecutionData: true }));
  for (const event of events) {
    const data = parseJson(event.stateExitedEventDetails?.output ?? event.stateEnteredEventDetails?.input);
    if (data?.current?.task !== undefined) return { handle: data.current.task };
  }
  return undefined;
}

/**
 * After a task run's executions are stopped: its cancel function (`<task>-cancel`, from its
 * cancelEntry) called with the run's last handle, so the external job stops too. Any failure is
 * one refused line; the executions stay stopped.
 */
async function cancelJob(run: Run, lambda: LambdaClient, cancelFunction: string | undefined, executionArn: string, print: (line: string) => void): Promise<void> {
  if (cancelFunction === undefined) {
    print(`The task's external job is left running: ${run.workflow} has no cancel function; set its cancelEntry (docs/tasks.md) for stop to cancel the job too.`);
    return;
  }
  const notCancelled = `run ${run.id} of ${run.workflow} is stopped, but its external job was not cancelled`;
  let found;
  try {
    found = await lastHandleOf(run, executionArn);
  } catch (error) {
    const { name, message } = error as Error;
    throw new RefusedError(`${notCancelled}: its handle could not be read from ${executionArn} (${name}: ${message}); call ${cancelFunction} with {"handle": ...} yourself`);
  }
  if (!found) {
    print(`${cancelFunction} was not called: ${executionArn} holds no handle yet (start had not returned one); a job start began is left running.`);
    return;
  }
  let response;
  try {
    response = await lambda.send(new InvokeCommand({ FunctionName: cancelFunction, Payload: Buffer.from(JSON.stringify({ handle: found.handle })) }));
  } catch (error) {
    const { name, message } = error as Error;
    throw new RefusedError(`${notCancelled}: invoking ${cancelFunction} failed with ${name}: ${message}`);
  }
  const answer = parseJson(response.Payload ? Buffer.from(response.Payload).toString('utf8') : undefined);
  if (response.FunctionError !== undefined) {
    const error = typeof answer?.errorType === 'string' ? `${answer.errorType}: ${String(answer.errorMessage ?? '')}` : response.FunctionError;
    throw new RefusedError(`${notCancelled}: ${cancelFunction} failed with ${error.replace(/\s+/g, ' ')}`);
  }
  const said = typeof answer?.message === 'string' ? `: ${answer.message}` : ' (it said nothing more)';
  print(`cancelled the external job: ${cancelFunction} was called with the run's last handle${said}`);
}

/** A job's last good state: the newest Work or Restart step's input state (the state the failed step had), or the execution's input state. */
async function lastGoodState(run: Run, execution: DescribeExecutionCommandOutput): Promise<{ found: boolean; state: unknown }> {
  let nextToken: string | undefined;
  for (let page = 0; page < 30; page += 1) {
    const { events = [], nextToken: next } = await run.send<{ events?: HistoryEvent[]; nextToken?: string }>(
      new GetExecutionHistoryCommand({ executionArn: execution.executionArn, reverseOrder: true, maxResults: 1000, includeExecutionData: true, nextToken }),
    );
    for (const event of events) {
      const input = parseJson(event.stateEnteredEventDetails?.input);
      if (input?.work && 'state' in input.work && input.lineage) return { found: true, state: input.work.state };
    }
    nextToken = next;
    if (!nextToken) break;
  }
  const input = parseJson(execution.input);
  return { found: false, state: input?.state ?? null };
}

/** Resumes a failed, timed-out or stopped run: a redrive while Step Functions allows one, else (a job) the next generation. */
async function resumeRun(run: Run, kind: string | undefined, print: (line: string) => void): Promise<void> {
  const { generation, execution } = await run.newest();
  const arn = execution.executionArn ?? run.executionArn(generation);
  const stopped = execution.status === 'SUCCEEDED' ? stoppedParentOf(execution) : undefined;
  if (execution.status === 'RUNNING') throw new RefusedError(`run ${run.id} of ${run.workflow} is running (execution ${arn}): nothing to resume`);
  if (execution.status === 'SUCCEEDED' && !stopped) throw new RefusedError(`run ${run.id} of ${run.workflow} has already succeeded (execution ${arn}): nothing to resume; start a new run with npm run execute`);
  let notRedrivable: string | undefined = stopped ? 'its newest execution ended as stopped, having done no work' : undefined;
  if (!notRedrivable && execution.redriveStatus !== 'NOT_REDRIVABLE') {
    try {
      await run.send(new RedriveExecutionCommand({ executionArn: arn }));
      print(`redriven ${arn} (generation ${generation}, ${execution.status}): it goes on from its failed step with that step's input`);
      return;
    } catch (error) {
      if (!(error instanceof ExecutionNotRedrivable)) throw error;
      notRedrivable = `${error.name}: ${error.message}`;
    }
  }
  notRedrivable ??= `ExecutionNotRedrivable: ${execution.redriveStatusReason ?? 'Step Functions no longer redrives it'}`;
  const input = parseJson(execution.input);
  const isJob = kind === undefined ? input?.lineage !== undefined || (input !== undefined && typeof input === 'object' && Object.keys(input).every((key) => key === 'state')) : kind === 'continue-as-new';
  if (!isJob) {
    throw new RefusedError(`run ${run.id} of ${run.workflow} cannot be resumed: ${notRedrivable} (execution ${arn}); start a new run with npm run execute`);
  }
  const { state } = stopped ? { state: input?.state ?? null } : await lastGoodState(run, execution);
  const root = input?.lineage ?? { rootExecutionArn: run.executionArn(0), rootExecutionName: run.id };
  const next = generation + 1;
  const successor = {
    state,
    lineage: { rootExecutionArn: root.rootExecutionArn, rootExecutionName: root.rootExecutionName, generation: next, resumedFrom: arn },
  };
  try {
    await run.send(new StartExecutionCommand({ stateMachineArn: run.stateMachineArn, name: generationName(run.id, next), input: JSON.stringify(successor) }));
  } catch (error) {
    if (error instanceof ExecutionAlreadyExists) {
      throw new RefusedError(`run ${run.id} of ${run.workflow}: ${generationName(run.id, next)} exists already (ExecutionAlreadyExists); see it with npm run runs -- status ${run.workflow} ${run.id}`);
    }
    throw error;
  }
  print(`resumed as ${run.executionArn(next)} (generation ${next}) with the last good state of generation ${generation} (${notRedrivable})`);
}

export async function runs(argv: string[], deps: RunsDeps): Promise<number> {
  const options = parseOptions(argv);
  if (!options) {
    deps.print(HELP);
    return 0;
  }
  const names = workflowOutputs(options.workflow);
  const stackId = options.arn ? '' : stackIdOf(options, deps.stacks());
  const outputs = options.arn ? {} : deps.readOutputs(stackId);
  const stateMachineArn = options.arn ?? outputs[names.stateMachineArn];
  const manifest = options.arn ? undefined : deps.readManifest(stackId);
  if (!stateMachineArn) throw new ExecuteError(notInStack(stackId, options.workflow, outputs, manifest));
  const region = STATE_MACHINE_ARN_RULE.exec(stateMachineArn)?.[1];
  if (!region) throw new ExecuteError(`"${stateMachineArn}" is not a state machine ARN (arn:aws:states:<region>:<account>:stateMachine:<name>)`);
  const workflow = manifest?.workflows.find((entry) => entry.id === options.workflow);
  const kind = workflow?.kind;
  const sfn = deps.sfn(region);

  if (options.verb === 'list') {
    const list = await listRuns(sfn, stateMachineArn, options.workflow);
    if (options.json) deps.print(JSON.stringify(list, null, 2));
    else if (list.length === 0) deps.print(`no runs of ${options.workflow} (executions of the last 90 days)`);
    else for (const run of list) deps.print(`${run.run}  generation ${run.generation}  ${run.status}  started ${run.started}  last change ${run.lastChange}`);
    return 0;
  }
  const run = new Run(sfn, stateMachineArn, options.workflow, options.runId!);
  if (options.verb === 'status') {
    const status = await statusOf(run);
    if (options.json) deps.print(JSON.stringify(status, null, 2));
    else printStatus(status, deps.print);
  } else if (options.verb === 'stop') {
    const newest = await stopRun(run, kind, deps.print);
    if (kind === 'task') await cancelJob(run, deps.lambda(region), workflow?.functions.cancel, newest, deps.print);
  } else {
    await resumeRun(run, kind, deps.print);
  }
  return 0;
}

if (require.main === module) {
  runs(process.argv.slice(2), {
    sfn: (region) => new SFNClient({ region }),
    lambda: (region) => new LambdaClient({ region }),
    readOutputs: terraformOutputs,
    readManifest: synthesizedManifest,
    stacks: () => synthesizedStacks(),
    print: (line) => console.log(line),
  }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      // Any other answer of the service (AccessDeniedException, ThrottlingException, ...): one line, by its name.
      if (error instanceof Error && '$metadata' in error) {
        console.error(`${error.name}: ${error.message}`);
        process.exit(1);
      }
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
