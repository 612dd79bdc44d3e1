import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { IamRequest } from '../../simulator/iam-cases';
import { resolveAwsReferences, SIMULATED_AWS } from '../../simulator/stack-artifacts';
import type { TerraformJson } from './synth';

const { partition, accountId } = SIMULATED_AWS;

export { awsArn, requestsOf, type IamRequest } from '../../simulator/iam-cases';
export const iamRoleArn = (name: string) => `arn:${partition}:iam::${accountId}:role/${name}`;

/** The resource a synthesized reference such as `${aws_iam_role.x.arn}` points at. */
export function referencedResource(json: TerraformJson, reference: string): Record<string, any> {
  const [, type, address] = /^\$\{([a-z0-9_]+)\.([a-z0-9_]+)\.[a-z_]+\}$/.exec(reference) ?? [];
  const resource = type && json.resource[type]?.[address];
  if (!resource) throw new Error(`not a reference to a synthesized resource: ${reference}`);
  return resource;
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

/** Whether the role's identity policy allows the request (beside the resource's own policy, for a KMS key which has one). */
export async function isAllowed(role: DeployedRole, request: IamRequest, resourcePolicy?: object): Promise<boolean> {
  const decision = await decide({
    request: { principal: role.arn, action: request.action, resource: { resource: request.resource, accountId }, contextVariables: { ...request.context } },
    identityPolicies: [{ name: 'least-privilege', policy: role.policy }],
    ...(resourcePolicy ? { resourcePolicy } : {}),
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
