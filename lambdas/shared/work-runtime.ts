import { callAws, HandlerError, InvalidInput } from './errors';
import { checkStateSize, quote } from './payload';
import { requireInteger, requireObject } from './validate';
import type { WorkHandler, WorkResult } from './work-contract';


/** The work function returned something that breaks the contract; never retried. */
export class InvalidWorkResult extends HandlerError {
  override readonly name = 'InvalidWorkResult';
}

function checkResult<State>(result: unknown): WorkResult<State> {
  const problem =
    result === null || typeof result !== 'object' || Array.isArray(result)
      ? 'it is not an object'
      : typeof (result as { done?: unknown }).done !== 'boolean'
        ? '"done" is not a boolean'
        : (result as { state?: unknown }).state === undefined
          ? 'it has no "state"'
          : undefined;
  if (problem) {
    throw new InvalidWorkResult(`the work returned ${quote(result)}: ${problem}; it must return {"state": <JSON>, "done": <boolean>}`);
  }
  const { state, done } = result as WorkResult<State>;
  checkStateSize(state, 'the state the work returned');
  return { state, done };
}

/**
 * What the deployed work function runs: your handler between a check of the event it gets and
 * of the result it returns. An AWS call of yours that fails transiently comes out as
 * TransientAwsError, which the state machine retries.
 */
export function runWork<State>(work: WorkHandler<State>): (event: unknown) => Promise<WorkResult<State>> {
  return async (event) => {
    const input = requireObject(event, 'event');
    if (!('state' in input)) throw new InvalidInput('event.state must be present (null for none)');
    const generation = requireInteger(input, 'generation', 0, 'event.generation');
    const iteration = requireInteger(input, 'iteration', 0, 'event.iteration');
    const result: unknown = await callAws(() => work({ state: input.state as State, generation, iteration }));
    return checkResult<State>(result);
  };
}
