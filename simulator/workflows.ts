import { loadBundledHandler, type Handler } from './bundled-handler';
import { FakeRds, type FakeRdsOptions, FakeStepFunctions } from './fake-aws';
import { runExecution, type ExecutionResult } from './run-execution';
import type { StackArtifacts } from './stack-artifacts';

/** Wraps a Task's handler, e.g. to inject a fault; receives the state name. */
export type HandlerWrapper = (stateName: string, handler: Handler) => Handler;

export interface SimulationHooks {
  readonly wrapHandler?: HandlerWrapper;
  /** Called as each state is entered, with the execution it belongs to. */
  readonly onState?: (executionName: string, stateName: string) => void;
}

function handlerCache(artifacts: StackArtifacts, wrap: HandlerWrapper = (_, handler) => handler) {
  const loaded = new Map<string, Handler>();
  return (stateName: string, functionName: string): Handler => {
    let handler = loaded.get(functionName);
    if (!handler) {
      const fn = artifacts.functions.get(functionName);
      if (!fn) throw new Error(`no function ${functionName} in the synthesized stack`);
      handler = loadBundledHandler(fn);
      loaded.set(functionName, handler);
    }
    return wrap(stateName, handler);
  };
}

export interface ChainOptions extends SimulationHooks {
  readonly input: unknown;
  /** @default "simulated-run" */
  readonly rootName?: string;
  /** Throttle the first Step Functions calls of each API. @default 0 */
  readonly throttleFirstCalls?: number;
  /** Stop a runaway chain. @default 1000 */
  readonly maxExecutions?: number;
}

export interface ChainResult {
  readonly executions: readonly ExecutionResult[];
  /** Every execution the fake Step Functions recorded, with the input it was started with. */
  readonly started: readonly { readonly name: string; readonly input: unknown; readonly stateMachineArn: string }[];
}

/**
 * Runs a continue-as-new chain: the first execution, then each execution its restart function
 * started, until none is started.
 */
export async function runContinueAsNewChain(artifacts: StackArtifacts, options: ChainOptions): Promise<ChainResult> {
  const stateMachine = artifacts.stateMachines['continue-as-new'];
  const sfn = new FakeStepFunctions({ throttleFirstCalls: options.throttleFirstCalls });
  try {
    const handlerFor = handlerCache(artifacts, options.wrapHandler);
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
        onState: (state) => options.onState?.(current.name, state),
      });
      current.status = result.status;
      executions.push(result);
      queue.push(...sfn.takeStarted());
    }
    const started = [...sfn.executions.values()].map((e) => ({ name: e.name, input: JSON.parse(e.input), stateMachineArn: e.stateMachineArn }));
    return { executions, started };
  } finally {
    sfn.restore();
  }
}

export interface SnapshotOptions extends SimulationHooks, FakeRdsOptions {
  readonly input?: unknown;
  /** @default "simulated-snapshot" */
  readonly executionName?: string;
}

export interface SnapshotResult {
  readonly execution: ExecutionResult;
  /** Snapshots the fake RDS created. */
  readonly snapshots: readonly string[];
  readonly calls: ReadonlyMap<string, number>;
}

/** Runs one execution of the snapshot workflow against a fake RDS that reports the given statuses. */
export async function runSnapshotWorkflow(artifacts: StackArtifacts, options: SnapshotOptions): Promise<SnapshotResult> {
  const rds = new FakeRds(options);
  try {
    const name = options.executionName ?? 'simulated-snapshot';
    const execution = await runExecution({
      stateMachine: artifacts.stateMachines['rds-snapshot'],
      name,
      input: options.input ?? {},
      handlerFor: handlerCache(artifacts, options.wrapHandler),
      onState: (state) => options.onState?.(name, state),
    });
    return { execution, snapshots: [...rds.snapshots.keys()], calls: rds.calls };
  } finally {
    rds.restore();
  }
}
