/** The kind's name: its descriptor's, its workflows' `kind`, and its folders' in lib/kinds/, lambdas/ and asl/. */
export const KIND = 'continue-as-new';

/** How a continue-as-new execution starts its successor. */
export const RESTART_MODES = ['integration', 'function'] as const;
export type RestartWith = (typeof RESTART_MODES)[number];

/**
 * How the work is called: one Standard Task per call, or in batches, each an execution of an
 * Express state machine that calls the work in a loop (Express bills per request and duration,
 * not per state transition).
 */
export const LOOP_MODES = ['standard', 'express'] as const;
export type LoopMode = (typeof LOOP_MODES)[number];

/** Express executions stop at 5 minutes. */
export const EXPRESS_DURATION_SECONDS = 300;
/** How long the job's machine waits on one batch: its 5 minutes and a margin. */
export const EXPRESS_TASK_TIMEOUT_SECONDS = EXPRESS_DURATION_SECONDS + 60;
/** Kept free at a batch's end besides one whole work call: the batch's own states and a Lambda cold start. */
export const BATCH_MARGIN_SECONDS = 30;
/** The longest work call an Express batch can hold with its margin: the call's Task timeout adds TASK_TIMEOUT_MARGIN_SECONDS. */
export const MAX_EXPRESS_WORK_TIMEOUT_SECONDS = 240;

/** A successor's name must stay within 80 characters: `-g1000000` is the longest suffix allowed for. */
export const MAX_GENERATIONS_LIMIT = 1_000_000;

/**
 * A job's settings with nothing configured: the construct applies them, the settings table
 * shows them and `jobs` entries start from them.
 */
export const JOB_DEFAULTS = {
  workEntry: 'lambdas/work.ts',
  workTimeoutSeconds: 60,
  workMemoryMb: 256,
  maxGenerations: 1000,
  restartWith: 'integration' as RestartWith,
  loop: 'standard' as LoopMode,
} as const;

/** The latest a batch starts a work call, in seconds after the batch began: 5 minutes less one call's Task timeout and the margin. */
export function batchSecondsFor(workTaskTimeoutSeconds: number): number {
  return EXPRESS_DURATION_SECONDS - workTaskTimeoutSeconds - BATCH_MARGIN_SECONDS;
}
