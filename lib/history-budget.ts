/**
 * History events one execution can write, counted per state as Step Functions records them:
 * a Lambda Task 5 (entered, scheduled, started, succeeded, exited), Pass/Choice/Wait/Succeed 2,
 * Fail 1 (entered; the execution's failure follows), the execution itself 2. Each allowed retry
 * of a Task adds 3 (scheduled, started, failed).
 */
export const HISTORY_EVENT_QUOTA = 25_000;
export const HISTORY_BUDGET_SHARE = 0.8;
export const TASK_EVENTS = 5;
export const STATE_EVENTS = 2;
export const FAIL_STATE_EVENTS = 1;
export const EXECUTION_EVENTS = 2;
export const RETRY_EVENTS = 3;
/** Retries the budget allows for on every Task call; more than this in one execution is an outage, not load. */
export const RETRIES_ALLOWED_PER_TASK = 1;

export interface HistoryEstimate {
  readonly events: number;
  readonly budget: number;
  readonly stateTransitions: number;
}

const budget = Math.floor(HISTORY_EVENT_QUOTA * HISTORY_BUDGET_SHARE);

/** One loop of continue-as-new: Iterate (Task), IsCountReached (Choice), ExampleWork (Pass). */
export const CONTINUE_AS_NEW_EVENTS_PER_ITERATION = TASK_EVENTS + 2 * STATE_EVENTS;

/**
 * Worst case for one execution of continue-as-new with `threshold` iterations: CheckInput,
 * ConfigureCount, the loops, the last Iterate + IsCountReached, ShouldRestart, Restart, Done.
 */
export function continueAsNewHistory(threshold: number, retriesPerTask = RETRIES_ALLOWED_PER_TASK): HistoryEstimate {
  const taskCall = TASK_EVENTS + retriesPerTask * RETRY_EVENTS;
  const iterateCalls = threshold + 1;
  const events =
    EXECUTION_EVENTS +
    2 * STATE_EVENTS +
    iterateCalls * taskCall +
    threshold * 2 * STATE_EVENTS +
    STATE_EVENTS +
    STATE_EVENTS +
    taskCall +
    STATE_EVENTS;
  const stateTransitions = 2 + iterateCalls + threshold * 2 + 1 + 1 + 1 + 1;
  return { events, budget, stateTransitions };
}

export interface PollSchedule {
  readonly firstIntervalSeconds: number;
  readonly maxIntervalSeconds: number;
  readonly maxWaitSeconds: number;
}

/** The waits the snapshot machine makes before it gives up: doubling from the first, capped. */
export function pollWaits(schedule: PollSchedule): number[] {
  const waits: number[] = [];
  let waited = 0;
  let interval = schedule.firstIntervalSeconds;
  while (waited < schedule.maxWaitSeconds) {
    waits.push(interval);
    waited += interval;
    interval = Math.min(interval * 2, schedule.maxIntervalSeconds);
  }
  return waits;
}

/**
 * Worst case for one execution of the snapshot machine: KeepInput, CreateSnapshot, StartPolling, then per
 * poll WaitForSnapshot, DescribeSnapshot, CheckSnapshotStatus, ScheduleNextPoll, CheckPollBudget
 * (and CapPollInterval once the doubled interval passes the cap), then ExplainSnapshotTimeout and SnapshotTimeout.
 */
export function rdsSnapshotHistory(schedule: PollSchedule, retriesPerTask = RETRIES_ALLOWED_PER_TASK): HistoryEstimate {
  const taskCall = TASK_EVENTS + retriesPerTask * RETRY_EVENTS;
  const waits = pollWaits(schedule);
  const capped = waits.slice(1).filter((wait, i) => wait === schedule.maxIntervalSeconds && waits[i] * 2 > wait).length;
  const perPollStates = 4;
  const events =
    EXECUTION_EVENTS +
    STATE_EVENTS +
    taskCall +
    STATE_EVENTS +
    waits.length * (taskCall + perPollStates * STATE_EVENTS) +
    capped * STATE_EVENTS +
    STATE_EVENTS +
    FAIL_STATE_EVENTS;
  const stateTransitions = 3 + waits.length * 5 + capped + 2;
  return { events, budget, stateTransitions };
}

/** The largest `threshold` whose worst case fits the budget. */
export function largestLoopThreshold(): number {
  let threshold = 1;
  while (continueAsNewHistory(threshold + 1).events <= budget) threshold += 1;
  return threshold;
}
