import { handler as applyRetention } from '../../lambdas/rds-snapshot/apply-retention';
import { handler as checkInput } from '../../lambdas/continue-as-new/check-input';
import {
  APPLY_RETENTION_ENVIRONMENT,
  CHECK_INPUT_ENVIRONMENT,
  CREATE_SNAPSHOT_ENVIRONMENT,
  DESCRIBE_SNAPSHOT_ENVIRONMENT,
  RESTART_ENVIRONMENT,
} from '../../lambdas/shared/handler-environments';

const retention = { snapshotTargets: { 'orders-db': 'instance', analytics: 'cluster' }, createdBy: 'jobs-rds-snapshot', keepLast: 7, maxAgeDays: 0 } as const;
const stateMachineArn = 'arn:aws:states:eu-west-1:123456789012:stateMachine:jobs-continue-as-new';

describe("each handler's environment", () => {
  // The constructs set these strings today; a renamed variable or another encoding would break a deployed function.
  test.each([
    ['check-input', CHECK_INPUT_ENVIRONMENT.write({ maxGenerations: 1000 }), { MAX_GENERATIONS: '1000' }],
    ['restart', RESTART_ENVIRONMENT.write({ stateMachineArn }), { STATE_MACHINE_ARN: stateMachineArn }],
    [
      'create-snapshot',
      CREATE_SNAPSHOT_ENVIRONMENT.write({ snapshotTargets: retention.snapshotTargets, createdBy: 'jobs-rds-snapshot', snapshotTags: { team: 'data' } }),
      { SNAPSHOT_TARGETS: '{"orders-db":"instance","analytics":"cluster"}', CREATED_BY: 'jobs-rds-snapshot', SNAPSHOT_TAGS: '{"team":"data"}' },
    ],
    ['describe-snapshot', DESCRIBE_SNAPSHOT_ENVIRONMENT.write({ snapshotTargets: { 'database-1': 'instance' } }), { SNAPSHOT_TARGETS: '{"database-1":"instance"}' }],
    [
      'apply-retention',
      APPLY_RETENTION_ENVIRONMENT.write(retention),
      { SNAPSHOT_TARGETS: '{"orders-db":"instance","analytics":"cluster"}', CREATED_BY: 'jobs-rds-snapshot', KEEP_LAST: '7', MAX_AGE_DAYS: '0' },
    ],
  ])('%s: written as the variables and strings the constructs set', (_, written, expected) => {
    expect(written).toEqual(expected);
  });

  test('what write gives, read gives back', () => {
    expect(APPLY_RETENTION_ENVIRONMENT.read(APPLY_RETENTION_ENVIRONMENT.write(retention))).toEqual(retention);
    const tags = { snapshotTargets: { 'database-1': 'instance' }, createdBy: 'x', snapshotTags: { 'cost-center': '', team: 'data' } } as const;
    expect(CREATE_SNAPSHOT_ENVIRONMENT.read(CREATE_SNAPSHOT_ENVIRONMENT.write(tags))).toEqual(tags);
    expect(RESTART_ENVIRONMENT.read(RESTART_ENVIRONMENT.write({ stateMachineArn }))).toEqual({ stateMachineArn });
  });

  test('a missing variable is a DeploymentError naming it and its rule', () => {
    const { KEEP_LAST: _, ...withoutKeepLast } = APPLY_RETENTION_ENVIRONMENT.write(retention);
    expect(() => APPLY_RETENTION_ENVIRONMENT.read(withoutKeepLast)).toThrow(
      expect.objectContaining({ name: 'DeploymentError', message: 'the function is deployed wrong: environment variable KEEP_LAST must be a whole number >= 0, but it is not set' }),
    );
  });

  test.each([
    ['KEEP_LAST', 'seven', 'environment variable KEEP_LAST must be a whole number >= 0, got "seven"'],
    ['KEEP_LAST', '-1', 'environment variable KEEP_LAST must be a whole number >= 0, got "-1"'],
    ['MAX_AGE_DAYS', '1.5', 'environment variable MAX_AGE_DAYS must be a whole number >= 0, got "1.5"'],
    ['MAX_AGE_DAYS', '', 'environment variable MAX_AGE_DAYS must be a whole number >= 0, got ""'],
    ['SNAPSHOT_TARGETS', '{}', 'environment variable SNAPSHOT_TARGETS must be a JSON object of at least one DB instance or cluster identifier -> "instance" or "cluster", got "{}"'],
    ['SNAPSHOT_TARGETS', '{"orders-db":"table"}', 'environment variable SNAPSHOT_TARGETS must be a JSON object of at least one DB instance or cluster identifier -> "instance" or "cluster", got "{\\"orders-db\\":\\"table\\"}"'],
    ['SNAPSHOT_TARGETS', 'orders-db', 'environment variable SNAPSHOT_TARGETS must be a JSON object of at least one DB instance or cluster identifier -> "instance" or "cluster", got "orders-db"'],
    ['CREATED_BY', 'jobs rds', 'environment variable CREATED_BY must be a state machine name, got "jobs rds"'],
  ])('a malformed %s (%j) is a DeploymentError naming it and its rule', (name, value, problem) => {
    expect(() => APPLY_RETENTION_ENVIRONMENT.read({ ...APPLY_RETENTION_ENVIRONMENT.write(retention), [name]: value })).toThrow(
      expect.objectContaining({ name: 'DeploymentError', message: `the function is deployed wrong: ${problem}` }),
    );
  });

  test('every problem is named at once', () => {
    expect(() => APPLY_RETENTION_ENVIRONMENT.read({ KEEP_LAST: 'seven' })).toThrow(
      'the function is deployed wrong: environment variable SNAPSHOT_TARGETS must be a JSON object of at least one DB instance or cluster identifier -> "instance" or "cluster", but it is not set; ' +
        'environment variable CREATED_BY must be a state machine name, but it is not set; ' +
        'environment variable KEEP_LAST must be a whole number >= 0, got "seven"; ' +
        'environment variable MAX_AGE_DAYS must be a whole number >= 0, but it is not set',
    );
  });

  describe('a handler deployed wrong fails with DeploymentError, not InvalidInput, before it reads its event', () => {
    const saved = { ...process.env };
    afterEach(() => {
      process.env = { ...saved };
    });

    test('apply-retention with KEEP_LAST "seven"', async () => {
      Object.assign(process.env, APPLY_RETENTION_ENVIRONMENT.write(retention), { KEEP_LAST: 'seven' });
      await expect(applyRetention({})).rejects.toMatchObject({ name: 'DeploymentError', message: expect.stringContaining('KEEP_LAST must be a whole number >= 0, got "seven"') });
    });

    test('check-input without MAX_GENERATIONS', async () => {
      delete process.env.MAX_GENERATIONS;
      await expect(checkInput({})).rejects.toMatchObject({ name: 'DeploymentError', message: expect.stringContaining('MAX_GENERATIONS must be a whole number >= 1, but it is not set') });
    });
  });
});
