import { isServerError, isThrottlingError, isTransientError } from '@smithy/service-error-classification';

/**
 * What every error a handler throws on purpose extends. Its name is what Step Functions' Retry
 * and Catch match, so each class states it as a string: the bundles are minified, which renames
 * classes, so `new.target.name` would not survive into a deployed function.
 */
export abstract class HandlerError extends Error {
  abstract override readonly name: string;
}

/** A handler's event breaks a rule; the state machines never retry it. */
export class InvalidInput extends HandlerError {
  override readonly name = 'InvalidInput';
}

/**
 * A function's environment is missing a variable or holds one that breaks its rule: the
 * deployment is wrong, not the input, and no retry or other input can fix it.
 */
export class DeploymentError extends HandlerError {
  override readonly name = 'DeploymentError';
}

/**
 * An AWS call failed in a way that may pass: throttling, a server-side error, a timeout or a
 * dropped connection. The one error name the state machines retry for every service, so no
 * service's error vocabulary has to be copied into the ASL.
 */
export class TransientAwsError extends HandlerError {
  override readonly name = 'TransientAwsError';

  constructor(cause: Error) {
    super(`${cause.name}: ${cause.message}`, { cause });
  }
}

type SdkError = Parameters<typeof isTransientError>[0];

/** The SDK's own classification (the one its retry strategy uses), plus any fault it marks as the server's. */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const sdkError = error as SdkError;
  return isThrottlingError(sdkError) || isTransientError(sdkError) || isServerError(sdkError) || sdkError.$fault === 'server';
}

/** Runs one AWS call; a transient failure comes out as TransientAwsError, anything else unchanged. */
export async function callAws<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw isTransient(error) ? new TransientAwsError(error as Error) : error;
  }
}

/**
 * Runs your code (the work, a task's start or check): whatever it throws comes out with its name
 * (TransientAwsError for a transient AWS failure, which the machines retry) and its stack, but
 * the message only by its size — it may quote the state, and a cause reaches the alerts. A
 * HandlerError (this project's errors, and yours if you extend it) keeps its message: its
 * messages are written to name no value.
 */
export async function callYours<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof HandlerError) throw error;
    const thrown = error instanceof Error ? error : undefined;
    const name = thrown?.name || 'Error';
    const message = thrown ? thrown.message : String(error);
    const said = `${what} threw ${name} with a message of ${Buffer.byteLength(message, 'utf8')} bytes, not shown: a cause never carries what your code put in it`;
    const shaped = Object.assign(new Error(said), { name: isTransient(error) ? 'TransientAwsError' : name });
    const frames = (thrown?.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
    shaped.stack = [`${shaped.name}: ${said}`, ...frames].join('\n');
    throw shaped;
  }
}

/** True when an AWS SDK error (or any error) carries the given name. */
export function hasErrorName(error: unknown, ...names: string[]): boolean {
  return error instanceof Error && names.includes(error.name);
}
