import './polyfill';
import { ExecutionAbortedError, ExecutionError, StateMachine } from 'aws-local-stepfunctions';
import { isSyncTask, RETRY_EVENTS, SYNC_RETRY_EVENTS, SYNC_TASK_EVENTS, TASK_EVENTS } from '../lib/core/history-budget';
import type { Handler } from './bundled-handler';
import { executionArnOf } from './fake-aws';
import type { DeployedStateMachine } from './stack-artifacts';

export interface ExecutionResult {
  readonly name: string;
  readonly arn: string;
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  /** The states entered, in order. */
  readonly states: readonly string[];
  /** Each state's input as it was entered, in order. */
  readonly inputs: readonly { readonly state: string; readonly input: unknown }[];
  /** History events Step Functions would record: a Task 5 (+3 per retry; a `.sync` Task 6, +4), other states 2, a Fail state 1, the execution 2. */
  readonly historyEvents: number;
  readonly stateTransitions: number;
  /** Time the execution would spend in Wait states: simulated, it takes none. */
  readonly simulatedSeconds: number;
  /** Time the run took here, in real seconds: the handlers' own time, each held to its function's timeout. */
  readonly realSeconds: number;
}

export interface RunExecutionOptions {
  readonly stateMachine: Pick<DeployedStateMachine, 'name' | 'arn' | 'definition'>;
  readonly name: string;
  readonly input: unknown;
  /** What a Task state runs: a bundled handler for a Lambda ARN, a service integration otherwise. */
  readonly handlerFor: (stateName: string, resource: string) => Handler;
  readonly onState?: (stateName: string, input: unknown) => void;
}

/** Step Functions' payload quota: a state's input or output, or a Task's input after Parameters. */
export const PAYLOAD_QUOTA_BYTES = 262_144;
type TaskLike = { Type: string; Resource?: string };
/** One attempt of a Task: scheduled, started (and submitted, for a `.sync` Task), its outcome. */
const attemptEvents = (state: TaskLike) => (isSyncTask(state) ? SYNC_RETRY_EVENTS : RETRY_EVENTS);
/** A state's events besides exited: entered, and a Task's first attempt. */
const entryEvents = (state: TaskLike) => (state.Type !== 'Task' ? 1 : (isSyncTask(state) ? SYNC_TASK_EVENTS : TASK_EVENTS) - 1);

type Retrier = { readonly ErrorEquals: readonly string[]; readonly MaxAttempts?: number };

/**
 * `$$.State.RetryCount` as Step Functions sets it (aws-local-stepfunctions leaves it out): the
 * retries of the state running now. After a failed attempt it follows the state's retriers as the
 * runner does (the first whose ErrorEquals matches, unless its attempts are spent), so the next
 * attempt's Parameters read the count that attempt runs with; a success, or a failure no retrier
 * takes, starts the next state from 0.
 */
class RetryCounter {
  retryCount = 0;
  private attempts: number[] = [];

  failed(state: { Type: string; Retry?: readonly Retrier[] }, error: unknown): void {
    const name = (error as { name?: string } | null)?.name;
    const retriers = state.Retry ?? [];
    if (this.retryCount === 0) this.attempts = retriers.map(() => 0);
    const index = retriers.findIndex((retrier) =>
      retrier.ErrorEquals.some((e) => e === name || e === 'States.ALL' || (e === 'States.TaskFailed' && state.Type === 'Task' && name !== 'States.Timeout')),
    );
    if (index >= 0 && this.attempts[index] < (retriers[index].MaxAttempts ?? 3)) {
      this.attempts[index] += 1;
      this.retryCount += 1;
    } else {
      this.retryCount = 0;
    }
  }

  succeeded(): void {
    this.retryCount = 0;
  }
}

const machines = new WeakMap<object, StateMachine>();

/** The local machine of a definition, validated once: a chain runs one definition many times, and validation compiles schemas. */
function machineOf(definition: RunExecutionOptions['stateMachine']['definition']): StateMachine {
  let machine = machines.get(definition);
  if (!machine) {
    machine = new StateMachine(definition as any, { validationOptions: { checkArn: true, checkPaths: true } });
    machines.set(definition, machine);
  }
  return machine;
}

const bytesOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');

function readPath(input: unknown, jsonPath: string): unknown {
  if (!/^\$(\.[A-Za-z0-9_]+)+$/.test(jsonPath)) throw new Error(`the simulator reads only dotted paths, not ${jsonPath}`);
  return jsonPath
    .slice(2)
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], input);
}

