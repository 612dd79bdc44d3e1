import { DBSnapshotNotFoundFault, DescribeDBClusterSnapshotsCommand, DescribeDBSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { loadHandlerModule } from '../support/sdk-errors';

const { handler } = loadHandlerModule<typeof import('../../lambdas/describe-snapshot')>('../../lambdas/describe-snapshot', {
  SNAPSHOT_TARGETS: JSON.stringify({ 'orders-db': 'instance', analytics: 'cluster' }),
});

const rds = mockClient(RDSClient);
const id = 'orders-db-sfn-nightly-1a2b3c4d';

beforeEach(() => rds.reset());

describe('describe-snapshot handler', () => {
  test('describes the snapshot by identifier alone and returns its status', async () => {
    rds.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [{ DBSnapshotIdentifier: id, DBInstanceIdentifier: 'orders-db', Status: 'creating' }] });
    await expect(handler({ target: 'orders-db', type: 'instance', snapshotIdentifier: id })).resolves.toEqual({
      target: 'orders-db',
      type: 'instance',
      snapshotIdentifier: id,
      status: 'creating',
    });
    expect(rds.commandCalls(DescribeDBSnapshotsCommand)[0].args[0].input).toEqual({ DBSnapshotIdentifier: id });
  });

  test("a cluster's snapshot is a cluster snapshot", async () => {
    rds.on(DescribeDBClusterSnapshotsCommand).resolves({ DBClusterSnapshots: [{ DBClusterSnapshotIdentifier: 'analytics-sfn-x', Status: 'available' }] });
    await expect(handler({ target: 'analytics', type: 'cluster', snapshotIdentifier: 'analytics-sfn-x' })).resolves.toMatchObject({ status: 'available' });
  });

  test('fails clearly when RDS returns no status', async () => {
    rds.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [] });
    await expect(handler({ target: 'orders-db', type: 'instance', snapshotIdentifier: id })).rejects.toThrow(`RDS returned no status for snapshot ${id}`);
  });

  test('"not found" propagates as RDS names it, for the short retry', async () => {
    rds.on(DescribeDBSnapshotsCommand).rejects(new DBSnapshotNotFoundFault({ message: 'not found', $metadata: { httpStatusCode: 404 } }));
    await expect(handler({ target: 'orders-db', type: 'instance', snapshotIdentifier: id })).rejects.toMatchObject({ name: 'DBSnapshotNotFoundFault' });
  });

  test.each([
    ['no identifier', { target: 'orders-db', type: 'instance' }, 'snapshotIdentifier must be an RDS snapshot identifier, got nothing'],
    ['a neighbour\'s snapshot', { target: 'orders-db', type: 'instance', snapshotIdentifier: 'orders-db-replica-x' }, "snapshotIdentifier must be one of this workflow's snapshots of orders-db (orders-db-sfn-...), got \"orders-db-replica-x\""],
    ['a target that is not configured', { target: 'billing-db', type: 'instance', snapshotIdentifier: 'billing-db-sfn-x' }, 'target billing-db of type "instance" is not a configured target'],
    ['the wrong kind', { target: 'analytics', type: 'instance', snapshotIdentifier: 'analytics-sfn-x' }, 'target analytics of type "instance" is not a configured target'],
  ])('rejects %s with InvalidInput before calling RDS', async (_, event, message) => {
    await expect(handler(event)).rejects.toMatchObject({ name: 'InvalidInput', message });
    expect(rds.calls()).toHaveLength(0);
  });
});
