import './polyfill';
import { ExecutionError, StateMachine } from 'aws-local-stepfunctions';
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
  /** History events Step Functions would record: a Lambda Task 5 (+3 per retry), other states 2, the execution 2. */
  readonly historyEvents: number;
  readonly stateTransitions: number;
  /** Time the execution would spend in Wait states. */
  readonly simulatedSeconds: number;
}

export interface RunExecutionOptions {
  readonly stateMachine: DeployedStateMachine;
  readonly name: string;
  readonly input: unknown;
  /** The function each Task state calls, by the function name in its Resource ARN. */
  readonly handlerFor: (stateName: string, functionName: string) => Handler;
  readonly onState?: (stateName: string) => void;
}

const TASK_HISTORY_EVENTS_PER_ATTEMPT = 3;

function functionNameOf(resource: unknown, stateName: string): string {
  const match = typeof resource === 'string' ? /^arn:[^:]+:lambda:[^:]+:\d{12}:function:([^:]+)$/.exec(resource) : null;
  if (!match) throw new Error(`Task ${stateName} does not call a Lambda function by ARN: ${String(resource)}`);
  return match[1];
}

function readPath(input: unknown, jsonPath: string): unknown {
  if (!/^\$(\.[A-Za-z0-9_]+)+$/.test(jsonPath)) throw new Error(`the simulator reads only dotted paths, not ${jsonPath}`);
  return jsonPath
    .slice(2)
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], input);
}

/**
 * Runs one execution of a rendered definition in aws-local-stepfunctions: Task states call
 * the given handlers, Wait states and retry intervals take no real time, and the event log is
 * tallied into what Step Functions would record.
 */
export async function runExecution(options: RunExecutionOptions): Promise<ExecutionResult> {
  const { definition } = options.stateMachine;
  const taskResourceLocalHandlers: Record<string, (input: any) => Promise<any>> = {};
  const waitTimeOverrides: Record<string, number> = {};
  const retryIntervalOverrides: Record<string, number> = {};
  for (const [stateName, state] of Object.entries(definition.States)) {
    if (state.Type === 'Task') {
      const functionName = functionNameOf(state.Resource, stateName);
      taskResourceLocalHandlers[stateName] = (input) => options.handlerFor(stateName, functionName)(input) as Promise<any>;
      retryIntervalOverrides[stateName] = 0;
    }
    if (state.Type === 'Wait') waitTimeOverrides[stateName] = 0;
  }

  const arn = executionArnOf(options.stateMachine.arn, options.name);
  const machine = new StateMachine(definition as any, { validationOptions: { checkArn: true, checkPaths: true } });
  const run = machine.run(options.input as any, {
    overrides: { taskResourceLocalHandlers, waitTimeOverrides, retryIntervalOverrides },
    context: {
      Execution: { Id: arn, Name: options.name },
      StateMachine: { Id: options.stateMachine.arn, Name: options.stateMachine.name },
    },
  });

  const states: string[] = [];
  let historyEvents = 0;
  let simulatedSeconds = 0;
  let failure: { Error?: string; Cause?: unknown } | undefined;
  for await (const event of run.eventLogs) {
    switch (event.type) {
      case 'ExecutionStarted':
      case 'ExecutionSucceeded':
      case 'StateExited':
        historyEvents += 1;
        break;
      case 'ExecutionFailed':
        historyEvents += 1;
        failure = event as { Error?: string; Cause?: unknown };
        break;
      case 'StateEntered': {
        const state = definition.States[event.state.name];
        historyEvents += 1 + (state.Type === 'Task' ? TASK_HISTORY_EVENTS_PER_ATTEMPT : 0);
        if (state.Type === 'Wait') {
          simulatedSeconds += Number(state.Seconds ?? readPath(event.state.input, String(state.SecondsPath)));
        }
        states.push(event.state.name);
        options.onState?.(event.state.name);
        break;
      }
      case 'StateRetried':
        historyEvents += TASK_HISTORY_EVENTS_PER_ATTEMPT;
        break;
    }
  }

  const summary = { name: options.name, arn, states, historyEvents, stateTransitions: states.length, simulatedSeconds };
  try {
    return { ...summary, status: 'SUCCEEDED', output: await run.result };
  } catch (error) {
    if (!(error instanceof ExecutionError)) throw error;
    return { ...summary, status: 'FAILED', error: failure?.Error, cause: String(failure?.Cause ?? error.message) };
  }
}
