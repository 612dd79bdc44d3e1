import { symbolicDefinition } from './definitions';
import { eventsSpentIntrinsic, loopBudget, pollingHistory, type LoopBudget, type PollSchedule, type SuccessTail } from './history-budget';
import type { AslValues } from './render-asl';

/** The bounds of every poll schedule's settings, defined once for every kind that polls: a wait of 1 s to an hour, giving up within a week. */
export const POLL_INTERVAL_SECONDS = { min: 1, max: 3600 } as const;
export const MAX_WAIT_MINUTES = { min: 1, max: 7 * 24 * 60 } as const;

/** A poll schedule in the settings' units: seconds for the intervals, minutes for the wait. */
export interface PollSettings {
  readonly pollIntervalSeconds: number;
  readonly maxPollIntervalSeconds: number;
  readonly maxWaitMinutes: number;
}

/** The schedule the settings describe, in seconds throughout. */
export const pollScheduleOf = (settings: PollSettings): PollSchedule => ({
  firstIntervalSeconds: settings.pollIntervalSeconds,
  maxIntervalSeconds: settings.maxPollIntervalSeconds,
  maxWaitSeconds: settings.maxWaitMinutes * 60,
});

/** The `asl/` fragment every polling definition adds to its own states. */
export const POLLING_FRAGMENT = 'polling.asl.json';

/** How one definition polls: the state that checks its job, and how giving up is named and explained. */
export interface PollingStep {
  /** The definition's checking state: WaitBeforePoll goes on to it, and it goes on to ScheduleNextPoll while the job runs. */
  readonly checkState: string;
  /** The error of an execution that gave up waiting. */
  readonly timeoutError: string;
  /** A `States.Format(...)` intrinsic building the cause from the state (`$.poll.waitedSeconds` holds the seconds waited). */
  readonly timeoutCause: string;
  /** Where the checking state's result holds the retries its call took (`$$.State.RetryCount`, handed back by the handler). */
  readonly retriesPath: string;
}

/** The values that shape the fragment inside one definition: which state checks, what giving up is called. The diagrams draw with these. */
export function pollingStepValues(step: PollingStep): AslValues {
  return { PollStateName: step.checkState, PollTimeoutError: step.timeoutError, PollTimeoutCause: step.timeoutCause };
}

const budgets = new Map<string, LoopBudget>();

/**
 * The poll loop's history budget, from its definition's graph (each Task with every retry its
 * policies allow; `shape` fills a kind's own retry policies), once per process.
 */
export function pollingBudget(files: readonly string[], step: PollingStep, shape: AslValues = {}): LoopBudget {
  const key = [...files, step.checkState].join(' ');
  const budget = budgets.get(key) ?? loopBudget(symbolicDefinition(files, { ...pollingStepValues(step), ...shape }));
  budgets.set(key, budget);
  return budget;
}

/**
 * Every value the polling fragment names. Besides the schedule, how the loop counts its history:
 * the events each poll spent, its check's retries included, and the count past which it gives up
 * rather than let the retries of one more poll pass the budget.
 */
export function pollingValues(schedule: PollSchedule, step: PollingStep, budget: LoopBudget): AslValues {
  return {
    ...pollingStepValues(step),
    PollIntervalSeconds: schedule.firstIntervalSeconds,
    MaxPollIntervalSeconds: schedule.maxIntervalSeconds,
    MaxWaitSeconds: schedule.maxWaitSeconds,
    PollEventsSpent: eventsSpentIntrinsic(budget, '$.poll.events', step.retriesPath),
    PollHandoverEvents: budget.handoverEvents,
  };
}

/** An execution's own timeout past every bound of its polling: the whole wait, one more capped interval, an hour for retries. */
export const pollingBackstopSeconds = (schedule: PollSchedule) => schedule.maxWaitSeconds + schedule.maxIntervalSeconds + 3600;

/** Why a poll schedule cannot serve, or nothing: the cap below the first wait, or more history than the budget allows. */
export function pollScheduleProblems(schedule: PollSchedule, tail: SuccessTail): { readonly setting: 'maxPollIntervalSeconds' | 'maxWait'; readonly problem: string }[] {
  if (schedule.maxIntervalSeconds < schedule.firstIntervalSeconds) {
    return [{ setting: 'maxPollIntervalSeconds', problem: `must be at least the first poll interval, ${schedule.firstIntervalSeconds}` }];
  }
  const history = pollingHistory(schedule, tail);
  if (history.events <= history.budget) return [];
  return [
    {
      setting: 'maxWait',
      problem:
        `polling for that long could write ${history.events} history events, over the budget of ${history.budget} (80% of the 25,000-event quota); ` +
        'raise the maximum poll interval or shorten the wait',
    },
  ];
}
