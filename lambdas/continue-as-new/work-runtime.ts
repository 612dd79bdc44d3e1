import { codeVersion } from '../shared/code-version';
import { executionFields, loggedCall } from '../shared/call-log';
import { callYours, HandlerError, InvalidInput } from '../shared/errors';
import { BATCH_STATE_LIMIT, checkStateSize, shapeOf, STATE_LIMIT, type StateLimit } from '../shared/payload';
import { requireInteger, requireObject, type JsonObject } from '../shared/validate';
import { readState, stampState, type VersionedModule } from '../shared/state-version';
import type { WorkHandler, WorkResult } from '../shared/work-contract';

/** The work function returned something that breaks the contract; never retried. */
export class InvalidWorkResult extends HandlerError {
  override readonly name = 'InvalidWorkResult';
}

/** What an Express batch adds to each call's event: the wrapper, not the work, keeps the batch's limits. */
export interface BatchControl {
  /** `$$.Execution.StartTime` of the batch. */
  readonly startTime: string;
  /** Calls this batch made before this one. */
  readonly calls: number;
  readonly limits: BatchLimits;
}

export interface BatchLimits {
  /** The latest a call may start, in seconds after the batch began. */
  readonly seconds: number;
  /** Calls one batch makes at most. @default no cap but time */
  readonly maxCalls?: number;
}

/** A call's result inside a batch: whether the batch has room for another call after it. */
export interface BatchWorkResult<State> extends WorkResult<State> {
  readonly more: boolean;
}

/** A call's result in a Standard loop: the retries its Task took before this attempt, handed back for the loop's count of history events, and the code that ran it. */
export interface CountedWorkResult<State> extends WorkResult<State> {
  readonly retries: number;
  readonly codeVersion: string;
}

/** Where a failed run's state is, to resume it; StateVersionMismatch says it. */
const RESUME =
  'Deploy a work that exports migrateState(state, fromVersion), then resume: redrive the execution, or start a new one with {"state": <the state the failed Work step received>}.';

function checkResult<State>(result: unknown, limit: StateLimit): WorkResult<State> {
  const problem =
    result === null || typeof result !== 'object' || Array.isArray(result)
      ? 'it is not an object'
      : typeof (result as { done?: unknown }).done !== 'boolean'
        ? `"done" is ${shapeOf((result as { done?: unknown }).done)}, not a boolean`
        : (result as { state?: unknown }).state === undefined
          ? 'it has no "state"'
          : undefined;
  if (problem) {
    throw new InvalidWorkResult(`the work returned ${shapeOf(result)}: ${problem}; it must return {"state": <JSON>, "done": <boolean>}`);
  }
  const { state, done } = result as WorkResult<State>;
  checkStateSize(state, 'the state the work returned', 0, limit);
  return { state, done };
}

function readBatch(input: JsonObject): BatchControl {
  const batch = requireObject(input.batch, 'event.batch');
  const startTime = batch.startTime;
  if (typeof startTime !== 'string' || Number.isNaN(Date.parse(startTime))) {
    throw new InvalidInput(`event.batch.startTime must be an ISO 8601 time, got ${shapeOf(startTime)}`);
  }
  const calls = requireInteger(batch, 'calls', 0, 'event.batch.calls');
  const limits = requireObject(batch.limits, 'event.batch.limits');
  const seconds = requireInteger(limits, 'seconds', 1, 'event.batch.limits.seconds');
  const maxCalls = limits.maxCalls === undefined ? undefined : requireInteger(limits, 'maxCalls', 1, 'event.batch.limits.maxCalls');
  return { startTime, calls, limits: { seconds, maxCalls } };
}

/** Whether a batch may start another call after the one that just returned. */
function roomForAnother(batch: BatchControl, now: number): boolean {
  const underCap = batch.limits.maxCalls === undefined || batch.calls + 1 < batch.limits.maxCalls;
  return underCap && now < Date.parse(batch.startTime) + batch.limits.seconds * 1000;
}

/**
 * What the deployed work function runs: your handler between a check of the event it gets and
 * of the result it returns. An AWS call of yours that fails transiently comes out as
 * TransientAwsError, which the state machine retries; what your work throws keeps its name and
 * stack, its message only by size, and a result that breaks the contract is named by its shape. Inside an Express batch it also says
 * whether the batch has room for another call, so your work never sees the batch's limits.
 * With `stateVersion` exported, every state it hands on is stamped with it, and a state another
 * version wrote is migrated (or refused with StateVersionMismatch) before your work runs.
 */
export function runWork<State>(
  work: WorkHandler<State>,
  module?: VersionedModule<State>,
): (event: unknown) => Promise<WorkResult<State> | BatchWorkResult<State> | CountedWorkResult<State>> {
  return (event) =>
    // The execution is the machine's own field, for the log line; your work never sees it.
    loggedCall('work', executionFields((event as { execution?: unknown } | null)?.execution), async (fields) => {
    const input = requireObject(event, 'event');
    if (!('state' in input)) throw new InvalidInput('event.state must be present (null for none)');
    const generation = requireInteger(input, 'generation', 0, 'event.generation');
    const iteration = requireInteger(input, 'iteration', 0, 'event.iteration');
    Object.assign(fields, { generation, iteration });
    // `$$.State.RetryCount`, from a definition that counts its history; none from one deployed before.
    const retries = input.retries === undefined ? undefined : requireInteger(input, 'retries', 0, 'event.retries');
    const batch = input.batch === undefined ? undefined : readBatch(input);
    if (batch?.calls === 0) checkStateSize(input.state, 'the state the batch started with', 0, BATCH_STATE_LIMIT);
    const state = await readState<State>(input.state, module, 'the work', RESUME);
    const result: unknown = await callYours('the work', () => work({ state, generation, iteration }));
    const checked = checkResult<State>(result, batch ? BATCH_STATE_LIMIT : STATE_LIMIT);
    const stamped = { ...checked, state: stampState(checked.state, module, 'the work') as State };
    fields.outcome = checked.done ? 'done' : 'continue';
    if (batch) return { ...stamped, more: !checked.done && roomForAnother(batch, Date.now()), ...(retries === undefined ? {} : { retries }) };
    // The Work step's output in the execution's history then says which deploy's code ran the call.
    return retries === undefined ? stamped : { ...stamped, retries, codeVersion: codeVersion() };
    });
}
