// One task run locally: what its tests and its local run start it with.
import { runExecution, type ExecutionResult } from '../../../simulator/run-execution';
import type { StackArtifacts } from '../../../simulator/stack-artifacts';
import { taskRunner, workflowOf, type SimulationHooks } from '../../../simulator/workflows';
import { KIND } from './defaults';

export type { HandlerWrapper } from '../../../simulator/workflows';

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
  const stateMachine = workflowOf(artifacts, KIND, options.workflowId);
  const name = options.executionName ?? 'simulated-task';
  return runExecution({
    stateMachine,
    name,
    input: options.input ?? {},
    handlerFor: taskRunner(artifacts, stateMachine, options.wrapHandler),
    onState: (state, input) => options.onState?.(name, state, input),
  });
}
