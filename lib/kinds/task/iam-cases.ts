import { FakeDynamoDb } from '../../../simulator/fake-dynamodb';
import { attribute, awsArn, invocations, type DeniedCase, type IamCases, type IamRequest } from '../../../simulator/iam-cases';
import { runTaskWorkflow } from './simulation';

const table = awsArn('dynamodb', 'table/orders');
/** The example export task as its docs configure it (docs/tasks.md), on a nightly schedule. */
const exportTask = {
  startEntry: 'lambdas/task/export-table-start.ts',
  checkEntry: 'lambdas/task/export-table-check.ts',
  environment: { EXPORT_TABLE_ARN: table, EXPORT_BUCKET: 'acme-exports', EXPORT_PREFIX: 'orders/' },
  policyStatements: [
    { Sid: 'ExportTheTable', Action: ['dynamodb:ExportTableToPointInTime'], Resource: [table] },
    { Sid: 'WriteTheExport', Action: ['s3:AbortMultipartUpload', 's3:PutObject', 's3:PutObjectAcl'], Resource: ['arn:aws:s3:::acme-exports/orders/*'] },
    { Sid: 'DescribeTheExports', Action: ['dynamodb:DescribeExport'], Resource: [`${table}/export/*`] },
  ],
  schedule: { expression: 'cron(0 1 * * ? *)' },
};
const denied = (role: string, what: string, request: IamRequest): DeniedCase => ({ configuration: 'export', role, what, request });

/** The example task: an export that is in progress at the first check and done at the second, started by its schedule. */
export const taskIamCases: IamCases = {
  configurations: {
    export: { WORKFLOWS_JOBS: '{}', WORKFLOWS_SNAPSHOT_TARGETS: '{}', WORKFLOWS_TASKS: JSON.stringify({ 'export-orders': exportTask }) },
  },
  record: async (artifacts) => {
    const stack = artifacts('export');
    const machine = stack.stateMachines['export-orders'];
    const dynamodb = new FakeDynamoDb({ tables: [{ arn: table }], statuses: ['IN_PROGRESS', 'COMPLETED'] });
    try {
      const execution = await runTaskWorkflow(stack, { workflowId: 'export-orders' });
      if (execution.status !== 'SUCCEEDED') throw new Error(`the export task ended ${execution.status} (${execution.error}); the cases expect SUCCEEDED`);
      return [
        ...attribute('export', dynamodb.log),
        ...invocations('export', machine, [execution]),
        { configuration: 'export', caller: 'scheduler', request: { action: 'states:StartExecution', resource: machine.arn } },
      ];
    } finally {
      dynamodb.restore();
    }
  },
  actions: [
    'dynamodb:DescribeExport',
    'dynamodb:ExportTableToPointInTime',
    'lambda:InvokeFunction',
    'logs:CreateLogStream',
    'logs:PutLogEvents',
    's3:AbortMultipartUpload',
    's3:PutObject',
    's3:PutObjectAcl',
    'states:StartExecution',
  ],
  denied: [
    denied('long-running-export-orders-start', 'writing beside its prefix', { action: 's3:PutObject', resource: 'arn:aws:s3:::acme-exports/invoices/AWSDynamoDB/x/_started' }),
    denied('long-running-export-orders-start', 'exporting another table', { action: 'dynamodb:ExportTableToPointInTime', resource: `${table}-archive` }),
    denied('long-running-export-orders-check', "the start's export, which only the statements you give it allow", { action: 'states:StartExecution', resource: awsArn('states', 'stateMachine:long-running-export-orders') }),
    denied('long-running-export-orders', "another workflow's functions", { action: 'lambda:InvokeFunction', resource: awsArn('lambda', 'function:long-running-continue-as-new-work') }),
    denied('scheduler', 'starting another state machine', { action: 'states:StartExecution', resource: awsArn('states', 'stateMachine:long-running-rds-snapshot') }),
  ],
};
