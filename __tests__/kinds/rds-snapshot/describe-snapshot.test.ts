import { DBSnapshotNotFoundFault, DescribeDBClusterSnapshotsCommand, DescribeDBSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../lambdas/rds-snapshot/describe-snapshot';
import { DESCRIBE_SNAPSHOT_ENVIRONMENT } from '../../../lambdas/shared/handler-environments';
import { setEnvironment } from '../../support/sdk-errors';

setEnvironment(DESCRIBE_SNAPSHOT_ENVIRONMENT, { snapshotTargets: { 'orders-db': 'instance', analytics: 'cluster' } });

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
    ['no identifier', { target: 'orders-db', type: 'instance' }, 'InvalidInput', 'snapshotIdentifier must be an RDS snapshot identifier, got nothing'],
    ['a neighbour\'s snapshot', { target: 'orders-db', type: 'instance', snapshotIdentifier: 'orders-db-replica-x' }, 'InvalidInput', "snapshotIdentifier must be one of this workflow's snapshots of orders-db (orders-db-sfn-...), got \"orders-db-replica-x\""],
    ['the wrong type', { target: 'analytics', type: 'instance', snapshotIdentifier: 'analytics-sfn-x' }, 'InvalidInput', 'type must be "cluster", the type of target analytics, got "instance"'],
    ['no type', { target: 'analytics', snapshotIdentifier: 'analytics-sfn-x' }, 'InvalidInput', 'type must be "cluster", the type of target analytics, got nothing'],
    ['a target that is not configured', { target: 'billing-db', type: 'instance', snapshotIdentifier: 'billing-db-sfn-x' }, 'UnknownTarget', 'target "billing-db" is not configured; the configured targets are orders-db, analytics'],
    ["a name only an object's prototype holds", { target: 'constructor', type: 'instance', snapshotIdentifier: 'constructor-sfn-x' }, 'UnknownTarget', 'target "constructor" is not configured; the configured targets are orders-db, analytics'],
  ])('rejects %s before calling RDS (%s)', async (_, event, name, message) => {
    await expect(handler(event)).rejects.toMatchObject({ name, message });
    expect(rds.calls()).toHaveLength(0);
  });
});
