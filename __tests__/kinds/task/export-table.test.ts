import {
  DescribeExportCommand,
  DynamoDBClient,
  type ExportDescription,
  ExportTableToPointInTimeCommand,
  InternalServerError,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler as check } from '../../../lambdas/task/export-table-check';
import { clientTokenFor, handler as start } from '../../../lambdas/task/export-table-start';
import { runCheck, runStart } from '../../../lambdas/task/task-runtime';
import { actingAs } from '../../../simulator/fake-aws';
import { FakeDynamoDb, type FakeDynamoDbOptions } from '../../../simulator/fake-dynamodb';
import { deployedRoles, isAllowed, requestsOf } from '../../support/iam';
import { recipeContext } from '../../support/readme-recipes';
import { synthesize } from '../../support/synth';

const tableArn = 'arn:aws:dynamodb:us-east-1:123456789012:table/orders';
const exportArn = `${tableArn}/export/01767225600000-a1b2c3d4`;
const deployment = { EXPORT_TABLE_ARN: tableArn, EXPORT_BUCKET: 'acme-exports', EXPORT_PREFIX: 'orders/' };
const execution = { name: 'nightly-2026-03-01', startTime: '2026-03-01T02:00:00.000Z' };
const startEvent = (name = execution.name) => ({ input: {}, execution: { ...execution, name } });
const checkEvent = (task: unknown = { exportArn }) => ({ task, poll: 1, waitedSeconds: 60 });

