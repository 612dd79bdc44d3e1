import type { Handler } from './bundled-handler';
import type { FakeStepFunctions } from './fake-aws';
import { runExecution, type ExecutionResult } from './run-execution';
import { SERVICE_INTEGRATIONS } from './service-integrations';
import type { StackArtifacts, StateMachineArtifact } from './stack-artifacts';

/** The Task resource that starts an execution of another state machine and waits for its end, its output as JSON. */
export const START_EXECUTION_SYNC = 'arn:aws:states:::states:startExecution.sync:2';
const START_EXECUTION = 'arn:aws:states:::states:startExecution';

/** An execution a `startExecution.sync:2` Task ran, and the state machine it ran on. */
export interface NestedRun {
  readonly stateMachine: Pick<StateMachineArtifact, 'name' | 'arn' | 'type'>;
  readonly startedWith: typeof START_EXECUTION_SYNC;
  /** The execution whose Task started it, from the input's AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID. */
  readonly startedBy?: string;
  readonly execution: ExecutionResult;
}

export interface NestedExecutionOptions {
  readonly artifacts: StackArtifacts;
  readonly stepFunctions: FakeStepFunctions;
  /** What each Task of the nested execution runs. */
  readonly handlerFor: (stateMachine: StateMachineArtifact) => (stateName: string, resource: string) => Handler;
  readonly onState?: (executionName: string, stateName: string, input: unknown) => void;
  readonly onRun?: (run: NestedRun) => void;
}

type Parameters = { readonly StateMachineArn?: unknown; readonly Input?: unknown; readonly Name?: unknown };

/**
 * Answers `startExecution.sync:2` as Step Functions does: starts the execution through Step
 * Functions' API (the fake records it, and its faults apply), runs the target's real rendered
 * definition as a nested execution, and returns its description with input and output as JSON.
 * A nested execution that fails fails the Task with `States.TaskFailed`, the description (its
 * Error and Cause among it) as JSON in the cause.
 */
export function startExecutionSync(options: NestedExecutionOptions): Handler {
  let started = 0;
  return async (input) => {
    const { StateMachineArn, Input, Name } = input as Parameters;
    const target = options.artifacts.stateMachinesByArn.get(String(StateMachineArn));
    started += 1;
    const name = typeof Name === 'string' ? Name : `nested-${String(started).padStart(6, '0')}`;
    // Started as the optimized StartExecution integration starts one: the same call, the same error names.
    const { ExecutionArn: executionArn } = (await SERVICE_INTEGRATIONS[START_EXECUTION]({ StateMachineArn, Name: name, Input })) as { ExecutionArn?: string };
    if (!target || !executionArn) throw new Error(`the simulation has no state machine ${String(StateMachineArn)} to run`);
    const startDate = Date.now();
    const execution = await runExecution({
      stateMachine: target,
      name,
      input: Input ?? {},
      handlerFor: options.handlerFor(target),
      onState: (state, stateInput) => options.onState?.(name, state, stateInput),
    });
    const record = options.stepFunctions.executions.get(executionArn);
    if (record) record.status = execution.status;
    const startedBy = (Input as { AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID?: string } | undefined)?.AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID;
    options.onRun?.({ stateMachine: { name: target.name, arn: target.arn, type: target.type }, startedWith: START_EXECUTION_SYNC, startedBy, execution });
    const description = {
      ExecutionArn: executionArn,
      Input: Input ?? {},
      InputDetails: { Included: true },
      Name: name,
      StartDate: startDate,
      StateMachineArn: target.arn,
      Status: execution.status,
      StopDate: Date.now(),
    };
    if (execution.status === 'SUCCEEDED') return { ...description, Output: execution.output, OutputDetails: { Included: true } };
    const failure = { ...description, Error: execution.error, ...(execution.cause === undefined ? {} : { Cause: execution.cause }) };
    throw Object.assign(new Error(JSON.stringify(failure)), { name: 'States.TaskFailed' });
  };
}
