import { isServerError, isThrottlingError, isTransientError } from '@smithy/service-error-classification';

/**
 * Thrown when a handler's event or configuration breaks a rule. Step Functions sees the
 * error name `InvalidInput`; the state machines never retry it.
 */
export class InvalidInput extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidInput';
  }
}

/**
 * An AWS call failed in a way that may pass: throttling, a server-side error, a timeout or a
 * dropped connection. The one error name the state machines retry for every service, so no
 * service's error vocabulary has to be copied into the ASL.
 */
export class TransientAwsError extends Error {
  constructor(readonly original: Error) {
    super(`${original.name}: ${original.message}`);
    this.name = 'TransientAwsError';
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

/** True when an AWS SDK error (or any error) carries the given name. */
export function hasErrorName(error: unknown, ...names: string[]): boolean {
  return error instanceof Error && names.includes(error.name);
}