const deploy = (variables: Partial<Record<keyof typeof deployment, string | undefined>>) => {
  for (const name of Object.keys(deployment) as (keyof typeof deployment)[]) {
    const value = name in variables ? variables[name] : deployment[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
};

beforeEach(() => deploy(deployment));

/** DynamoDB's throttling and server fault, as the SDK throws them. */
const TRANSIENT_ERRORS = [
  ['throttling', new ThrottlingException({ message: 'Rate of requests exceeds the allowed throughput.', $metadata: { httpStatusCode: 400 } })],
  ['a server error', new InternalServerError({ message: 'Internal server error', $metadata: { httpStatusCode: 500 } })],
] as const;

describe('with the SDK mocked call by call', () => {
  const dynamodb = mockClient(DynamoDBClient);
  const described = (description: ExportDescription) => dynamodb.on(DescribeExportCommand).resolves({ ExportDescription: description });
  beforeEach(() => {
    dynamodb.reset();
    dynamodb.on(ExportTableToPointInTimeCommand).resolves({ ExportDescription: { ExportArn: exportArn, ExportStatus: 'IN_PROGRESS' } });
  });
  afterAll(() => dynamodb.restore());

  describe('export-table start', () => {
    test('exports the configured table to the bucket and prefix in DynamoDB JSON, the execution name as the client token', async () => {
      await expect(runStart(start)(startEvent())).resolves.toEqual({ task: { exportArn }, inputBytes: 2 });
      expect(dynamodb.commandCalls(ExportTableToPointInTimeCommand).map((c) => c.args[0].input)).toEqual([
        { TableArn: tableArn, S3Bucket: 'acme-exports', S3Prefix: 'orders/', ExportFormat: 'DYNAMODB_JSON', ClientToken: 'nightly-2026-03-01' },
      ]);
    });

    test("start and check call DynamoDB in the table's own region, taken from its ARN, not the function's", async () => {
      const elsewhere = 'arn:aws:dynamodb:ap-southeast-2:123456789012:table/orders';
      deploy({ EXPORT_TABLE_ARN: elsewhere });
      described({ ExportStatus: 'IN_PROGRESS' });
      const regionOf = async (call: { thisValue: unknown }) => (call.thisValue as DynamoDBClient).config.region();
      const before = process.env.AWS_REGION;
      process.env.AWS_REGION = 'us-east-1';
      try {
        await start(startEvent());
        await check({ task: { exportArn: `${elsewhere}/export/01767225600000-a1b2c3d4` }, poll: 1, waitedSeconds: 60 });
      } finally {
        if (before === undefined) delete process.env.AWS_REGION;
        else process.env.AWS_REGION = before;
      }
      expect(await regionOf(dynamodb.commandCalls(ExportTableToPointInTimeCommand)[0])).toBe('ap-southeast-2');
      expect(await regionOf(dynamodb.commandCalls(DescribeExportCommand)[0])).toBe('ap-southeast-2');
    });

    test('a repeated start of the same execution sends the same request, token included', async () => {
      await start(startEvent());
      await start(startEvent());
      const [first, second] = dynamodb.commandCalls(ExportTableToPointInTimeCommand).map((c) => c.args[0].input);
      expect(second).toEqual(first);
    });

    test.each([
      ['unset', undefined],
      ['empty', ''],
    ])('EXPORT_PREFIX %s: no S3Prefix, the export lands at the bucket root', async (_, prefix) => {
      deploy({ EXPORT_PREFIX: prefix });
      await start(startEvent());
      expect(dynamodb.commandCalls(ExportTableToPointInTimeCommand)[0].args[0].input).not.toHaveProperty('S3Prefix');
    });

    test('a name DynamoDB would refuse as a token ("$", or empty) is hashed: stable, distinct, and never a real execution name', () => {
      expect(clientTokenFor('Nightly_Run.2026')).toBe('Nightly_Run.2026');
      const hashed = clientTokenFor('run$1');
      expect(hashed).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(clientTokenFor('run$1')).toBe(hashed);
      expect(clientTokenFor('run$2')).not.toBe(hashed);
      expect(clientTokenFor('')).toMatch(/^sha256:[0-9a-f]{64}$/);
    });

    test.each([
      ['no table ARN', { EXPORT_TABLE_ARN: undefined }, ['EXPORT_TABLE_ARN must be a DynamoDB table ARN, arn:<partition>:dynamodb:<region>:<account>:table/<name>, but it is not set']],
      ['a table name for the ARN', { EXPORT_TABLE_ARN: 'orders' }, ['EXPORT_TABLE_ARN must be a DynamoDB table ARN, arn:<partition>:dynamodb:<region>:<account>:table/<name>, got "orders"']],
      ['an S3 URI for the bucket', { EXPORT_BUCKET: 's3://acme-exports' }, ['EXPORT_BUCKET must be an S3 bucket name', 'got "s3://acme-exports"']],
      ['neither', { EXPORT_TABLE_ARN: undefined, EXPORT_BUCKET: undefined }, ['EXPORT_TABLE_ARN must be', 'EXPORT_BUCKET must be']],
      ['a prefix past 1024 characters', { EXPORT_PREFIX: 'p'.repeat(1025) }, ['EXPORT_PREFIX must be an S3 key prefix of at most 1024 characters']],
    ])('%s: DeploymentError naming each variable and its rule, before any DynamoDB call', async (_, variables, parts) => {
      deploy(variables);
      const failure = runStart(start)(startEvent());
      await expect(failure).rejects.toMatchObject({ name: 'DeploymentError', message: expect.stringMatching(/^the function is deployed wrong: environment variable /) });
      for (const part of parts) await expect(failure).rejects.toThrow(part);
      expect(dynamodb.calls()).toHaveLength(0);
    });

    test.each(TRANSIENT_ERRORS)('%s comes out of runStart as TransientAwsError, which the state machine retries', async (_, error) => {
      dynamodb.on(ExportTableToPointInTimeCommand).rejects(error);
      await expect(runStart(start)(startEvent())).rejects.toMatchObject({ name: 'TransientAwsError', message: `start threw ${error.name} with a message of ${error.message.length} bytes, not shown: a cause never carries what your code put in it` });
    });
  });

  describe('export-table check', () => {
    test.each([
      ['IN_PROGRESS', { ExportStatus: 'IN_PROGRESS' }, { status: 'running' }],
      [
        'COMPLETED',
        {
          ExportStatus: 'COMPLETED',
          ExportManifest: 'orders/AWSDynamoDB/01767225600000-a1b2c3d4/manifest-summary.json',
          ItemCount: 1200,
          BilledSizeBytes: 52_000,
          S3Bucket: 'acme-exports',
          S3Prefix: 'orders/',
          ExportTime: new Date('2026-03-01T02:00:01.000Z'),
          TableId: 'left out',
        },
        {
          status: 'succeeded',
          result: {
            exportManifest: 'orders/AWSDynamoDB/01767225600000-a1b2c3d4/manifest-summary.json',
            itemCount: 1200,
            billedSizeBytes: 52_000,
            s3Bucket: 'acme-exports',
            s3Prefix: 'orders/',
            exportTime: '2026-03-01T02:00:01.000Z',
          },
        },
      ],
      ['FAILED', { ExportStatus: 'FAILED', FailureCode: 'S3AccessDenied', FailureMessage: 'Access Denied' }, { status: 'failed', reason: 'S3AccessDenied: Access Denied' }],
      ['a status the API reference does not list (the guide\'s PENDING)', { ExportStatus: 'PENDING' }, { status: 'running' }],
      ['no status', {}, { status: 'running' }],
    ])('%s maps to its task status', async (_, description, result) => {
      described({ ExportArn: exportArn, ...(description as ExportDescription) });
      await expect(check(checkEvent() as never)).resolves.toEqual(result);
      expect(dynamodb.commandCalls(DescribeExportCommand)[0].args[0].input).toEqual({ ExportArn: exportArn });
    });

    test('through runCheck: COMPLETED keeps the handle and carries the result; FAILED is TaskFailed with the reason', async () => {
      described({ ExportArn: exportArn, ExportStatus: 'COMPLETED', ItemCount: 3 });
      await expect(runCheck(check)(checkEvent())).resolves.toMatchObject({ status: 'succeeded', task: { exportArn }, result: { itemCount: 3, s3Prefix: null } });
      described({ ExportArn: exportArn, ExportStatus: 'FAILED', FailureCode: 'UNKNOWN', FailureMessage: 'The export failed.' });
      await expect(runCheck(check)(checkEvent())).rejects.toMatchObject({ name: 'TaskFailed', message: expect.stringContaining('the task failed: UNKNOWN: The export failed.') });
    });

    test.each(TRANSIENT_ERRORS)('%s comes out of runCheck as TransientAwsError', async (_, error) => {
      dynamodb.on(DescribeExportCommand).rejects(error);
      await expect(runCheck(check)(checkEvent())).rejects.toMatchObject({ name: 'TransientAwsError', message: `check threw ${error.name} with a message of ${error.message.length} bytes, not shown: a cause never carries what your code put in it` });
    });

    test.each([
      ['not an object', 'arn'],
      ['no export ARN', {}],
      ['a table ARN', { exportArn: tableArn }],
    ])('a handle that is %s fails with InvalidInput before any DynamoDB call', async (_, task) => {
      await expect(runCheck(check)(checkEvent(task))).rejects.toMatchObject({ name: 'InvalidInput', message: expect.stringMatching(/^event\.task/) });
      expect(dynamodb.calls()).toHaveLength(0);
    });
  });
});

describe('FakeDynamoDb', () => {
  let fake: FakeDynamoDb | undefined;
  const install = (options: Partial<FakeDynamoDbOptions> = {}) => {
    fake = new FakeDynamoDb({ tables: [{ arn: tableArn, itemCount: 7 }], statuses: ['IN_PROGRESS', 'IN_PROGRESS', 'COMPLETED'], ...options });
    return fake;
  };
  afterEach(() => fake?.restore());

  test('the same client token returns the same export, as DynamoDB does; another execution gets its own', async () => {
    const dynamodb = install();
    const first = await runStart(start)(startEvent());
    await expect(runStart(start)(startEvent())).resolves.toEqual(first);
    const other = await runStart(start)(startEvent('nightly-2026-03-02'));
    expect(first.task.exportArn).toMatch(/^arn:aws:dynamodb:us-east-1:123456789012:table\/orders\/export\/\d{14}-[0-9a-f]{8}$/);
    expect(other.task.exportArn).not.toBe(first.task.exportArn);
    expect(dynamodb.exports.size).toBe(2);
  });

  test('the same token with other parameters is ExportConflictException', async () => {
    install();
    await start(startEvent());
    deploy({ EXPORT_PREFIX: 'elsewhere/' });
    await expect(start(startEvent())).rejects.toMatchObject({ name: 'ExportConflictException' });
  });

  test('walks the scripted statuses, one per DescribeExport, the last repeating; completed, it reports where the data is', async () => {
    install();
    const { task } = await runStart(start)(startEvent());
    const statuses = [];
    for (let poll = 1; poll <= 4; poll += 1) statuses.push((await runCheck(check)({ task, poll, waitedSeconds: 60 * poll })).status);
    expect(statuses).toEqual(['running', 'running', 'succeeded', 'succeeded']);
    const id = task.exportArn.slice(task.exportArn.lastIndexOf('/') + 1);
    await expect(runCheck(check)({ task, poll: 5, waitedSeconds: 300 })).resolves.toMatchObject({
      result: { exportManifest: `orders/AWSDynamoDB/${id}/manifest-summary.json`, itemCount: 7, s3Bucket: 'acme-exports', s3Prefix: 'orders/' },
    });
  });

  test('a FAILED export carries the configured code and message into TaskFailed', async () => {
    install({ statuses: ['FAILED'], failure: { code: 'S3AccessDenied', message: 'Access Denied' } });
    const { task } = await runStart(start)(startEvent());
    await expect(runCheck(check)({ task, poll: 1, waitedSeconds: 60 })).rejects.toMatchObject({ name: 'TaskFailed', message: expect.stringContaining('S3AccessDenied: Access Denied') });
  });

  test.each([
    ['an unknown table', 'TableNotFoundException', { tables: [] }],
    ['point-in-time recovery off', 'PointInTimeRecoveryUnavailableException', { tables: [{ arn: tableArn, pointInTimeRecovery: false }] }],
  ])('%s: %s, as the SDK throws it', async (_, name, options) => {
    install(options);
    await expect(start(startEvent())).rejects.toMatchObject({ name, $fault: 'client' });
  });

  test('an unknown export is ExportNotFoundException', async () => {
    install();
    await expect(runCheck(check)(checkEvent())).rejects.toMatchObject({ name: 'ExportNotFoundException' });
  });

  test.each([
    ['throttling', 'ThrottlingException', 400],
    ['server', 'InternalServerError', 500],
  ] as const)('fails the first calls of each API with %s (%s), which the handlers turn into TransientAwsError', async (failWith, name, httpStatusCode) => {
    const dynamodb = install({ failFirstCalls: 1, failWith });
    await expect(runStart(start)(startEvent())).rejects.toMatchObject({ name: 'TransientAwsError', message: expect.stringContaining(`start threw ${name} with a message of`) });
    const { task } = await runStart(start)(startEvent());
    // As the SDK throws it, straight from the example's own call.
    await expect(check({ task, poll: 1, waitedSeconds: 60 })).rejects.toMatchObject({ name, $metadata: { httpStatusCode } });
    await expect(runCheck(check)({ task, poll: 1, waitedSeconds: 60 })).resolves.toMatchObject({ status: 'running' });
    expect(Object.fromEntries(dynamodb.calls)).toEqual({ ExportTableToPointInTime: 2, DescribeExport: 2 });
  });

  test('logs each call with who made it', async () => {
    const dynamodb = install();
    const { task } = await actingAs('jobs-orders-export-start', () => runStart(start)(startEvent()));
    await actingAs('jobs-orders-export-check', () => runCheck(check)({ task, poll: 1, waitedSeconds: 60 }));
    expect(dynamodb.log).toEqual([
      {
        api: 'ExportTableToPointInTime',
        input: { TableArn: tableArn, S3Bucket: 'acme-exports', S3Prefix: 'orders/', ExportFormat: 'DYNAMODB_JSON', ClientToken: execution.name },
        caller: 'jobs-orders-export-start',
      },
      { api: 'DescribeExport', input: { ExportArn: task.exportArn }, caller: 'jobs-orders-export-check' },
    ]);
  });

  test('refuses an empty status list before touching the SDK', () => {
    expect(() => new FakeDynamoDb({ tables: [], statuses: [] })).toThrow('FakeDynamoDb needs at least one status');
  });
});

describe("the README's example task, as synthesized: its roles allow what a start and a check do, and nothing beside", () => {
  const { json } = synthesize({ WORKFLOWS_JOBS: '{}', WORKFLOWS_SNAPSHOT_TARGETS: '{}', WORKFLOWS_TASKS: JSON.stringify(recipeContext('export-task').tasks) });
  const roles = deployedRoles(json);
  let fake: FakeDynamoDb | undefined;
  afterEach(() => fake?.restore());

  test('every request of a start and a check is allowed for the role that made it; a prefix or table beside them is denied; each statement is needed', async () => {
    const [startRole, checkRole] = ['start', 'check'].map((fn) => roles.get(`long-running-export-orders-${fn}`)!);
    fake = new FakeDynamoDb({ tables: [{ arn: tableArn }], statuses: ['COMPLETED'] });
    const { task } = await actingAs('start', () => runStart(start)(startEvent()));
    await actingAs('check', () => runCheck(check)({ task, poll: 1, waitedSeconds: 60 }));
    const made = fake.log.map((call) => ({ role: call.caller === 'start' ? startRole : checkRole, requests: requestsOf(call, () => ({})) }));
    const requests = made.flatMap(({ requests }) => requests);
    expect(requests.map((r) => r.action)).toEqual(['dynamodb:ExportTableToPointInTime', 's3:AbortMultipartUpload', 's3:PutObject', 's3:PutObjectAcl', 'dynamodb:DescribeExport']);
    for (const { role, requests: own } of made) for (const request of own) expect([request.resource, await isAllowed(role, request)]).toEqual([request.resource, true]);
    const [exportRequest, , putObject] = requests;
    await expect(isAllowed(startRole, { ...putObject, resource: 'arn:aws:s3:::acme-exports/invoices/AWSDynamoDB/x/_started' })).resolves.toBe(false);
    await expect(isAllowed(startRole, { ...exportRequest, resource: `${tableArn}-archive` })).resolves.toBe(false);
    const statements = (startRole.policy as { Statement: { Sid: string }[] }).Statement.filter((s) => s.Sid !== 'WriteOwnLogs');
    expect(statements.map((s) => s.Sid)).toEqual(['ExportTheTable', 'WriteTheExport', 'DescribeTheExports']);
    for (const left of statements) {
      const without = { ...startRole, policy: { ...startRole.policy, Statement: (startRole.policy as { Statement: object[] }).Statement.filter((s) => s !== left) } };
      const allowed = await Promise.all(requests.map((request) => isAllowed(without, request)));
      expect([left.Sid, allowed.every(Boolean)]).toEqual([left.Sid, false]);
    }
  });
});
