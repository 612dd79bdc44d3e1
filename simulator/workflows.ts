import { loadLambdaFunction, type Handler } from './bundled-handler';
import { actingAs } from './fake-aws';
import { START_EXECUTION_SYNC, startExecutionSync, type NestedExecutionOptions } from './nested-executions';
import { SERVICE_INTEGRATIONS } from './service-integrations';
import type { DeployedStateMachine, StackArtifacts, StateMachineArtifact } from './stack-artifacts';

/** Wraps what a Task runs, e.g. to inject a fault or watch the calls; receives the state name. */
export type HandlerWrapper = (stateName: string, handler: Handler) => Handler;

export interface SimulationHooks {
  readonly wrapHandler?: HandlerWrapper;
  /** Called as each state is entered, with the execution it belongs to and the state's input. */
  readonly onState?: (executionName: string, stateName: string, input: unknown) => void;
}

const LAMBDA_ARN = /^arn:[^:]+:lambda:[^:]+:\d{12}:function:([^:]+)$/;

export type NestedOptions = Omit<NestedExecutionOptions, 'artifacts' | 'handlerFor'>;

/**
 * Resolves each Task's resource: a function's bundled handler from its zip (loaded once, each
 * call held to the function's timeout), a service integration, which the state machine's own
 * role calls, or, given `nested`, a nested execution of another of the stack's state machines
 * (wrapped as a whole, its input holding `StateMachineArn`, and the wrapper sees the Tasks
 * inside it too). The fakes record who made each call.
 */
export function taskRunner(artifacts: StackArtifacts, stateMachine: StateMachineArtifact, wrap: HandlerWrapper = (_, handler) => handler, nested?: NestedOptions) {
  const loaded = new Map<string, Handler>();
  let startNested: Handler | undefined;
  // One runner per nested state machine, so its functions stay loaded from one execution to the next, as in a warm container.
  const nestedRunners = new Map<string, ReturnType<typeof taskRunner>>();
  const nestedRunner = (target: StateMachineArtifact) => {
    if (!nestedRunners.has(target.arn)) nestedRunners.set(target.arn, taskRunner(artifacts, target, wrap, nested));
    return nestedRunners.get(target.arn)!;
  };
  const as = (caller: string, handler: Handler): Handler => (input) => actingAs(caller, () => handler(input));
  return (stateName: string, resource: string): Handler => {
    const functionName = LAMBDA_ARN.exec(resource)?.[1];
    if (resource === START_EXECUTION_SYNC && nested) {
      startNested ??= as(stateMachine.name, startExecutionSync({ ...nested, artifacts, handlerFor: nestedRunner }));
      return wrap(stateName, startNested);
    }
    if (!functionName) {
      const integration = SERVICE_INTEGRATIONS[resource];
      if (!integration) throw new Error(`Task ${stateName} calls ${resource}, which the simulator does not answer`);
      return wrap(stateName, as(stateMachine.name, integration));
    }
    let handler = loaded.get(functionName);
    if (!handler) {
      const fn = artifacts.functions.get(functionName);
      if (!fn) throw new Error(`no function ${functionName} in the synthesized stack`);
      handler = as(functionName, loadLambdaFunction(fn));
      loaded.set(functionName, handler);
    }
    return wrap(stateName, yieldFirst(handler));
  };
}

/**
 * Lets the run's event log catch up before a handler runs, so a state's entry is seen (and
 * printed) before anything the handler prints.
 */
const yieldFirst =
  (handler: Handler): Handler =>
  async (input) => {
    await new Promise((resolve) => setImmediate(resolve));
    return handler(input);
  };

/** The workflow of the given kind to run: by id, or the stack's only one of that kind. */
export function workflowOf(artifacts: StackArtifacts, kind: DeployedStateMachine['kind'], workflowId?: string): DeployedStateMachine {
  const candidates = Object.values(artifacts.stateMachines).filter((machine) => machine.kind === kind);
  const found = workflowId === undefined ? (candidates.length === 1 ? candidates[0] : undefined) : candidates.find((machine) => machine.workflowId === workflowId);
  if (!found) throw new Error(`no ${kind} workflow ${workflowId ?? ''} to run: the stack's are ${candidates.map((machine) => machine.workflowId).join(', ') || 'none'}`);
  return found;
}