/**
 * Runs one execution of a rendered definition in aws-local-stepfunctions: Task states call the
 * given handlers, Wait states and retry intervals take no real time, the event log is tallied
 * into what Step Functions would record, and the payload quota is enforced as Step Functions
 * does (States.DataLimitExceeded, which no Catch handles, ends the execution).
 */
export async function runExecution(options: RunExecutionOptions): Promise<ExecutionResult> {
  const { definition } = options.stateMachine;
  const taskResourceLocalHandlers: Record<string, (input: any) => Promise<any>> = {};
  const waitTimeOverrides: Record<string, number> = {};
  const retryIntervalOverrides: Record<string, number> = {};
  let overQuota: { state: string; bytes: number } | undefined;
  let abort = () => {};
  const checkQuota = (state: string, value: unknown) => {
    const bytes = bytesOf(value);
    if (bytes > PAYLOAD_QUOTA_BYTES && !overQuota) {
      overQuota = { state, bytes };
      abort();
    }
  };

  const retries = new RetryCounter();
  for (const [stateName, state] of Object.entries(definition.States)) {
    if (state.Type === 'Task') {
      const handler = options.handlerFor(stateName, String(state.Resource));
      taskResourceLocalHandlers[stateName] = async (input) => {
        checkQuota(stateName, input);
        let result: unknown;
        try {
          result = await handler(input);
        } catch (error) {
          retries.failed(state as { Type: string; Retry?: readonly Retrier[] }, error);
          throw error;
        }
        retries.succeeded();
        checkQuota(stateName, result);
        return result;
      };
      retryIntervalOverrides[stateName] = 0;
    }
    if (state.Type === 'Wait') waitTimeOverrides[stateName] = 0;
  }

  const startedAt = performance.now();
  const arn = executionArnOf(options.stateMachine.arn, options.name);
  const machine = machineOf(definition);
  const run = machine.run(options.input as any, {
    overrides: { taskResourceLocalHandlers, waitTimeOverrides, retryIntervalOverrides },
    context: {
      Execution: { Id: arn, Name: options.name },
      StateMachine: { Id: options.stateMachine.arn, Name: options.stateMachine.name },
      // Read as each attempt's Parameters are built: the runner keeps this object for the whole execution.
      State: {
        get RetryCount() {
          return retries.retryCount;
        },
      },
    } as never,
  });
  abort = () => run.abort();

  const states: string[] = [];
  const inputs: { state: string; input: unknown }[] = [];
  let historyEvents = 0;
  let simulatedSeconds = 0;
  let failure: { Error?: string; Cause?: unknown } | undefined;
  for await (const event of run.eventLogs) {
    switch (event.type) {
      case 'ExecutionStarted':
      case 'ExecutionSucceeded':
        historyEvents += 1;
        break;
      case 'StateExited':
        historyEvents += 1;
        checkQuota(event.state.name, event.state.output);
        break;
      case 'ExecutionFailed':
        historyEvents += 1;
        failure = event as { Error?: string; Cause?: unknown };
        break;
      case 'StateEntered': {
        const state = definition.States[event.state.name];
        historyEvents += entryEvents(state);
        if (state.Type === 'Wait') {
          simulatedSeconds += Number(state.Seconds ?? readPath(event.state.input, String(state.SecondsPath)));
        }
        checkQuota(event.state.name, event.state.input);
        states.push(event.state.name);
        inputs.push({ state: event.state.name, input: event.state.input });
        options.onState?.(event.state.name, event.state.input);
        break;
      }
      case 'StateRetried':
        historyEvents += attemptEvents(definition.States[event.state.name]);
        break;
    }
  }

  const summary = { name: options.name, arn, states, inputs, historyEvents, stateTransitions: states.length, simulatedSeconds };
  const realSeconds = () => (performance.now() - startedAt) / 1000;
  try {
    const output = await run.result;
    return { ...summary, status: 'SUCCEEDED', output, realSeconds: realSeconds() };
  } catch (error) {
    if (overQuota && error instanceof ExecutionAbortedError) {
      return {
        ...summary,
        realSeconds: realSeconds(),
        status: 'FAILED',
        error: 'States.DataLimitExceeded',
        cause: `The state/task '${overQuota.state}' has a payload of ${overQuota.bytes} bytes, over the ${PAYLOAD_QUOTA_BYTES}-byte quota.`,
      };
    }
    if (!(error instanceof ExecutionError)) throw error;
    return { ...summary, realSeconds: realSeconds(), status: 'FAILED', error: failure?.Error, cause: String(failure?.Cause ?? error.message) };
  }
}
