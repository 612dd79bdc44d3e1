import { executionFields, loggedCall } from '../shared/call-log';
import { callYours, HandlerError, InvalidInput } from '../shared/errors';
import { checkStateSize, shapeOf } from '../shared/payload';
import { jsonBytes } from '../shared/work-contract';
import { TASK_STATUSES, type TaskCancelHandler, type TaskCheckHandler, type TaskStartHandler, type TaskStatus } from '../shared/task-contract';
import { requireInteger, requireObject } from '../shared/validate';
import { readState, stampState, type VersionedModule } from '../shared/state-version';

const RESUME = 'Deploy a check that exports migrateState(handle, fromVersion), then start the task again, or redrive the execution.';
const CANCEL_AGAIN = 'Deploy a cancel that exports the same stateVersion as check, or migrateState(handle, fromVersion), then invoke it again with {"handle": ...}.';

/** start or check returned something that breaks the contract; never retried. */
export class InvalidTaskResult extends HandlerError {
  override readonly name = 'InvalidTaskResult';
}

/** check said the job failed; the execution fails with this name and the reason. */
export class TaskFailed extends HandlerError {
  override readonly name = 'TaskFailed';
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * What the deployed start function runs: your handler between a check of the event and of the
 * handle it returns. A transient AWS failure of yours comes out as TransientAwsError, retried.
 */
export function runStart<Input, Handle>(start: TaskStartHandler<Input, Handle>, module?: VersionedModule<Handle>): (event: unknown) => Promise<{ task: Handle; inputBytes: number }> {
  return (event) =>
    loggedCall('start', executionFields((event as { execution?: { id?: unknown } } | null)?.execution?.id), async (fields) => {
    const { input, execution } = requireObject(event, 'event');
    const { name, startTime } = requireObject(execution, 'event.execution');
    if (typeof name !== 'string' || typeof startTime !== 'string') throw new InvalidInput('event.execution must hold the execution\'s "name" and "startTime"');
    const result: unknown = await callYours('start', () => start({ input: input as Input, execution: { name, startTime } }));
    if (!isObject(result) || result.task === undefined) {
      throw new InvalidTaskResult(`start returned ${shapeOf(result)}: it must return {"task": <JSON>}, the handle check needs`);
    }
    // The machine carries the input beside the handle (and the result) to the end: they share one payload.
    const inputBytes = jsonBytes(input);
    // With a stateVersion exported, the handle goes on stamped with it, for check to read.
    const task = stampState(result.task as Handle, module, 'start') as Handle;
    checkStateSize({ input, task }, 'the input with the handle start returned');
    fields.outcome = 'started';
    return { task, inputBytes };
    });
}

/** What the machine keeps of a check: the status, the handle (replaced or not), the result, and the input's size it passes on. */
export interface CheckedTask<Handle, Result> {
  readonly status: Exclude<TaskStatus, 'failed'>;
  readonly task: Handle;
  readonly result: Result | null;
  readonly inputBytes: number;
  /** The retries this check took, when the machine said (for its count of history events). */
  readonly retries?: number;
}

/**
 * What the deployed check function runs: your handler between a check of the event and of its
 * result. `failed` becomes the error TaskFailed with the reason; a result that breaks the
 * contract, InvalidTaskResult naming its shape. With `stateVersion` exported (by start and check
 * alike), the handle travels stamped with the version that wrote it, and a handle another
 * version wrote is migrated (`migrateState`) or refused with StateVersionMismatch before your
 * check runs.
 */
export function runCheck<Handle, Result>(check: TaskCheckHandler<Handle, Result>, module?: VersionedModule<Handle>): (event: unknown) => Promise<CheckedTask<Handle, Result>> {
  return (event) =>
    loggedCall('check', executionFields((event as { execution?: unknown } | null)?.execution), async (fields) => {
    const input = requireObject(event, 'event');
    if (input.task === undefined) throw new InvalidInput('event.task must hold the handle');
    const poll = requireInteger(input, 'poll', 1, 'event.poll');
    fields.poll = poll;
    const waitedSeconds = requireInteger(input, 'waitedSeconds', 0, 'event.waitedSeconds');
    // The machine's own field, not the contract's: what the carried input takes of the payload (none when called by hand).
    const inputBytes = input.inputBytes === undefined ? 0 : requireInteger(input, 'inputBytes', 0, 'event.inputBytes');
    // The machine's too: `$$.State.RetryCount`, handed back for the poll loop's count of history events.
    const retries = input.retries === undefined ? undefined : requireInteger(input, 'retries', 0, 'event.retries');
    const handle = await readState<Handle>(input.task, module, 'check', RESUME);
    const result: unknown = await callYours('check', () => check({ task: handle, poll, waitedSeconds }));
    const broken = !isObject(result)
      ? 'it is not an object'
      : !TASK_STATUSES.includes(result.status as TaskStatus)
        ? `"status" is not one of ${TASK_STATUSES.map((s) => `"${s}"`).join(', ')}`
        : result.reason !== undefined && typeof result.reason !== 'string'
          ? '"reason" is not a string'
          : undefined;
    if (broken || !isObject(result)) {
      throw new InvalidTaskResult(`check returned ${shapeOf(result)}: ${broken}; it must return {"status": "running" | "succeeded" | "failed", "task"?, "result"?, "reason"?}`);
    }
    const task = stampState((result.task === undefined ? handle : result.task) as Handle, module, 'check') as Handle;
    checkStateSize(task, 'the handle check returned', inputBytes);
    fields.outcome = String(result.status);
    if (result.status === 'failed') {
      throw new TaskFailed(`the task failed: ${typeof result.reason === 'string' && result.reason !== '' ? result.reason : 'check gave no reason'} (the handle: ${shapeOf(task)})`);
    }
    const outcome = result.result === undefined ? null : (result.result as Result);
    checkStateSize({ task, result: outcome }, 'the handle with the result check returned', inputBytes);
    const checked = { status: result.status as CheckedTask<Handle, Result>['status'], task, result: outcome, inputBytes };
    return retries === undefined ? checked : { ...checked, retries };
    });
}

/**
 * What the deployed cancel function runs: your handler given the handle `npm run runs -- stop`
 * read from the stopped run (`{"handle": ...}`), read as check reads it (a stamped handle through
 * `stateVersion` and `migrateState`). Returns `{"message"?}`: what your function said it did.
 */
export function runCancel<Handle>(cancel: TaskCancelHandler<Handle>, module?: VersionedModule<Handle>): (event: unknown) => Promise<{ message?: string }> {
  return (event) =>
    loggedCall('cancel', {}, async (fields) => {
      const input = requireObject(event, 'event');
      if (input.handle === undefined) throw new InvalidInput('event.handle must hold the handle of the job to cancel');
      const handle = await readState<Handle>(input.handle, module, 'cancel', CANCEL_AGAIN);
      const result: unknown = await callYours('cancel', () => cancel({ handle }));
      if (result !== undefined && result !== null && !(isObject(result) && (result.message === undefined || typeof result.message === 'string'))) {
        throw new InvalidTaskResult(`cancel returned ${shapeOf(result)}: it must return nothing or {"message"?: string}`);
      }
      fields.outcome = 'cancelled';
      const message = isObject(result) ? (result.message as string | undefined) : undefined;
      return message === undefined ? {} : { message };
    });
}
