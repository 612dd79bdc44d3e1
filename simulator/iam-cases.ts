// What the IAM simulation of every kind shares: the requests AWS authorizes for each call the
// fakes answer, and what a kind declares as its cases (lib/kinds/<kind>/iam-cases.ts). No policy
// evaluation here: __tests__/iam-simulation.test.ts runs the cases through the policy simulator.
import type { RecordedCall } from './fake-aws';
import { exportObjectKey } from './fake-dynamodb';
import type { ExecutionResult } from './run-execution';
import { SIMULATED_AWS, type DeployedStateMachine, type StackArtifacts } from './stack-artifacts';

const { partition, region, accountId } = SIMULATED_AWS;

/** One authorization AWS makes for a call: an action on a resource, with what it knows of that resource. */
export interface IamRequest {
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, string>>;
}

/** An ARN in the simulated account and region. */
export const awsArn = (service: string, resource: string) => `arn:${partition}:${service}:${region}:${accountId}:${resource}`;

const rds = (type: string, id: unknown) => awsArn('rds', `${type}:${String(id)}`);
const tagContext = (resourceType: 'snapshot' | 'cluster-snapshot', tags: Readonly<Record<string, string>>) =>
  Object.fromEntries(Object.entries(tags).map(([key, value]) => [`rds:${resourceType}-tag/${key}`, value]));

/** What RDS knows of a snapshot when a call names it: its tags (deletes are conditioned on them). */
export type TagsOf = (snapshotIdentifier: string) => Readonly<Record<string, string>>;
type Input = Readonly<Record<string, unknown>>;

/**
 * The IAM requests each API call the fakes answer makes, from the Service Authorization Reference
 * (CreateDBSnapshot needs both the instance and the snapshot) and the RDS user guide: tags given to
 * a create call also need rds:AddTagsToResource on the new snapshot. An API missing here fails the
 * test that meets it, so a new call cannot go unchecked.
 */
const REQUESTS: Record<string, (input: Input, tagsOf: TagsOf) => IamRequest[]> = {
  CreateDBSnapshot: (i) => [
    { action: 'rds:CreateDBSnapshot', resource: rds('db', i.DBInstanceIdentifier) },
    { action: 'rds:CreateDBSnapshot', resource: rds('snapshot', i.DBSnapshotIdentifier) },
    ...(Array.isArray(i.Tags) && i.Tags.length > 0 ? [{ action: 'rds:AddTagsToResource', resource: rds('snapshot', i.DBSnapshotIdentifier) }] : []),
  ],
  CreateDBClusterSnapshot: (i) => [
    { action: 'rds:CreateDBClusterSnapshot', resource: rds('cluster', i.DBClusterIdentifier) },
    { action: 'rds:CreateDBClusterSnapshot', resource: rds('cluster-snapshot', i.DBClusterSnapshotIdentifier) },
    ...(Array.isArray(i.Tags) && i.Tags.length > 0 ? [{ action: 'rds:AddTagsToResource', resource: rds('cluster-snapshot', i.DBClusterSnapshotIdentifier) }] : []),
  ],
  DescribeDBSnapshots: (i) => [
    { action: 'rds:DescribeDBSnapshots', resource: i.DBSnapshotIdentifier ? rds('snapshot', i.DBSnapshotIdentifier) : rds('db', i.DBInstanceIdentifier) },
  ],
  DescribeDBClusterSnapshots: (i) => [
    {
      action: 'rds:DescribeDBClusterSnapshots',
      resource: i.DBClusterSnapshotIdentifier ? rds('cluster-snapshot', i.DBClusterSnapshotIdentifier) : rds('cluster', i.DBClusterIdentifier),
    },
  ],
  DeleteDBSnapshot: (i, tagsOf) => [
    { action: 'rds:DeleteDBSnapshot', resource: rds('snapshot', i.DBSnapshotIdentifier), context: tagContext('snapshot', tagsOf(String(i.DBSnapshotIdentifier))) },
  ],
  DeleteDBClusterSnapshot: (i, tagsOf) => [
    {
      action: 'rds:DeleteDBClusterSnapshot',
      resource: rds('cluster-snapshot', i.DBClusterSnapshotIdentifier),
      context: tagContext('cluster-snapshot', tagsOf(String(i.DBClusterSnapshotIdentifier))),
    },
  ],
  // DynamoDB writes the export's objects with the caller's permissions: the developer guide
  // ("Requesting a table export") asks for s3:AbortMultipartUpload, s3:PutObject and
  // s3:PutObjectAcl on the objects, beside the export action on the table. The object checked is
  // the `_started` file DynamoDB writes first, under <prefix>/AWSDynamoDB/<export id>/.
  ExportTableToPointInTime: (i) => [
    { action: 'dynamodb:ExportTableToPointInTime', resource: String(i.TableArn) },
    ...['s3:AbortMultipartUpload', 's3:PutObject', 's3:PutObjectAcl'].map((action) => ({
      action,
      resource: `arn:${partition}:s3:::${String(i.S3Bucket)}/${exportObjectKey(i.S3Prefix as string | undefined, '01767225600000-00000001', '_started')}`,
    })),
  ],
  DescribeExport: (i) => [{ action: 'dynamodb:DescribeExport', resource: String(i.ExportArn) }],
  StartExecution: (i) => [{ action: 'states:StartExecution', resource: String(i.stateMachineArn) }],
  DescribeExecution: (i) => [{ action: 'states:DescribeExecution', resource: String(i.executionArn) }],
  ListExecutions: (i) => [{ action: 'states:ListExecutions', resource: String(i.stateMachineArn) }],
};

