import * as sdk from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../lambdas/rds-snapshot/apply-retention';
import { APPLY_RETENTION_ENVIRONMENT } from '../../../lambdas/shared/handler-environments';
import { setEnvironment } from '../../support/sdk-errors';

const rds = mockClient(sdk.RDSClient);
/** The handler with these retention settings, and RDS answering deletes. */
const configure = (keepLast: number, maxAgeDays: number, listing: object[] = []) => {
  setEnvironment(APPLY_RETENTION_ENVIRONMENT, { snapshotTargets: { 'orders-db': 'instance', analytics: 'cluster' }, createdBy: 'jobs-rds-snapshot', keepLast, maxAgeDays });
  rds.on(sdk.DeleteDBSnapshotCommand).resolves({});
  if (listing.length > 0) rds.on(sdk.DescribeDBSnapshotsCommand).resolves({ DBSnapshots: listing });
};
const DAY = 24 * 3600 * 1000;
const now = Date.UTC(2026, 2, 1);
const ours = { 'workflow:created-by': 'jobs-rds-snapshot', 'workflow:target': 'orders-db' };
const snapshot = (id: string, ageDays: number, tags: Record<string, string> = ours, status = 'available') => ({
  DBSnapshotIdentifier: id,
  DBInstanceIdentifier: 'orders-db',
  Status: status,
  SnapshotCreateTime: new Date(now - ageDays * DAY),
  TagList: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
});
const justMade = 'orders-db-sfn-today-00000000';
const event = { target: 'orders-db', type: 'instance', snapshotIdentifier: justMade };
const deleted = () => rds.commandCalls(sdk.DeleteDBSnapshotCommand).map((call) => call.args[0].input.DBSnapshotIdentifier);

beforeEach(() => rds.reset());

describe('apply-retention handler', () => {
  test("keeps the newest of this workflow's snapshots, the new one counted, and deletes the rest; never one without our tags, another's, or one being made", async () => {
    configure(3, 0, [
      snapshot(justMade, 0),
      snapshot('orders-db-sfn-a', 1),
      snapshot('orders-db-sfn-b', 2),
      snapshot('orders-db-sfn-c', 3),
      snapshot('orders-db-sfn-d', 4),
      snapshot('orders-db-sfn-untagged', 9, {}),
      snapshot('orders-db-sfn-other-env', 9, { ...ours, 'workflow:created-by': 'prod-rds-snapshot' }),
      snapshot('orders-db-by-hand', 9, ours),
      snapshot('orders-db-sfn-still-creating', 9, ours, 'creating'),
    ]);
    await expect(handler(event)).resolves.toEqual({ deleted: ['orders-db-sfn-c', 'orders-db-sfn-d'], kept: 3 });
    expect(deleted()).toEqual(['orders-db-sfn-c', 'orders-db-sfn-d']);
    expect(rds.commandCalls(sdk.DescribeDBSnapshotsCommand)[0].args[0].input).toEqual({ DBInstanceIdentifier: 'orders-db', SnapshotType: 'manual' });
  });

  test('deletes what is older than the maximum age, counted from the new snapshot', async () => {
    configure(0, 10, [snapshot(justMade, 0), snapshot('orders-db-sfn-a', 9), snapshot('orders-db-sfn-b', 11)]);
    await expect(handler(event)).resolves.toEqual({ deleted: ['orders-db-sfn-b'], kept: 2 });
  });

  test('reads every page of the listing', async () => {
    configure(2, 0);
    rds
      .on(sdk.DescribeDBSnapshotsCommand, { DBInstanceIdentifier: 'orders-db', SnapshotType: 'manual', Marker: undefined })
      .resolves({ DBSnapshots: [snapshot(justMade, 0), snapshot('orders-db-sfn-a', 1)], Marker: 'page-2' })
      .on(sdk.DescribeDBSnapshotsCommand, { DBInstanceIdentifier: 'orders-db', SnapshotType: 'manual', Marker: 'page-2' })
      .resolves({ DBSnapshots: [snapshot('orders-db-sfn-b', 2)] });
    await expect(handler(event)).resolves.toEqual({ deleted: ['orders-db-sfn-b'], kept: 2 });
  });

  test("a cluster's snapshots are cluster snapshots", async () => {
    configure(1, 0);
    rds.on(sdk.DescribeDBClusterSnapshotsCommand).resolves({
      DBClusterSnapshots: [
        { DBClusterSnapshotIdentifier: 'analytics-sfn-new', DBClusterIdentifier: 'analytics', Status: 'available', SnapshotCreateTime: new Date(now), TagList: [] },
        {
          DBClusterSnapshotIdentifier: 'analytics-sfn-old',
          DBClusterIdentifier: 'analytics',
          Status: 'available',
          SnapshotCreateTime: new Date(now - DAY),
          TagList: [{ Key: 'workflow:created-by', Value: 'jobs-rds-snapshot' }, { Key: 'workflow:target', Value: 'analytics' }],
        },
      ],
    });
    rds.on(sdk.DeleteDBClusterSnapshotCommand).resolves({});
    await expect(handler({ target: 'analytics', type: 'cluster', snapshotIdentifier: 'analytics-sfn-new' })).resolves.toEqual({ deleted: ['analytics-sfn-old'], kept: 1 });
    expect(rds.commandCalls(sdk.DeleteDBClusterSnapshotCommand)[0].args[0].input).toEqual({ DBClusterSnapshotIdentifier: 'analytics-sfn-old' });
  });

  test('a snapshot already gone when deleted is fine', async () => {
    configure(1, 0, [snapshot(justMade, 0), snapshot('orders-db-sfn-a', 1)]);
    rds.on(sdk.DeleteDBSnapshotCommand).rejects(new sdk.DBSnapshotNotFoundFault({ message: 'gone', $metadata: { httpStatusCode: 404 } }));
    await expect(handler(event)).resolves.toEqual({ deleted: ['orders-db-sfn-a'], kept: 1 });
  });

  test('a target that is not configured fails with UnknownTarget and touches nothing', async () => {
    configure(3, 0);
    await expect(handler({ ...event, target: 'orders-db-replica' })).rejects.toMatchObject({
      name: 'UnknownTarget',
      message: 'target "orders-db-replica" is not configured; the configured targets are orders-db, analytics',
    });
    expect(rds.calls()).toHaveLength(0);
  });

  test('retention off (both 0) touches nothing', async () => {
    configure(0, 0);
    await expect(handler(event)).resolves.toEqual({ deleted: [], kept: 1 });
    expect(rds.calls()).toHaveLength(0);
  });
});
