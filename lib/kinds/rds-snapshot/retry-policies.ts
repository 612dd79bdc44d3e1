import type { Retrier } from '../../core/retry-policies';
import { RDS_KINDS } from '../../../lambdas/rds-snapshot/rds-kinds';
import { TARGET_TYPES } from '../../../lambdas/rds-snapshot/snapshot-naming';

/** The snapshot workflow's own Retry policies, beside the shared ones and named in its template the same way (`"${TargetBusyRetry}"`). */
export const SNAPSHOT_RETRY_POLICIES = {
  /**
   * The DB instance or cluster cannot take a snapshot now (its backup window, a modification,
   * another snapshot still running): waits minutes, not seconds, and gives up within the hour.
   */
  TargetBusyRetry: {
    ErrorEquals: TARGET_TYPES.map((type) => RDS_KINDS[type].faults.targetBusy),
    IntervalSeconds: 60,
    MaxAttempts: 6,
    BackoffRate: 2,
    MaxDelaySeconds: 600,
    JitterStrategy: 'FULL',
  },
  /** RDS can answer "not found" for a snapshot it accepted a moment ago: a few short waits first. */
  SnapshotNotFoundRetry: { ErrorEquals: TARGET_TYPES.map((type) => RDS_KINDS[type].faults.snapshotNotFound), IntervalSeconds: 5, MaxAttempts: 3, BackoffRate: 2 },
} as const satisfies Record<string, Retrier>;