/** The IAM requests one recorded call makes; an API not listed here is an error, so a new call cannot go unchecked. */
export function requestsOf(call: RecordedCall, tagsOf: TagsOf): IamRequest[] {
  const requests = REQUESTS[call.api];
  if (!requests) throw new Error(`no IAM requests known for ${call.api}; add them to simulator/iam-cases.ts`);
  return requests(call.input, tagsOf);
}

/** A request, and the role that made it (a function's or state machine's name, or `scheduler`), in one of a kind's configurations. */
export interface Attributed {
  readonly configuration: string;
  readonly caller: string;
  readonly request: IamRequest;
}

/** A request a role must be denied, in one of a kind's configurations, and what it stands for. */
export interface DeniedCase {
  readonly configuration: string;
  readonly role: string;
  readonly what: string;
  readonly request: IamRequest;
}

/** A kind's IAM simulation: the stacks it synthesizes, the calls its local runs make, and what its roles must not do. */
export interface IamCases {
  /**
   * Each configuration (WORKFLOWS_* variables) the cases synthesize, by name; each holds only this
   * kind's workflows, so every role in it must have made a call.
   */
  readonly configurations: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Runs the kind's workflows locally on each configuration's artifacts: every call made, by whom. */
  readonly record: (artifacts: (configuration: string) => StackArtifacts) => Promise<readonly Attributed[]>;
  /** Every action `record` meets, sorted: a run that stops making a call fails the check instead of passing unseen. */
  readonly actions: readonly string[];
  readonly denied: readonly DeniedCase[];
}

/** The requests the fakes' recorded calls stand for, each as the role that made it. */
export function attribute(configuration: string, log: readonly RecordedCall[], tagsOf: TagsOf = () => ({})): Attributed[] {
  return log.flatMap((call) => {
    if (!call.caller) throw new Error(`${call.api} was made by no known caller`);
    return requestsOf(call, tagsOf).map((request) => ({ configuration, caller: call.caller!, request }));
  });
}

/** The Lambda functions each execution's Tasks invoked, as its state machine's role, and each function's log writes. */
export function invocations(configuration: string, stateMachine: DeployedStateMachine, executions: readonly ExecutionResult[]): Attributed[] {
  const functions = new Set(
    executions.flatMap((e) => e.states.map((state) => stateMachine.definition.States[state].Resource ?? '').filter((resource) => resource.includes(':function:'))),
  );
  return [...functions].flatMap((functionArn) => {
    const functionName = functionArn.split(':function:')[1];
    const logStream = awsArn('logs', `log-group:/aws/lambda/${functionName}:log-stream:2026/01/01/[$LATEST]0123456789abcdef`);
    return [
      { configuration, caller: stateMachine.name, request: { action: 'lambda:InvokeFunction', resource: functionArn } },
      { configuration, caller: functionName, request: { action: 'logs:CreateLogStream', resource: logStream } },
      { configuration, caller: functionName, request: { action: 'logs:PutLogEvents', resource: logStream } },
    ];
  });
}
