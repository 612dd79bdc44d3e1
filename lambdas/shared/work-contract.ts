/**
 * The contract between the continue-as-new machine and the work function. Import these types
 * in your own work entry; `lambdas/work.ts` is an example.
 */

/** What each call of the work function receives. */
export interface WorkEvent<State = unknown> {
  /** What the previous call returned as `state`, across executions too; the first call gets the execution input's `state`, or null. */
  readonly state: State;
  /** Executions of the chain before this one: 0 for the first. */
  readonly generation: number;
  /** Calls before this one within this execution: 0 for the first. */
  readonly iteration: number;
}

/** What each call returns: the state the next call receives, and whether the job is finished. */
export interface WorkResult<State = unknown> {
  readonly state: State;
  readonly done: boolean;
}

export type WorkHandler<State = unknown> = (event: WorkEvent<State>) => Promise<WorkResult<State>>;

/** Step Functions' payload quota: any state's input or output, as UTF-8 JSON. */
export const PAYLOAD_QUOTA_BYTES = 262_144;
/**
 * Room kept for what the machine carries beside the state (counters, lineage, the successor's
 * input wrapper); __tests__ check it covers the largest of those.
 */
export const STATE_HEADROOM_BYTES = 4_096;
/** The largest state, as JSON, the machine accepts and carries. */
export const MAX_STATE_BYTES = PAYLOAD_QUOTA_BYTES - STATE_HEADROOM_BYTES;
/**
 * The largest state an Express loop carries: Step Functions returns a batch to the job's machine
 * with the batch's input state and its output state in one result.
 */
export const MAX_BATCH_STATE_BYTES = Math.floor(MAX_STATE_BYTES / 2);

export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}
