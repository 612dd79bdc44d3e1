import { DBSnapshotNotFoundFault, DescribeDBSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';

process.env.DB_INSTANCE_IDENTIFIER = 'orders-db';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { handler } = require('../../lambdas/describe-snapshot') as typeof import('../../lambdas/describe-snapshot');

const rds = mockClient(RDSClient);
const id = 'orders-db-nightly-1a2b3c4d';

beforeEach(() => rds.reset());

describe('describe-snapshot handler', () => {
  test('describes the snapshot by identifier alone and returns its status', async () => {
    rds.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [{ DBSnapshotIdentifier: id, Status: 'creating' }] });
    await expect(handler({ DBSnapshotIdentifier: id })).resolves.toEqual({
      DBSnapshotIdentifier: id,
      DBInstanceIdentifier: 'orders-db',
      Status: 'creating',
    });
    expect(rds.commandCalls(DescribeDBSnapshotsCommand)[0].args[0].input).toEqual({ DBSnapshotIdentifier: id });
  });

  test('fails clearly when RDS returns no status', async () => {
    rds.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [] });
    await expect(handler({ DBSnapshotIdentifier: id })).rejects.toThrow(`DescribeDBSnapshots returned no status for snapshot ${id}`);
  });

  test('propagates RDS errors unchanged', async () => {
    rds.on(DescribeDBSnapshotsCommand).rejects(new DBSnapshotNotFoundFault({ message: 'not found', $metadata: {} }));
    await expect(handler({ DBSnapshotIdentifier: id })).rejects.toMatchObject({ name: 'DBSnapshotNotFoundFault' });
  });

  test.each([
    ['no identifier', {}, 'DBSnapshotIdentifier must be an RDS snapshot identifier, got nothing'],
    ['an invalid identifier', { DBSnapshotIdentifier: 'orders-db--x' }, 'DBSnapshotIdentifier must be an RDS snapshot identifier, got "orders-db--x"'],
    ['another instance\'s snapshot', { DBSnapshotIdentifier: 'billing-db-x' }, 'DBSnapshotIdentifier must belong to DB instance orders-db, got "billing-db-x"'],
  ])('rejects %s with InvalidInput before calling RDS', async (_, event, message) => {
    await expect(handler(event)).rejects.toMatchObject({ name: 'InvalidInput', message });
    expect(rds.calls()).toHaveLength(0);
  });
});
