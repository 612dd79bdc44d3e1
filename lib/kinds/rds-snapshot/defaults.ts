import { pollingHistory, RETRIES_ALLOWED_PER_TASK, type PollEnding, type PollSchedule, type SuccessTail } from '../../core/history-budget';
import { POLLING_FRAGMENT, type PollingStep } from '../../core/polling';

/** The kind's name: its descriptor's, its workflows' `kind`, and its folders' in lib/kinds/, lambdas/ and asl/. */
export const KIND = 'rds-snapshot';

/**
 * The snapshot workflow's settings with nothing configured: the construct applies them and the
 * settings table shows them.
 */
export const SNAPSHOT_DEFAULTS = {
  keepLast: 7,
  maxAgeDays: 0,
  pollIntervalSeconds: 60,
  maxPollIntervalSeconds: 300,
  maxWaitMinutes: 12 * 60,
} as const;

/** The snapshot workflow's id in a stack: its construct, outputs (`rds_snapshot_...`) and name (`<namePrefix>-rds-snapshot`). */
export const SNAPSHOT_WORKFLOW_ID = 'rds-snapshot';

/** How the snapshot workflow polls: DescribeSnapshot checks, and giving up is SnapshotTimeout. */
export const SNAPSHOT_POLLING_STEP: PollingStep = {
  checkState: 'DescribeSnapshot',
  timeoutError: 'SnapshotTimeout',
  timeoutCause: "States.Format('Snapshot {} was still {} after {} seconds of polling', $.snapshot.snapshotIdentifier, $.snapshot.status, $.poll.waitedSeconds)",
  retriesPath: '$.snapshot.retries',
};

/** The snapshot workflow's definition: its own states on the shared polling fragment. */
export const SNAPSHOT_DEFINITION_FILES: readonly string[] = ['rds-snapshot/rds-snapshot.asl.json', POLLING_FRAGMENT];

/** The snapshot workflow's tail after the poll that finds the snapshot available: ApplyRetention, then SnapshotAvailable. */
export const SNAPSHOT_SUCCESS_TAIL: SuccessTail = { tasks: 1, states: 1 };

/** The snapshot workflow's history: polling with its success tail. */
export const rdsSnapshotHistory = (schedule: PollSchedule, retriesPerTask = RETRIES_ALLOWED_PER_TASK, ending?: PollEnding) =>
  pollingHistory(schedule, SNAPSHOT_SUCCESS_TAIL, retriesPerTask, ending);
