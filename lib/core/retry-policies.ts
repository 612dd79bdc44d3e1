/** An ASL retrier. */
export interface Retrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
  readonly JitterStrategy?: 'FULL';
}

/**
 * The Retry policies every kind may use, each defined once and named in the templates as a
 * whole-string placeholder (`"Retry": ["${LambdaRetry}", "${TransientAwsRetry}"]`).
 */
export const RETRY_POLICIES = {
  /**
   * Lambda's own transient failures (AWS's guide on handling Lambda service exceptions lists the
   * first four), throttled invocations, a runtime that died or timed out, and a Task that
   * outlived its TimeoutSeconds. Every Lambda Task has it; synth refuses one that does not.
   */
  LambdaRetry: {
    ErrorEquals: [
      'Lambda.ClientExecutionTimeoutException',
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
      'Lambda.TooManyRequestsException',
      'Lambda.Unknown',
      'Sandbox.Timedout',
      'States.Timeout',
    ],
    IntervalSeconds: 1,
    MaxAttempts: 5,
    BackoffRate: 2,
    MaxDelaySeconds: 30,
    JitterStrategy: 'FULL',
  },
  /** An AWS call inside a handler that failed in a way that may pass (the handlers' TransientAwsError). */
  TransientAwsRetry: { ErrorEquals: ['TransientAwsError'], IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2, MaxDelaySeconds: 60, JitterStrategy: 'FULL' },
  /**
   * StartExecution's errors that no retry can fix, from its API reference, as Step Functions'
   * integration names them: never retried (the next policy would retry any Task failure).
   */
  StartExecutionFinalErrors: {
    ErrorEquals: [
      'StepFunctions.ExecutionAlreadyExistsException',
      'StepFunctions.InvalidArnException',
      'StepFunctions.InvalidExecutionInputException',
      'StepFunctions.InvalidNameException',
      'StepFunctions.StateMachineDeletingException',
      'StepFunctions.StateMachineDoesNotExistException',
      'StepFunctions.ValidationException',
    ],
    MaxAttempts: 0,
  },
  /** A service integration Task (no handler of ours to classify its errors) that failed or timed out. */
  IntegrationRetry: { ErrorEquals: ['States.TaskFailed', 'States.Timeout'], IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2, MaxDelaySeconds: 60, JitterStrategy: 'FULL' },
} as const satisfies Record<string, Retrier>;

/** What a Lambda Task's two retry policies retry: errors that may pass. */
export const TRANSIENT_ERRORS: readonly string[] = [...RETRY_POLICIES.LambdaRetry.ErrorEquals, ...RETRY_POLICIES.TransientAwsRetry.ErrorEquals];

/** What any definition may name from here: each retry policy by name, and `TransientErrors`. */
export const RETRY_VALUES = { ...RETRY_POLICIES, TransientErrors: TRANSIENT_ERRORS };

/** The longest a retrier waits in all before it gives up (full jitter waits up to this, often less). */
export function longestBackoffSeconds(retrier: Retrier): number {
  let total = 0;
  for (let attempt = 0; attempt < retrier.MaxAttempts; attempt += 1) {
    const interval = (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** attempt;
    total += Math.min(interval, retrier.MaxDelaySeconds ?? Infinity);
  }
  return total;
}
