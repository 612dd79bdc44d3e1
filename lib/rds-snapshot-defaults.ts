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
