import {
  CreateDBClusterSnapshotCommand,
  CreateDBSnapshotCommand,
  DBSnapshotAlreadyExistsFault,
  DescribeDBSnapshotsCommand,
  InvalidDBInstanceStateFault,
  RDSClient,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../lambdas/rds-snapshot/create-snapshot';
import { CREATE_SNAPSHOT_ENVIRONMENT } from '../../../lambdas/shared/handler-environments';
import { snapshotIdentifierFor } from '../../../lambdas/rds-snapshot/snapshot-naming';
import { rdsError, setEnvironment } from '../../support/sdk-errors';

const deployment = { snapshotTargets: { 'orders-db': 'instance', analytics: 'cluster' }, createdBy: 'jobs-rds-snapshot', snapshotTags: { team: 'data' } } as const;

const rds = mockClient(RDSClient);
const executionId = 'arn:aws:states:eu-west-1:123456789012:execution:jobs-rds-snapshot:Nightly_Run.2026';
const startTime = '2026-03-01T02:00:00.000Z';
const event = (target?: string) => ({ input: target === undefined ? {} : { target }, execution: { id: executionId, startTime } });
const ordersSnapshot = snapshotIdentifierFor('orders-db', executionId);
const existing = (target: string, made?: string) => rds.on(DescribeDBSnapshotsCommand).resolves({
  DBSnapshots: [{ DBSnapshotIdentifier: ordersSnapshot, DBInstanceIdentifier: target, Status: 'creating', SnapshotCreateTime: made ? new Date(made) : undefined }],
});

beforeEach(() => {
  rds.reset();
  setEnvironment(CREATE_SNAPSHOT_ENVIRONMENT, deployment);
});

describe('create-snapshot handler', () => {
  test('snapshots the DB instance the input names, tagged with who made it, the execution, the target and the configured tags', async () => {
    rds.on(CreateDBSnapshotCommand).resolves({});
    await expect(handler(event('orders-db'))).resolves.toEqual({ target: 'orders-db', type: 'instance', snapshotIdentifier: ordersSnapshot });
    expect(ordersSnapshot).toMatch(/^orders-db-sfn-nightly-run-2026-[0-9a-f]{8}$/);
    expect(rds.commandCalls(CreateDBSnapshotCommand)[0].args[0].input).toEqual({
      DBInstanceIdentifier: 'orders-db',
      DBSnapshotIdentifier: ordersSnapshot,
      Tags: [
        { Key: 'workflow:created-by', Value: 'jobs-rds-snapshot' },
        { Key: 'workflow:execution', Value: executionId },
        { Key: 'workflow:target', Value: 'orders-db' },
        { Key: 'team', Value: 'data' },
      ],
    });
  });

  test('an Aurora cluster gets a cluster snapshot', async () => {
    rds.on(CreateDBClusterSnapshotCommand).resolves({});
    await expect(handler(event('analytics'))).resolves.toMatchObject({ target: 'analytics', type: 'cluster' });
    expect(rds.commandCalls(CreateDBClusterSnapshotCommand)[0].args[0].input).toMatchObject({
      DBClusterIdentifier: 'analytics',
      DBClusterSnapshotIdentifier: snapshotIdentifierFor('analytics', executionId),
    });
    expect(rds.commandCalls(CreateDBSnapshotCommand)).toHaveLength(0);
  });

  test('derives the same identifier for the same execution, and distinct ones for look-alike names', () => {
    const other = executionId.replace('Nightly_Run.2026', 'nightly-run-2026');
    expect(snapshotIdentifierFor('orders-db', executionId)).toBe(ordersSnapshot);
    expect(snapshotIdentifierFor('orders-db', other)).not.toBe(ordersSnapshot);
    const longName = `${executionId.slice(0, executionId.lastIndexOf(':'))}:${'-x'.repeat(40)}`;
    expect(snapshotIdentifierFor('orders-db', longName)).toMatch(/^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$/);
  });

  test.each([
    ['made after this execution started', '2026-03-01T02:00:05.000Z'],
    ['still being made (no time yet)', undefined],
  ])('a retried call that finds its own snapshot (%s) succeeds without a second one', async (_, made) => {
    rds.on(CreateDBSnapshotCommand).rejects(new DBSnapshotAlreadyExistsFault({ message: 'exists', $metadata: {} }));
    existing('orders-db', made);
    await expect(handler(event('orders-db'))).resolves.toMatchObject({ snapshotIdentifier: ordersSnapshot });
    expect(rds.commandCalls(DescribeDBSnapshotsCommand)[0].args[0].input).toEqual({ DBSnapshotIdentifier: ordersSnapshot });
  });

  test.each([
    ['made before this execution started (an execution name reused after 90 days)', 'orders-db', '2025-11-30T02:00:00.000Z', /made 2025-11-30T02:00:00.000Z, before this execution started/],
    ['of another target', 'billing-db', '2026-03-01T02:00:05.000Z', /already exists for billing-db/],
  ])('an existing snapshot with our identifier %s is not ours: SnapshotNameTaken', async (_, target, made, cause) => {
    rds.on(CreateDBSnapshotCommand).rejects(new DBSnapshotAlreadyExistsFault({ message: 'exists', $metadata: {} }));
    existing(target, made);
    await expect(handler(event('orders-db'))).rejects.toMatchObject({ name: 'SnapshotNameTaken', message: expect.stringMatching(cause) });
  });

  test('a busy instance propagates its RDS error unchanged, for the long retry', async () => {
    rds.on(CreateDBSnapshotCommand).rejects(new InvalidDBInstanceStateFault({ message: 'orders-db is backing-up', $metadata: { httpStatusCode: 400 } }));
    await expect(handler(event('orders-db'))).rejects.toMatchObject({ name: 'InvalidDBInstanceStateFault' });
  });

  test('throttling comes out as TransientAwsError, which the state machine retries', async () => {
    rds.on(CreateDBSnapshotCommand).rejects(rdsError('Throttling', 400));
    await expect(handler(event('orders-db'))).rejects.toMatchObject({ name: 'TransientAwsError', message: 'Throttling: Throttling from RDS' });
  });

  test.each([
    ['a target that is not configured', event('orders-db-replica'), 'UnknownTarget', 'target "orders-db-replica" is not configured; the configured targets are orders-db, analytics'],
    ['no target, with two configured', event(), 'InvalidInput', 'the input must name a target, {"target": "<identifier>"}: one of orders-db, analytics'],
    ['no execution', { input: { target: 'orders-db' } }, 'InvalidInput', 'execution must be a JSON object, got nothing'],
    ['a state machine ARN for the execution', { input: { target: 'orders-db' }, execution: { id: 'arn:aws:states:eu-west-1:123456789012:stateMachine:x', startTime } }, 'InvalidInput', 'execution.id must be a Step Functions execution ARN'],
  ])('%s fails at once (%s) before any RDS call', async (_, badEvent, name, message) => {
    await expect(handler(badEvent)).rejects.toMatchObject({ name, message: expect.stringContaining(message) });
    expect(rds.calls()).toHaveLength(0);
  });
});

test('with one target configured, the input need not name it', async () => {
  setEnvironment(CREATE_SNAPSHOT_ENVIRONMENT, { ...deployment, snapshotTargets: { 'database-1': 'instance' } });
  rds.on(CreateDBSnapshotCommand).resolves({});
  await expect(handler(event())).resolves.toMatchObject({ target: 'database-1', type: 'instance' });
});
