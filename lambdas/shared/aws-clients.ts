/**
 * Settings for every SDK client the handlers create. A hung connection or request is cut off
 * instead of holding the function until its timeout: the worst case, every attempt timing out,
 * is MAX_ATTEMPTS x (CONNECTION_TIMEOUT_MS + REQUEST_TIMEOUT_MS) plus the SDK's short backoff,
 * well inside the functions' timeout. The state machine retries past that (TransientAwsError).
 */
export const CONNECTION_TIMEOUT_MS = 2_000;
export const REQUEST_TIMEOUT_MS = 5_000;
export const MAX_ATTEMPTS = 2;

export const CLIENT_CONFIG = {
  maxAttempts: MAX_ATTEMPTS,
  // Recent SDK releases only log a request that passes requestTimeout unless told to throw;
  // older ones (the runtime's may be either) throw on it anyway.
  requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true },
};

/** The longest one handler's AWS call can take before it fails, backoff allowance included. */
export const WORST_CASE_CALL_SECONDS = (MAX_ATTEMPTS * (CONNECTION_TIMEOUT_MS + REQUEST_TIMEOUT_MS)) / 1000 + 1;
