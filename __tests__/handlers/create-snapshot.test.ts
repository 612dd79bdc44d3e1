import { CreateDBSnapshotCommand, DBSnapshotAlreadyExistsFault, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { rdsError } from '../support/sdk-errors';

process.env.DB_INSTANCE_IDENTIFIER = 'orders-db';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { handler, snapshotIdentifierFor } = require('../../lambdas/create-snapshot') as typeof import('../../lambdas/create-snapshot');

const rds = mockClient(RDSClient);
const executionId = 'arn:aws:states:eu-west-1:123456789012:execution:long-running-rds-snapshot:Nightly_Run.2026';

beforeEach(() => rds.reset());

describe('create-snapshot handler', () => {
  test('creates one snapshot of the configured instance, named after the execution', async () => {
    rds.on(CreateDBSnapshotCommand).resolves({});
    const result = await handler({ executionId });
    expect(result).toEqual({ DBInstanceIdentifier: 'orders-db', DBSnapshotIdentifier: snapshotIdentifierFor('orders-db', executionId) });
    expect(result.DBSnapshotIdentifier).toMatch(/^orders-db-nightly-run-2026-[0-9a-f]{8}$/);
    expect(rds.commandCalls(CreateDBSnapshotCommand).map((call) => call.args[0].input)).toEqual([result]);
  });

  test('derives the same valid identifier for the same execution, and distinct ones for look-alike names', () => {
    const other = executionId.replace('Nightly_Run.2026', 'nightly-run-2026');
    expect(snapshotIdentifierFor('orders-db', executionId)).toBe(snapshotIdentifierFor('orders-db', executionId));
    expect(snapshotIdentifierFor('orders-db', executionId)).not.toBe(snapshotIdentifierFor('orders-db', other));
    const longName = `${executionId.slice(0, executionId.lastIndexOf(':'))}:${'-x'.repeat(40)}`;
    expect(snapshotIdentifierFor('orders-db', longName)).toMatch(/^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$/);
  });

  test('treats DBSnapshotAlreadyExists for its own identifier as success (a retried call)', async () => {
    rds.on(CreateDBSnapshotCommand).rejects(new DBSnapshotAlreadyExistsFault({ message: 'exists', $metadata: {} }));
    await expect(handler({ executionId })).resolves.toMatchObject({ DBInstanceIdentifier: 'orders-db' });
  });

  test('throttling comes out as TransientAwsError, which the state machine retries', async () => {
    rds.on(CreateDBSnapshotCommand).rejects(rdsError('Throttling', 400));
    await expect(handler({ executionId })).rejects.toMatchObject({ name: 'TransientAwsError', message: 'Throttling: Throttling from RDS' });
  });

  test.each([
    ['no event', undefined, 'event must be a JSON object, got nothing'],
    ['no execution id', {}, 'executionId must be a Step Functions execution ARN, got nothing'],
    ['a state machine ARN', { executionId: 'arn:aws:states:eu-west-1:123456789012:stateMachine:x' }, 'executionId must be a Step Functions execution ARN'],
  ])('rejects %s with InvalidInput before calling RDS', async (_, event, message) => {
    await expect(handler(event)).rejects.toMatchObject({ name: 'InvalidInput', message: expect.stringContaining(message) });
    expect(rds.calls()).toHaveLength(0);
  });
});
