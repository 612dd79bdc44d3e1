import type { SuccessTail } from '../../core/history-budget';
import { POLLING_FRAGMENT, type PollingStep } from '../../core/polling';

/** The kind's name: its descriptor's, its workflows' `kind`, and its folders' in lib/kinds/, lambdas/ and asl/. */
export const KIND = 'task';

/** A task's settings with nothing configured: the construct applies them and the settings table shows them. */
export const TASK_DEFAULTS = {
  pollIntervalSeconds: 60,
  maxPollIntervalSeconds: 300,
  maxWaitMinutes: 12 * 60,
  timeoutSeconds: 60,
} as const;

/** How a task polls: CheckTask checks, and giving up is TaskTimeout, naming the seconds waited. */
export const TASK_POLLING_STEP: PollingStep = {
  checkState: 'CheckTask',
  timeoutError: 'TaskTimeout',
  // The handle is yours and may hold anything: the cause, which reaches the alerts, leaves it in the execution.
  timeoutCause: "States.Format('The task was still running after {} seconds of polling; its last handle is the output of the last CheckTask', $.poll.waitedSeconds)",
  retriesPath: '$.current.retries',
};

/** A task's definition: start, then the shared polling fragment around its check. */
export const TASK_DEFINITION_FILES: readonly string[] = ['task/task.asl.json', POLLING_FRAGMENT];

/** A task's tail after the check that finds it done: TaskSucceeded, which builds the output and ends. */
export const TASK_SUCCESS_TAIL: SuccessTail = { tasks: 0, states: 1 };
