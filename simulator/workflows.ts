import { loadBundledHandler, type Handler } from './bundled-handler';
import { actingAs, FakeRds, type FakeRdsOptions, FakeStepFunctions, type FaultOptions, type RecordedCall } from './fake-aws';
import { START_EXECUTION_SYNC, startExecutionSync, type NestedExecutionOptions, type NestedRun } from './nested-executions';
import { runExecution, type ExecutionResult } from './run-execution';
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

type NestedOptions = Omit<NestedExecutionOptions, 'artifacts' | 'handlerFor'>;

/**
 * Resolves each Task's resource: a function's bundled handler from its zip (loaded once), a
 * service integration, which the state machine's own role calls, or, given `nested`, a nested
 * execution of another of the stack's state machines (not wrapped: the wrapper sees the Tasks
 * inside it). The fakes record who made each call.
 */
function taskRunner(artifacts: StackArtifacts, stateMachine: StateMachineArtifact, wrap: HandlerWrapper = (_, handler) => handler, nested?: NestedOptions) {
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
      return startNested;
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
      handler = as(functionName, loadBundledHandler(fn));
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
function workflowOf(artifacts: StackArtifacts, kind: DeployedStateMachine['kind'], workflowId?: string): DeployedStateMachine {
  const candidates = Object.values(artifacts.stateMachines).filter((machine) => machine.kind === kind);
  const found = workflowId === undefined ? (candidates.length === 1 ? candidates[0] : undefined) : candidates.find((machine) => machine.workflowId === workflowId);
  if (!found) throw new Error(`no ${kind} workflow ${workflowId ?? ''} to run: the stack's are ${candidates.map((machine) => machine.workflowId).join(', ') || 'none'}`);
  return found;
}

export interface ChainOptions extends SimulationHooks {
  /** The job to run. @default the stack's only continue-as-new job */
  readonly workflowId?: string;
  readonly input: unknown;
  /** @default "simulated-run" */
  readonly rootName?: string;
  /** Faults in Step Functions' own API (the successor's start, reading an execution back). */
  readonly stepFunctionsFaults?: FaultOptions;
  /** Step Functions as the caller set it up (to reach into it during the run); its faults win. @default a new one */
  readonly stepFunctions?: FakeStepFunctions;
  /** Executions that exist before the chain starts, e.g. one from an old chain holding a name it will want. */
  readonly existing?: readonly { readonly name: string; readonly input: unknown }[];
  /** Stop a runaway chain. @default 1000 */
  readonly maxExecutions?: number;
}

export interface ChainResult {
  readonly executions: readonly ExecutionResult[];
  /** The batches an Express loop ran (`startExecution.sync:2`), in order; none for a Standard loop. */
  readonly batches: readonly NestedRun[];
  /** Every execution the fake Step Functions recorded, with the input it was started with. */
  readonly started: readonly { readonly name: string; readonly input: unknown; readonly stateMachineArn: string }[];
  readonly stepFunctionsCalls: ReadonlyMap<string, number>;
  /** Every Step Functions call, with who made it. */
  readonly stepFunctionsLog: readonly RecordedCall[];
}

/**
 * Runs a continue-as-new chain: the first execution, then each successor it started, until one
 * starts none. The successor is started by whichever restart mode the definition uses.
 */
export async function runContinueAsNewChain(artifacts: StackArtifacts, options: ChainOptions): Promise<ChainResult> {
  const stateMachine = workflowOf(artifacts, 'continue-as-new', options.workflowId);
  const sfn = options.stepFunctions ?? new FakeStepFunctions(options.stepFunctionsFaults);
  try {
    for (const old of options.existing ?? []) sfn.begin(stateMachine.arn, old.name, old.input, 'SUCCEEDED');
    const batches: NestedRun[] = [];
    const handlerFor = taskRunner(artifacts, stateMachine, options.wrapHandler, { stepFunctions: sfn, onState: options.onState, onRun: (run) => batches.push(run) });
    const queue = [sfn.begin(stateMachine.arn, options.rootName ?? 'simulated-run', options.input)];
    const executions: ExecutionResult[] = [];
    for (let next = queue.shift(); next; next = queue.shift()) {
      if (executions.length === (options.maxExecutions ?? 1000)) throw new Error(`the chain ran past ${executions.length} executions`);
      const current = next;
      const result = await runExecution({
        stateMachine,
        name: current.name,
        input: JSON.parse(current.input),
        handlerFor,
        onState: (state, input) => options.onState?.(current.name, state, input),
      });
      current.status = result.status;
      executions.push(result);
      queue.push(...sfn.takeStarted().filter((started) => started.stateMachineArn === stateMachine.arn));
    }
    const started = [...sfn.executions.values()].map((e) => ({ name: e.name, input: JSON.parse(e.input), stateMachineArn: e.stateMachineArn }));
    return { executions, batches, started, stepFunctionsCalls: sfn.calls, stepFunctionsLog: sfn.log };
  } finally {
    if (!options.stepFunctions) sfn.restore();
  }
}

export interface SnapshotOptions extends SimulationHooks, FakeRdsOptions {
  /** @default the stack's only snapshot workflow */
  readonly workflowId?: string;
  /** @default {} (the only configured target) */
  readonly input?: unknown;
  /** @default "simulated-snapshot" */
  readonly executionName?: string;
}

export interface SnapshotResult {
  readonly execution: ExecutionResult;
  /** Snapshots the run made. */
  readonly snapshots: readonly string[];
  /** Snapshots the run deleted. */
  readonly deleted: readonly string[];
  readonly calls: ReadonlyMap<string, number>;
  /** Every RDS call, with who made it. */
  readonly log: readonly RecordedCall[];
}

/** Runs one execution of the snapshot workflow against a fake RDS with the given targets, snapshots and statuses. */
export async function runSnapshotWorkflow(artifacts: StackArtifacts, options: SnapshotOptions): Promise<SnapshotResult> {
  const rds = new FakeRds(options);
  const existing = new Set((options.existing ?? []).map((s) => s.identifier));
  try {
    const name = options.executionName ?? 'simulated-snapshot';
    const stateMachine = workflowOf(artifacts, 'rds-snapshot', options.workflowId);
    const execution = await runExecution({
      stateMachine,
      name,
      input: options.input ?? {},
      handlerFor: taskRunner(artifacts, stateMachine, options.wrapHandler),
      onState: (state, input) => options.onState?.(name, state, input),
    });
    const made = [...rds.snapshots.keys(), ...rds.deleted].filter((id) => !existing.has(id));
    return { execution, snapshots: made, deleted: [...rds.deleted], calls: rds.calls, log: rds.log };
  } finally {
    rds.restore();
  }
}

export interface TaskOptions extends SimulationHooks {
  /** The task to run. @default the stack's only task */
  readonly workflowId?: string;
  /** @default {} */
  readonly input?: unknown;
  /** @default "simulated-task" */
  readonly executionName?: string;
}

/**
 * Runs one execution of a long-running task: its bundled start and check functions in its
 * rendered definition. What they call is theirs to fake (the example export task's
 * DynamoDB: `FakeDynamoDb`).
 */
export async function runTaskWorkflow(artifacts: StackArtifacts, options: TaskOptions = {}): Promise<ExecutionResult> {
  const stateMachine = workflowOf(artifacts, 'task', options.workflowId);
  const name = options.executionName ?? 'simulated-task';
  return runExecution({
    stateMachine,
    name,
    input: options.input ?? {},
    handlerFor: taskRunner(artifacts, stateMachine, options.wrapHandler),
    onState: (state, input) => options.onState?.(name, state, input),
  });
}
