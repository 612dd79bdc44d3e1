import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { RecordedCall } from '../../simulator/fake-aws';
import { exportObjectKey } from '../../simulator/fake-dynamodb';
import { resolveAwsReferences, SIMULATED_AWS } from '../../simulator/stack-artifacts';
import type { TerraformJson } from './synth';

const { partition, region, accountId } = SIMULATED_AWS;

/** One authorization AWS makes for a call: an action on a resource, with what it knows of that resource. */
export interface IamRequest {
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, string>>;
}

export const awsArn = (service: string, resource: string) => `arn:${partition}:${service}:${region}:${accountId}:${resource}`;
export const iamRoleArn = (name: string) => `arn:${partition}:iam::${accountId}:role/${name}`;

/** The resource a synthesized reference such as `${aws_iam_role.x.arn}` points at. */
export function referencedResource(json: TerraformJson, reference: string): Record<string, any> {
  const [, type, address] = /^\$\{([a-z0-9_]+)\.([a-z0-9_]+)\.[a-z_]+\}$/.exec(reference) ?? [];
  const resource = type && json.resource[type]?.[address];
  if (!resource) throw new Error(`not a reference to a synthesized resource: ${reference}`);
  return resource;
}
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
};

export function requestsOf(call: RecordedCall, tagsOf: TagsOf): IamRequest[] {
  const requests = REQUESTS[call.api];
  if (!requests) throw new Error(`no IAM requests known for ${call.api}; add them to __tests__/support/iam.ts`);
  return requests(call.input, tagsOf);
}

/** A role as deployed: its ARN, its inline policy and its trust policy, the data sources resolved. */
export interface DeployedRole {
  readonly arn: string;
  readonly policy: object;
  readonly trust: object;
}

/** The roles of the stack, by who assumes them: each function and state machine by name, the schedules as "scheduler". */
export function deployedRoles(json: TerraformJson): ReadonlyMap<string, DeployedRole> {
  const roleOf = (reference: string): DeployedRole => {
    const role = referencedResource(json, reference);
    const policy = Object.values(json.resource.aws_iam_role_policy).find((p) => referencedResource(json, p.role) === role);
    if (!policy) throw new Error(`role ${role.name} has no inline policy`);
    return {
      arn: iamRoleArn(role.name),
      policy: JSON.parse(resolveAwsReferences(policy.policy)),
      trust: JSON.parse(resolveAwsReferences(role.assume_role_policy)),
    };
  };
  const roles = new Map<string, DeployedRole>();
  for (const fn of Object.values(json.resource.aws_lambda_function)) roles.set(fn.function_name, roleOf(fn.role));
  for (const sm of Object.values(json.resource.aws_sfn_state_machine)) roles.set(sm.name, roleOf(sm.role_arn));
  for (const schedule of Object.values(json.resource.aws_scheduler_schedule ?? {})) roles.set('scheduler', roleOf(schedule.target.role_arn));
  return roles;
}

async function decide(simulation: Parameters<typeof runSimulation>[0]): Promise<string> {
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') throw new Error(`the simulator refused the request: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
}

/** Whether the role's identity policy allows the request. */
export async function isAllowed(role: DeployedRole, request: IamRequest): Promise<boolean> {
  const decision = await decide({
    request: { principal: role.arn, action: request.action, resource: { resource: request.resource, accountId }, contextVariables: { ...request.context } },
    identityPolicies: [{ name: 'least-privilege', policy: role.policy }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  });
  return decision === 'Allowed';
}

/** Whether a service may act on a resource under its resource policy (a role's trust, a topic's policy), on behalf of a source. */
export async function serviceMay(service: string, action: string, resource: string, resourcePolicy: object, sourceArn: string, sourceAccount: string = accountId): Promise<boolean> {
  const decision = await decide({
    request: { principal: service, action, resource: { resource, accountId }, contextVariables: { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': sourceAccount } },
    identityPolicies: [],
    resourcePolicy,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  });
  return decision === 'Allowed';
}
