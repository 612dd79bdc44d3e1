import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { CLIENT_CONFIG } from '../shared/aws-clients';
import { executionFields, loggedCall, type CallFields } from '../shared/call-log';
import { MAX_EXECUTION_NAME, readLineage, successorName, type Lineage, type LoopState } from './chain';
import { callAws, HandlerError, InvalidInput } from '../shared/errors';
import { EXECUTION_ARN_RULE, EXECUTION_ARN_TEXT, executionNameOf } from '../shared/execution-arn';
import { CHECK_INPUT_ENVIRONMENT } from '../shared/handler-environments';
import { requireObject, requireString } from '../shared/validate';
import { BATCH_STATE_LIMIT, checkStateSize, shapeOf, STATE_LIMIT } from '../shared/payload';

/**
 * A successor whose parent was stopped (`StopExecution`, status ABORTED) after starting it: the
 * run was stopped, so this execution does no work and ends at once, succeeded, with this as its
 * output's `stopped`.
 */
export interface RunStopped {
  readonly stopped: { readonly parentExecutionArn: string; readonly parentStatus: 'ABORTED' };
  readonly lineage: Lineage;
}

export interface CheckInputEvent {
  /** `$$.Execution.Id` */
  readonly executionArn: string;
}

/** The chain has run `maxGenerations` executions; this one holds the state to resume from. */
export class GenerationCapReached extends HandlerError {
  override readonly name = 'GenerationCapReached';
}

const INPUT_KEYS = ['state', 'lineage', 'AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID'];

const sfn = new SFNClient(CLIENT_CONFIG);

/** The state itself stays in the execution's input, where the console shows it: the cause says only its shape. */
function capReached(lineage: Lineage, state: unknown, maxGenerations: number): GenerationCapReached {
  return new GenerationCapReached(
    `the chain of ${lineage.rootExecutionName} reached maxGenerations (${maxGenerations}), so generation ${lineage.generation} does no work. ` +
      `To resume, start a new execution with {"state": <this execution's input state>} (${shapeOf(state)})`,
  );
}

/**
 * Checks the execution's input and turns it into the loop state. The input is read back with
 * DescribeExecution rather than passed as Parameters: adding even the execution's name to an
 * input at the 256 KiB quota would fail the state with States.DataLimitExceeded, which no Catch
 * can handle.
 */
const checkInput = async (event: unknown, fields: CallFields): Promise<LoopState | RunStopped> => {
  const { maxGenerations, loop } = CHECK_INPUT_ENVIRONMENT.read(process.env);
  const executionArn = requireString(requireObject(event, 'event'), 'executionArn', EXECUTION_ARN_RULE, EXECUTION_ARN_TEXT);
  const execution = await callAws(() => sfn.send(new DescribeExecutionCommand({ executionArn })));
  const input = requireObject(JSON.parse(execution.input ?? '{}'), 'the input');
  const unknown = Object.keys(input).filter((key) => !INPUT_KEYS.includes(key));
  if (unknown.length > 0) {
    throw new InvalidInput(`the input may hold only "state" (and, from a restart, "lineage"), not ${unknown.map((key) => `"${key}"`).join(', ')}: {"state": <JSON>}`);
  }
  const state = input.state === undefined ? null : input.state;
  checkStateSize(state, 'the input state', 0, loop === 'express' ? BATCH_STATE_LIMIT : STATE_LIMIT);

  const lineage: Lineage =
    input.lineage === undefined
      ? { rootExecutionArn: executionArn, rootExecutionName: executionNameOf(executionArn), generation: 0 }
      : readLineage(input.lineage, 'input.lineage');
  Object.assign(fields, { run: lineage.rootExecutionName, generation: lineage.generation });
  const parentExecutionArn = (input.lineage as { parentExecutionArn?: unknown } | undefined)?.parentExecutionArn;
  if (typeof parentExecutionArn === 'string' && EXECUTION_ARN_RULE.test(parentExecutionArn)) {
    // Stopping a run stops its executions; one its parent started in the same moment sees it here.
    // A parent gone from the history (past 90 days, or never there) stopped nothing.
    const parent = await callAws(() => sfn.send(new DescribeExecutionCommand({ executionArn: parentExecutionArn }))).catch((error: unknown) => {
      if (error instanceof Error && error.name === 'ExecutionDoesNotExist') return undefined;
      throw error;
    });
    if (parent?.status === 'ABORTED') {
      fields.outcome = 'stopped';
      return { stopped: { parentExecutionArn, parentStatus: 'ABORTED' }, lineage };
    }
  }
  if (lineage.generation >= maxGenerations) throw capReached(lineage, state, maxGenerations);
  // Generation maxGenerations is started too, and stops at once with GenerationCapReached.
  const lastName = successorName({ ...lineage, generation: maxGenerations - 1 });
  if (lineage.generation === 0 && lastName.length > MAX_EXECUTION_NAME) {
    throw new InvalidInput(
      `the execution name ${lineage.rootExecutionName} is too long for its chain: successors are named <name>-g<generation>, up to ${lastName.slice(lineage.rootExecutionName.length)}, ` +
        `and a name holds at most ${MAX_EXECUTION_NAME} characters, so it may have ${MAX_EXECUTION_NAME - (lastName.length - lineage.rootExecutionName.length)}`,
    );
  }
  const startTime = (execution.startDate ?? new Date()).toISOString();
  fields.outcome = 'checked';
  return { work: { state, done: false }, loop: { iteration: 0, events: 0 }, lineage, self: { executionArn, startTime } };
};

export const handler = (event: unknown) => loggedCall('check-input', executionFields((event as { executionArn?: unknown } | null)?.executionArn), (fields) => checkInput(event, fields));
