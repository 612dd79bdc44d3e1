import { callYours, HandlerError, InvalidInput } from '../shared/errors';
import { BATCH_STATE_LIMIT, checkStateSize, shapeOf, STATE_LIMIT, type StateLimit } from '../shared/payload';
import { requireInteger, requireObject, type JsonObject } from '../shared/validate';
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
 */
export function runWork<State>(work: WorkHandler<State>): (event: unknown) => Promise<WorkResult<State> | BatchWorkResult<State>> {
  return async (event) => {
    const input = requireObject(event, 'event');
    if (!('state' in input)) throw new InvalidInput('event.state must be present (null for none)');
    const generation = requireInteger(input, 'generation', 0, 'event.generation');
    const iteration = requireInteger(input, 'iteration', 0, 'event.iteration');
    const batch = input.batch === undefined ? undefined : readBatch(input);
    if (batch?.calls === 0) checkStateSize(input.state, 'the state the batch started with', 0, BATCH_STATE_LIMIT);
    const result: unknown = await callYours('the work', () => work({ state: input.state as State, generation, iteration }));
    if (!batch) return checkResult<State>(result, STATE_LIMIT);
    const checked = checkResult<State>(result, BATCH_STATE_LIMIT);
    return { ...checked, more: !checked.done && roomForAnother(batch, Date.now()) };
  };
}
