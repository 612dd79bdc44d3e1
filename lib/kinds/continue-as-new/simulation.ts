// A job's chain of executions run locally: what its tests, its local run and the bench start it with.
import { FakeStepFunctions, type FaultOptions, type RecordedCall } from '../../../simulator/fake-aws';
import type { NestedRun } from '../../../simulator/nested-executions';
import { runExecution, type ExecutionResult } from '../../../simulator/run-execution';
import type { StackArtifacts } from '../../../simulator/stack-artifacts';
import { taskRunner, workflowOf, type SimulationHooks } from '../../../simulator/workflows';
import { KIND } from './defaults';

export type { HandlerWrapper } from '../../../simulator/workflows';

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
  /** Run only this many executions: a successor they started is in `started`, not run (a deploy between generations, say). @default all */
  readonly runExecutions?: number;
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
  const stateMachine = workflowOf(artifacts, KIND, options.workflowId);
  const sfn = options.stepFunctions ?? new FakeStepFunctions(options.stepFunctionsFaults);
  try {
    for (const old of options.existing ?? []) sfn.begin(stateMachine.arn, old.name, old.input, 'SUCCEEDED');
    const batches: NestedRun[] = [];
    const handlerFor = taskRunner(artifacts, stateMachine, options.wrapHandler, { stepFunctions: sfn, onState: options.onState, onRun: (run) => batches.push(run) });
    const queue = [sfn.begin(stateMachine.arn, options.rootName ?? 'simulated-run', options.input)];
    const executions: ExecutionResult[] = [];
    for (let next = queue.shift(); next && executions.length < (options.runExecutions ?? Infinity); next = queue.shift()) {
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
