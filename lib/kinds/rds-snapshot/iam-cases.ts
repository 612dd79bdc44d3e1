import { TAG_KEYS } from '../../../lambdas/rds-snapshot/snapshot-naming';
import { attribute, awsArn, invocations, type Attributed, type DeniedCase, type IamCases, type IamRequest } from '../../../simulator/iam-cases';
import { earlierSnapshots, runSnapshotWorkflow } from './simulation';

const targets = {
  'orders-db': { type: 'instance', schedule: { expression: 'cron(0 3 * * ? *)', timezone: 'Europe/Berlin' } },
  'billing-db': { type: 'instance' },
  analytics: { type: 'cluster' },
};
const ourTag = { [`rds:snapshot-tag/${TAG_KEYS.createdBy}`]: 'long-running-rds-snapshot' };
const rds = (resource: string) => awsArn('rds', resource);
const denied = (role: string, what: string, request: IamRequest): DeniedCase => ({
  configuration: 'snapshots',
  role: role === 'workflow' || role === 'scheduler' ? (role === 'workflow' ? 'long-running-rds-snapshot' : role) : `long-running-rds-snapshot-${role}`,
  what,
  request,
});

/** Snapshots of two instances and a cluster, one on a schedule, retention 7: each target kind, retention deleting, the scheduled start. */
export const rdsSnapshotIamCases: IamCases = {
  configurations: {
    snapshots: { WORKFLOWS_JOBS: '{}', WORKFLOWS_SNAPSHOT_TARGETS: JSON.stringify(targets), WORKFLOWS_SNAPSHOT_KEEP_LAST: '7' },
  },
  record: async (artifacts) => {
    const stack = artifacts('snapshots');
    const machine = stack.stateMachines['rds-snapshot'];
    const calls: Attributed[] = [];
    for (const [target, kind] of [['orders-db', 'instance'], ['analytics', 'cluster']] as const) {
      const existing = earlierSnapshots(machine, target, [1, 2, 3, 4, 5, 6, 7, 8, 9], kind);
      const tags = new Map(existing.map((s) => [s.identifier, s.tags ?? {}]));
      const run = await runSnapshotWorkflow(stack, { instances: ['orders-db', 'billing-db'], clusters: ['analytics'], statuses: ['creating', 'available'], existing, input: { target } });
      if (run.execution.status !== 'SUCCEEDED' || run.deleted.length !== 3) {
        throw new Error(`the snapshot of ${target} ended ${run.execution.status} having deleted ${run.deleted.length} snapshots; the cases expect SUCCEEDED and 3`);
      }
      calls.push(...attribute('snapshots', run.log, (id) => tags.get(id) ?? {}), ...invocations('snapshots', machine, [run.execution]));
    }
    calls.push({ configuration: 'snapshots', caller: 'scheduler', request: { action: 'states:StartExecution', resource: machine.arn } });
    return calls;
  },
  actions: [
    'lambda:InvokeFunction',
    'logs:CreateLogStream',
    'logs:PutLogEvents',
    'rds:AddTagsToResource',
    'rds:CreateDBClusterSnapshot',
    'rds:CreateDBSnapshot',
    'rds:DeleteDBClusterSnapshot',
    'rds:DeleteDBSnapshot',
    'rds:DescribeDBClusterSnapshots',
    'rds:DescribeDBSnapshots',
    'states:StartExecution',
  ],
  denied: [
    denied('create', 'another instance', { action: 'rds:CreateDBSnapshot', resource: rds('db:inventory-db') }),
    denied('create', 'the -replica instance', { action: 'rds:CreateDBSnapshot', resource: rds('db:orders-db-replica') }),
    denied('create', "the -replica instance's snapshots", { action: 'rds:CreateDBSnapshot', resource: rds('snapshot:orders-db-replica-sfn-nightly-0123abcd') }),
    denied('create', "tags on the -replica instance's snapshots", { action: 'rds:AddTagsToResource', resource: rds('snapshot:orders-db-replica-sfn-nightly-0123abcd') }),
    denied('create', 'a snapshot name without our infix', { action: 'rds:CreateDBSnapshot', resource: rds('snapshot:orders-db-nightly') }),
    denied('create', 'tags on the instance itself', { action: 'rds:AddTagsToResource', resource: rds('db:orders-db') }),
    denied('create', 'an instance snapshot of a cluster', { action: 'rds:CreateDBSnapshot', resource: rds('db:analytics') }),
    denied('create', 'a delete, even of our own snapshot', { action: 'rds:DeleteDBSnapshot', resource: rds('snapshot:orders-db-sfn-nightly-0123abcd'), context: ourTag }),
    denied('describe', "another instance's snapshots", { action: 'rds:DescribeDBSnapshots', resource: rds('snapshot:inventory-db-sfn-x') }),
    denied('describe', 'a delete', { action: 'rds:DeleteDBSnapshot', resource: rds('snapshot:orders-db-sfn-x'), context: ourTag }),
    denied('retention', 'a delete of one of our names without our tag', { action: 'rds:DeleteDBSnapshot', resource: rds('snapshot:orders-db-sfn-x') }),
    denied('retention', "a delete of another workflow's", { action: 'rds:DeleteDBSnapshot', resource: rds('snapshot:orders-db-sfn-x'), context: { [`rds:snapshot-tag/${TAG_KEYS.createdBy}`]: 'other-rds-snapshot' } }),
    denied('retention', "a delete of the -replica instance's, even tagged", { action: 'rds:DeleteDBSnapshot', resource: rds('snapshot:orders-db-replica-sfn-x'), context: ourTag }),
    denied('retention', 'a delete of a hand-made snapshot, even tagged', { action: 'rds:DeleteDBSnapshot', resource: rds('snapshot:orders-db-before-upgrade'), context: ourTag }),
    denied('retention', 'a cluster snapshot delete without our tag', { action: 'rds:DeleteDBClusterSnapshot', resource: rds('cluster-snapshot:analytics-sfn-x') }),
    denied('retention', 'deleting the instance', { action: 'rds:DeleteDBInstance', resource: rds('db:orders-db') }),
    denied('retention', "listing another instance's snapshots", { action: 'rds:DescribeDBSnapshots', resource: rds('db:inventory-db') }),
    denied('create', "another function's log group", { action: 'logs:PutLogEvents', resource: awsArn('logs', 'log-group:/aws/lambda/long-running-rds-snapshot-retention:log-stream:x') }),
    denied('workflow', "the continue-as-new machine's functions", { action: 'lambda:InvokeFunction', resource: awsArn('lambda', 'function:long-running-continue-as-new-work') }),
    denied('workflow', 'starting itself', { action: 'states:StartExecution', resource: awsArn('states', 'stateMachine:long-running-rds-snapshot') }),
    denied('scheduler', 'starting another state machine', { action: 'states:StartExecution', resource: awsArn('states', 'stateMachine:long-running-continue-as-new') }),
  ],
};
