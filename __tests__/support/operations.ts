/** The operations the snapshot issue asks for: two instances, one cluster, a schedule on one, retention 7, an email. */
export const OPERATIONS = {
  WORKFLOWS_SNAPSHOT_TARGETS: JSON.stringify({
    'orders-db': { type: 'instance', schedule: { expression: 'cron(0 3 * * ? *)', timezone: 'Europe/Berlin' } },
    'billing-db': { type: 'instance' },
    analytics: { type: 'cluster' },
  }),
  WORKFLOWS_SNAPSHOT_KEEP_LAST: '7',
  WORKFLOWS_ALERT_EMAIL: 'ops@example.com',
};
