import type { PollingStep } from './polling';

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
};
