/**
 * The contract between a long-running task's state machine and its two functions, start and
 * check, and the optional cancel function `npm run runs -- stop` calls. Import these types in your own entries; `lambdas/task/export-table-start.ts` and
 * `lambdas/task/export-table-check.ts` are an example.
 */

/** What start receives, once per execution — at least once: it may run again for the same execution. */
export interface TaskStartEvent<Input = unknown> {
  /** The execution's input. */
  readonly input: Input;
  /** The same on every run for one execution: use `name` as the client token (idempotency key) of the call that starts the job. */
  readonly execution: { readonly name: string; readonly startTime: string };
}

/** What start returns: the handle check needs to find the job. */
export interface TaskStartResult<Handle = unknown> {
  readonly task: Handle;
}

/** What each check receives. */
export interface TaskCheckEvent<Handle = unknown> {
  /** The handle start returned, or the one the last check replaced it with. */
  readonly task: Handle;
  /** The checks so far, this one included: 1 for the first. */
  readonly poll: number;
  /** The seconds waited before this check, since the job started. */
  readonly waitedSeconds: number;
}

export type TaskStatus = 'running' | 'succeeded' | 'failed';
export const TASK_STATUSES: readonly TaskStatus[] = ['running', 'succeeded', 'failed'];

/** What each check returns. */
export interface TaskCheckResult<Handle = unknown, Result = unknown> {
  readonly status: TaskStatus;
  /** Replaces the handle for the next checks and the output. @default the handle as it was */
  readonly task?: Handle;
  /** With `succeeded`: the execution's output carries it. @default null */
  readonly result?: Result;
  /** With `failed`: the execution fails with `TaskFailed`, and this in its cause. */
  readonly reason?: string;
}

export type TaskStartHandler<Input = unknown, Handle = unknown> = (event: TaskStartEvent<Input>) => Promise<TaskStartResult<Handle>>;
export type TaskCheckHandler<Handle = unknown, Result = unknown> = (event: TaskCheckEvent<Handle>) => Promise<TaskCheckResult<Handle, Result>>;

/** What cancel receives when `npm run runs -- stop` stops a run: the run's last handle. */
export interface TaskCancelEvent<Handle = unknown> {
  /** The handle the last check returned (or start, before any check), as check would receive it. */
  readonly handle: Handle;
}

/** What cancel returns: what it did, which `npm run runs -- stop` prints. */
export interface TaskCancelResult {
  /** Say what happened to the job ("export 42 cancelled", "already finished"). @default none printed */
  readonly message?: string;
}

/** Your cancel function: cancels the external job the handle names. Called at most once per stop, by hand; make it safe to call again. */
export type TaskCancelHandler<Handle = unknown> = (event: TaskCancelEvent<Handle>) => Promise<TaskCancelResult | void>;
/** The same type, by the name issue 25 gives it. */
export type CancelHandler<Handle = unknown> = TaskCancelHandler<Handle>;

/** A succeeded execution's output. */
export interface TaskOutput<Handle = unknown, Result = unknown, Input = unknown> {
  readonly task: Handle;
  readonly result: Result | null;
  readonly input: Input;
}
