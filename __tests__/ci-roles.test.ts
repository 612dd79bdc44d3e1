import { pageWithBlock, readDocPages } from '../scripts/doc-pages';
import { awsArn, iamRoleArn, isAllowed, referencedResource, type DeployedRole, type IamRequest } from './support/iam';
import { OPERATIONS } from './support/operations';
import { synthesize } from './support/synth';

/** The plan and deploy roles' policies as the docs give them (the one page holding each), evaluated by the IAM policy simulator. */
const pages = readDocPages();
function readmePolicy(name: string): DeployedRole {
  const [page, text] = pageWithBlock(pages, `policy:${name}`);
  const block = new RegExp(`<!-- policy:${name} -->\\n\`\`\`json\\n([\\s\\S]*?)\`\`\`\\n<!-- /policy:${name} -->`).exec(text);
  if (!block) throw new Error(`${page} has no <!-- policy:${name} --> block`);
  return { arn: iamRoleArn(`github-${name}`), policy: JSON.parse(block[1]), trust: {} };
}
const plan = readmePolicy('plan');
const deploy = readmePolicy('deploy');

const { json } = synthesize({ ...OPERATIONS, WORKFLOWS_STATE_BUCKET: 'acme-terraform-state' });
const nameOf = (reference: string) => referencedResource(json, reference).name as string;

/** What creating each kind of resource asks IAM for. A resource type missing here fails the test, so a new one gets checked. */
const CREATE: Record<string, (resource: Record<string, any>) => IamRequest[]> = {
  aws_iam_role: (r) => [
    { action: 'iam:CreateRole', resource: iamRoleArn(r.name) },
    { action: 'iam:PassRole', resource: iamRoleArn(r.name) },
  ],
  aws_iam_role_policy: (r) => [{ action: 'iam:PutRolePolicy', resource: iamRoleArn(nameOf(r.role)) }],
  aws_lambda_function: (r) => [{ action: 'lambda:CreateFunction', resource: awsArn('lambda', `function:${r.function_name}`) }],
  aws_cloudwatch_log_group: (r) => [{ action: 'logs:CreateLogGroup', resource: awsArn('logs', `log-group:${r.name}`) }],
  aws_sfn_state_machine: (r) => [
    { action: 'states:CreateStateMachine', resource: awsArn('states', `stateMachine:${r.name}`) },
    { action: 'states:ValidateStateMachineDefinition', resource: '*' },
  ],
  aws_sns_topic: (r) => [{ action: 'sns:CreateTopic', resource: awsArn('sns', r.name) }],
  aws_sns_topic_policy: (r) => [{ action: 'sns:SetTopicAttributes', resource: awsArn('sns', nameOf(r.arn)) }],
  aws_sns_topic_subscription: (r) => [{ action: 'sns:Subscribe', resource: awsArn('sns', nameOf(r.topic_arn)) }],
  aws_cloudwatch_event_rule: (r) => [{ action: 'events:PutRule', resource: awsArn('events', `rule/${r.name}`) }],
  aws_cloudwatch_event_target: (r) => [{ action: 'events:PutTargets', resource: awsArn('events', `rule/${nameOf(r.rule)}`) }],
  aws_scheduler_schedule_group: (r) => [{ action: 'scheduler:CreateScheduleGroup', resource: awsArn('scheduler', `schedule-group/${r.name}`) }],
  aws_scheduler_schedule: (r) => [
    { action: 'scheduler:CreateSchedule', resource: awsArn('scheduler', `schedule/${nameOf(r.group_name)}/${r.name}`) },
  ],
};

const state = (key: string) => `arn:aws:s3:::acme-terraform-state/${key}`;

describe('the plan and deploy roles the docs give', () => {
  test('the deploy role may create every resource the stack synthesizes, and pass every role it creates', async () => {
    const requests = Object.entries(json.resource).flatMap(([type, byName]) => {
      const create = CREATE[type];
      if (!create) throw new Error(`no create requests known for ${type}; add them to __tests__/ci-roles.test.ts`);
      return Object.values(byName).flatMap(create);
    });
    expect(requests.length).toBeGreaterThan(40);
    const denied: string[] = [];
    for (const request of requests) if (!(await isAllowed(deploy, request))) denied.push(`${request.action} on ${request.resource}`);
    expect(denied).toEqual([]);
  });

  test.each<[string, IamRequest]>([
    ['a function of another app', { action: 'lambda:CreateFunction', resource: awsArn('lambda', 'function:payments-api') }],
    ['an administrator role', { action: 'iam:CreateRole', resource: iamRoleArn('admin') }],
    ['passing a role of another app', { action: 'iam:PassRole', resource: iamRoleArn('payments-api-fn') }],
    ['a state machine of another app', { action: 'states:CreateStateMachine', resource: awsArn('states', 'stateMachine:payments') }],
    ['a schedule in the default group', { action: 'scheduler:CreateSchedule', resource: awsArn('scheduler', 'schedule/default/long-running-nightly') }],
    ["another bucket's objects", { action: 's3:PutObject', resource: 'arn:aws:s3:::payments-state/long-running-workflows/x.tfstate' }],
  ])('the deploy role may not touch %s', async (_, request) => {
    expect(await isAllowed(deploy, request)).toBe(false);
  });

  test('the plan role may validate definitions, read the state and take its lock, and write nothing else', async () => {
    expect(json.terraform.backend.s3).toMatchObject({ bucket: 'acme-terraform-state', key: expect.stringMatching(/^long-running-workflows\/.+\.tfstate$/), use_lockfile: true });
    const key = json.terraform.backend.s3.key as string;
    expect(await isAllowed(plan, { action: 'states:ValidateStateMachineDefinition', resource: '*' })).toBe(true);
    expect(await isAllowed(plan, { action: 's3:GetObject', resource: state(key) })).toBe(true);
    expect(await isAllowed(plan, { action: 's3:PutObject', resource: state(`${key}.tflock`) })).toBe(true);
    expect(await isAllowed(plan, { action: 's3:DeleteObject', resource: state(`${key}.tflock`) })).toBe(true);
    expect(await isAllowed(plan, { action: 's3:PutObject', resource: state(key) })).toBe(false);
    expect(await isAllowed(plan, { action: 'states:CreateStateMachine', resource: awsArn('states', 'stateMachine:long-running-rds-snapshot') })).toBe(false);
  });
});
