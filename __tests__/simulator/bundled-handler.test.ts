import * as path from 'node:path';
import { DescribeDBSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { strFromU8, unzipSync } from 'fflate';
import { bundleHandler } from '../../lib/core/lambda-bundle';
import { DESCRIBE_SNAPSHOT_ENVIRONMENT } from '../../lambdas/shared/handler-environments';
import { rdsError, setEnvironment } from '../support/sdk-errors';

type Handler = (event: unknown) => Promise<unknown>;

/** The code in the zip Terraform uploads: minified, so every class is renamed. */
const code = strFromU8(unzipSync(bundleHandler(path.join(__dirname, '../../lambdas/rds-snapshot/describe-snapshot.ts')).zip)['index.js']);

function load(): Handler {
  const module = { exports: {} as { handler: Handler } };
  // `require` is this test's, so the bundle's external SDK is the one mocked here.
  new Function('exports', 'require', 'module', code)(module.exports, require, module);
  return module.exports.handler;
}

const rds = mockClient(RDSClient);
const handler = load();
const event = { target: 'orders-db', type: 'instance', snapshotIdentifier: 'orders-db-sfn-nightly-1a2b3c4d' };

beforeEach(() => {
  rds.reset();
  setEnvironment(DESCRIBE_SNAPSHOT_ENVIRONMENT, { snapshotTargets: { 'orders-db': 'instance' } });
});

describe('error names survive minification: they are what Step Functions matches', () => {
  test('the bundle renames classes', () => {
    expect(code).toContain('"UnknownTarget"');
    expect(code).not.toMatch(/class UnknownTarget\b/);
  });

  test.each([
    ['InvalidInput', { ...event, snapshotIdentifier: undefined }],
    ['UnknownTarget', { ...event, target: 'billing-db' }],
  ])('%s', async (name, badEvent) => {
    await expect(handler(badEvent)).rejects.toMatchObject({ name });
  });

  test('DeploymentError', async () => {
    process.env.SNAPSHOT_TARGETS = '{}';
    await expect(handler(event)).rejects.toMatchObject({ name: 'DeploymentError' });
  });

  test('TransientAwsError, with the SDK error as its cause', async () => {
    const throttled = rdsError('Throttling', 400);
    rds.on(DescribeDBSnapshotsCommand).rejects(throttled);
    await expect(handler(event)).rejects.toMatchObject({ name: 'TransientAwsError', cause: throttled });
  });
});

test("a bundle carries its own handler's environment, not every handler's", () => {
  expect(code).toContain('instance or cluster identifier');
  expect(code).not.toContain('tag key -> value');
  expect(code).not.toContain('a whole number');
});
