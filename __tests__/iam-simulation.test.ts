import { loadConfig } from '../lib/config/config';
import { WORKFLOW_KINDS } from '../lib/kinds';
import type { Attributed } from '../simulator/iam-cases';
import { resolveAwsReferences, type StackArtifacts } from '../simulator/stack-artifacts';
import { problemsOf } from './support/config-problems';
import { awsArn, deployedRoles, iamRoleArn, isAllowed, serviceMay, type DeployedRole } from './support/iam';
import { OPERATIONS } from './support/operations';
import { SIMULATED_AWS } from '../simulator/stack-artifacts';
import { synthesize } from './support/synth';

/**
 * The synthesized policies evaluated by an IAM policy simulator, for every kind of workflow: each
 * kind's cases (`iamCases` of its descriptor, lib/kinds/<kind>/iam-cases.ts) name the stacks they
 * synthesize, run their workflows locally, and every call made, as the role that made it, must be
 * allowed; the neighbours they name must be denied.
 */
describe.each(WORKFLOW_KINDS.map((kind) => [kind.name, kind.iamCases()] as const))('IAM of %s workflows, evaluated by a policy simulator', (kind, cases) => {
  const stacks = Object.fromEntries(Object.entries(cases.configurations).map(([name, env]) => [name, synthesize(env)]));
  const roles = Object.fromEntries(Object.entries(stacks).map(([name, stack]) => [name, deployedRoles(stack.json)]));
  const artifacts = new Map<string, StackArtifacts>();
  const artifactsOf = (configuration: string) => {
    if (!stacks[configuration]) throw new Error(`${kind} has no configuration ${configuration}: ${Object.keys(stacks).join(', ')}`);
    if (!artifacts.has(configuration)) artifacts.set(configuration, stacks[configuration].artifacts());
    return artifacts.get(configuration)!;
  };
  const roleOf = (configuration: string, name: string): DeployedRole => {
    const role = roles[configuration]?.get(name);
    if (!role) throw new Error(`no role for ${name} in ${kind}'s configuration ${configuration}: ${[...(roles[configuration]?.keys() ?? [])].join(', ')}`);
    return role;
  };
  let calls: readonly Attributed[];
  beforeAll(async () => {
    calls = await cases.record(artifactsOf);
  }, 120_000);

  test('the local runs make every call the cases name, and every role of each stack makes one', () => {
    expect([...new Set(calls.map(({ request }) => request.action))].sort()).toEqual(cases.actions);
    for (const configuration of Object.keys(stacks)) {
      const callers = new Set(calls.filter((call) => call.configuration === configuration).map(({ caller }) => caller));
      expect([configuration, [...callers].sort()]).toEqual([configuration, [...roles[configuration].keys()].sort()]);
    }
  });

  test('every call is allowed for the role that made it', async () => {
    const denied: string[] = [];
    for (const { configuration, caller, request } of calls) {
      if (!(await isAllowed(roleOf(configuration, caller), request))) denied.push(`${caller} (${configuration}): ${request.action} on ${request.resource}`);
    }
    expect(denied).toEqual([]);
  });

  test('each role is denied what its cases name', async () => {
    expect(cases.denied.length).toBeGreaterThan(0);
    const allowed: string[] = [];
    for (const { configuration, role, what, request } of cases.denied) {
      if (await isAllowed(roleOf(configuration, role), request)) allowed.push(`${role} (${configuration}) may ${what}: ${request.action} on ${request.resource}`);
    }
    expect(allowed).toEqual([]);
  });
});

describe('IAM of the stack, evaluated by a policy simulator', () => {
  const { json } = synthesize(OPERATIONS);
  const roles = deployedRoles(json);
  const roleOf = (name: string) => roles.get(name)!;

  test('a create with tags needs rds:AddTagsToResource: without that statement a tagged create is denied', async () => {
    const create = roleOf('long-running-rds-snapshot-create');
    const withoutTagging = { ...create, policy: { ...create.policy, Statement: (create.policy as { Statement: { Sid: string }[] }).Statement.filter((s) => !s.Sid.startsWith('TagNew')) } };
    for (const resource of [awsArn('rds', 'snapshot:orders-db-sfn-nightly-0123abcd'), awsArn('rds', 'cluster-snapshot:analytics-sfn-nightly-0123abcd')]) {
      const request = { action: 'rds:AddTagsToResource', resource };
      expect(await isAllowed(create, request)).toBe(true);
      expect(await isAllowed(withoutTagging, request)).toBe(false);
    }
  });

  test("the schedules role is assumable by Scheduler only for this stack's schedule group, in this account", async () => {
    const { arn, trust } = roleOf('scheduler');
    const group = (name: string) => awsArn('scheduler', `schedule-group/${name}`);
    expect(await serviceMay('scheduler.amazonaws.com', 'sts:AssumeRole', arn, trust, group('long-running-rds-snapshot'))).toBe(true);
    expect(await serviceMay('scheduler.amazonaws.com', 'sts:AssumeRole', arn, trust, group('default'))).toBe(false);
    expect(await serviceMay('scheduler.amazonaws.com', 'sts:AssumeRole', arn, trust, group('long-running-rds-snapshot'), '210987654321')).toBe(false);
    expect(await serviceMay('events.amazonaws.com', 'sts:AssumeRole', arn, trust, group('long-running-rds-snapshot'))).toBe(false);
  });

  test('each state machine role is assumable by Step Functions only for its own state machine', async () => {
    const [snapshot, job] = ['long-running-rds-snapshot', 'long-running-continue-as-new'].map((name) => awsArn('states', `stateMachine:${name}`));
    const { arn, trust } = roleOf('long-running-rds-snapshot');
    expect(await serviceMay('states.amazonaws.com', 'sts:AssumeRole', arn, trust, snapshot)).toBe(true);
    expect(await serviceMay('states.amazonaws.com', 'sts:AssumeRole', arn, trust, job)).toBe(false);
  });

  test("every role's trust carries the confused-deputy conditions its service supports: the account always, the state machine or schedule group where the service names it", async () => {
    const wrong: string[] = [];
    for (const [name, { arn, trust }] of roles) {
      const [service, source] = name === 'scheduler'
        ? ['scheduler.amazonaws.com', awsArn('scheduler', 'schedule-group/long-running-rds-snapshot')]
        : Object.values(json.resource.aws_lambda_function).some((fn) => fn.function_name === name)
          ? ['lambda.amazonaws.com', awsArn('lambda', `function:${name}`)]
          : ['states.amazonaws.com', awsArn('states', `stateMachine:${name}`)];
      if (!(await serviceMay(service, 'sts:AssumeRole', arn, trust, source))) wrong.push(`${service} may not assume ${name}'s role for it`);
      if (await serviceMay(service, 'sts:AssumeRole', arn, trust, source, '210987654321')) wrong.push(`${service} may assume ${name}'s role for another account`);
    }
    expect(wrong).toEqual([]);
    expect(roles.size).toBeGreaterThan(5);
  });

  test("only this stack's alert rule may publish to the alerts topic", async () => {
    const topic = awsArn('sns', json.resource.aws_sns_topic.alerts_topic.name);
    const policy = JSON.parse(resolveAwsReferences(json.resource.aws_sns_topic_policy.alerts_policy.policy));
    const rule = (name: string) => awsArn('events', `rule/${name}`);
    expect(await serviceMay('events.amazonaws.com', 'sns:Publish', topic, policy, rule(json.resource.aws_cloudwatch_event_rule.alerts_rule.name))).toBe(true);
    expect(await serviceMay('events.amazonaws.com', 'sns:Publish', topic, policy, rule('someone-elses-rule'))).toBe(false);
    expect(await serviceMay('s3.amazonaws.com', 'sns:Publish', topic, policy, rule(json.resource.aws_cloudwatch_event_rule.alerts_rule.name))).toBe(false);
  });
});

describe('a work role that could escalate cannot be configured', () => {
  const own = (suffix: string) => `long-running-continue-as-new${suffix}`;
  /** What a work function would call to gain what it was not given, and the statement that would grant exactly that. */
  const escalations = [
    { action: 'iam:PutRolePolicy', resource: iamRoleArn(own('-work-fn')) },
    { action: 'iam:AttachRolePolicy', resource: iamRoleArn(own('-work-fn')) },
    { action: 'iam:UpdateAssumeRolePolicy', resource: iamRoleArn('admin') },
    { action: 'iam:CreateAccessKey', resource: awsArn('iam', 'user/deploy').replace(/:[a-z0-9-]+:(\d{12}):/, '::$1:') },
    { action: 'iam:PassRole', resource: iamRoleArn(own('-sfn')) },
    { action: 'sts:AssumeRole', resource: '*', simulated: iamRoleArn('admin') },
    { action: 'lambda:UpdateFunctionCode', resource: awsArn('lambda', `function:${own('-work')}`) },
    { action: 'states:StartExecution', resource: awsArn('states', `stateMachine:${own('')}`) },
    { action: 'states:StopExecution', resource: awsArn('states', `execution:${own('')}:*`), simulated: awsArn('states', `execution:${own('')}:run-1`) },
  ];
  /** The broadest statements configuration accepts: a named role to pass, an opted-in pattern, Resource * where AWS has nothing narrower. */
  const accepted = [
    { Action: ['iam:PassRole', 'glue:StartJobRun'], Resource: [iamRoleArn('glue-job'), awsArn('glue', 'job/nightly')] },
    { Action: ['s3:Get*', 's3:Put*', 'lambda:Invoke*'], Resource: ['arn:aws:s3:::archive/*', awsArn('lambda', 'function:other-*')], AllowActionPatterns: true },
    { Action: ['states:ListStateMachines', 'sts:GetCallerIdentity'], Resource: ['*'] },
  ];

  test.each(escalations)('a statement granting $action on $resource is refused', ({ action, resource }) => {
    expect(problemsOf(() => loadConfig({ WORKFLOWS_WORK_POLICY_STATEMENTS: JSON.stringify([{ Action: [action], Resource: [resource] }]) })).length).toBeGreaterThan(0);
  });

  test('the work role with the broadest statements accepted may pass the named role, and the simulator denies it every escalation', async () => {
    const role = deployedRoles(synthesize({ WORKFLOWS_WORK_POLICY_STATEMENTS: JSON.stringify(accepted), WORKFLOWS_SNAPSHOT_TARGETS: '{}' }).json).get(own('-work'))!;
    expect(await isAllowed(role, { action: 'iam:PassRole', resource: iamRoleArn('glue-job') })).toBe(true);
    const allowed: string[] = [];
    for (const { action, resource, simulated } of escalations) {
      if (await isAllowed(role, { action, resource: simulated ?? resource })) allowed.push(`${action} on ${simulated ?? resource}`);
    }
    expect(allowed).toEqual([]);
  });
});

describe('with kmsKeyArn, every role may use the key for exactly what it must', () => {
  const key = awsArn('kms', 'key/1234abcd-12ab-34cd-56ef-1234567890ab');
  const { json } = synthesize({
    ...OPERATIONS,
    WORKFLOWS_KMS_KEY_ARN: key,
    WORKFLOWS_JOBS: JSON.stringify({ 'continue-as-new': { restartWith: 'function' }, drain: { loop: 'express' } }),
    WORKFLOWS_TASKS: JSON.stringify({ nightly: { startEntry: '__tests__/fixtures/task/start.ts', checkEntry: '__tests__/fixtures/task/check.ts', schedule: { expression: 'rate(1 day)' } } }),
  });
  const roles = deployedRoles(json);
  const machine = (name: string) => awsArn('states', `stateMachine:${name}`);
  /**
   * Which state machines' execution data each role reads or writes: its own machine, the machines it starts or describes
   * (a job's role and functions those of any of its modes: its batches, its restart function, whichever this deploy uses).
   */
  const needs: Record<string, string[]> = {
    'long-running-continue-as-new': [machine('long-running-continue-as-new'), machine('long-running-continue-as-new-batch')],
    'long-running-continue-as-new-batch': [machine('long-running-continue-as-new-batch')],
    'long-running-continue-as-new-check-input': [machine('long-running-continue-as-new')],
    'long-running-continue-as-new-restart': [machine('long-running-continue-as-new')],
    'long-running-drain': [machine('long-running-drain'), machine('long-running-drain-batch')],
    'long-running-drain-restart': [machine('long-running-drain')],
    'long-running-drain-batch': [machine('long-running-drain-batch')],
    'long-running-drain-check-input': [machine('long-running-drain')],
    'long-running-nightly': [machine('long-running-nightly')],
    'long-running-rds-snapshot': [machine('long-running-rds-snapshot')],
    scheduler: [machine('long-running-rds-snapshot')],
  };
  type Statement = { Sid: string; Action: string[]; Resource: string[]; Condition?: { StringEquals: Record<string, string | string[]> } };
  const statementsOf = (role: DeployedRole) => (role.policy as { Statement: Statement[] }).Statement;
  /**
   * The simulator takes variable condition keys only in their `/` form (`aws:RequestTag/<key>`),
   * not `kms:EncryptionContext:<key>`: it decides the actions and resources with the condition
   * set aside, and the condition, the state machines' contexts, is compared as data.
   */
  const withoutCondition = (role: DeployedRole): DeployedRole => ({
    ...role,
    policy: { ...role.policy, Statement: statementsOf(role).map(({ Condition: _condition, ...statement }) => statement) },
  });
  /** The key policy statement the README gives first: the account's IAM policies decide who uses the key. */
  const keyPolicy = {
    Version: '2012-10-17',
    Statement: [{ Sid: 'EnableIamPolicies', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${SIMULATED_AWS.accountId}:root` }, Action: 'kms:*', Resource: '*' }],
  };
  const contextsOf = (role: DeployedRole) =>
    statementsOf(role)
      .filter((s) => s.Action.some((action) => action.startsWith('kms:')))
      .flatMap((s) => [s.Condition?.StringEquals['kms:EncryptionContext:aws:states:stateMachineArn'] ?? 'no condition'].flat());

  test('every state machine, log group, function and the alert topic name the key', () => {
    const all = (type: string) => Object.values<Record<string, any>>(json.resource[type]);
    expect(all('aws_sfn_state_machine').map((m) => m.encryption_configuration)).toEqual(all('aws_sfn_state_machine').map(() => ({ type: 'CUSTOMER_MANAGED_KMS_KEY', kms_key_id: key, kms_data_key_reuse_period_seconds: 300 })));
    expect(new Set(all('aws_cloudwatch_log_group').map((g) => g.kms_key_id))).toEqual(new Set([key]));
    expect(new Set(all('aws_lambda_function').map((f) => f.kms_key_arn))).toEqual(new Set([key]));
    expect(all('aws_sns_topic').map((t) => t.kms_master_key_id)).toEqual([key]);
  });

  test('each role may decrypt and generate data keys only within the contexts of the state machines it runs or calls; the other roles not at all', async () => {
    const wrong: string[] = [];
    for (const [name, role] of roles) {
      const needed = needs[name] ?? [];
      if (JSON.stringify(contextsOf(role).sort()) !== JSON.stringify([...needed].sort())) wrong.push(`${name} uses the key for ${contextsOf(role).join(', ') || 'nothing'}`);
      const unconditioned = withoutCondition(role);
      for (const action of ['kms:Decrypt', 'kms:GenerateDataKey']) {
        if ((await isAllowed(unconditioned, { action, resource: key }, keyPolicy)) !== needed.length > 0) wrong.push(`${name} ${needed.length > 0 ? 'may not' : 'may'} ${action}`);
      }
      for (const [action, resource] of [['kms:Encrypt', key], ['kms:CreateGrant', key], ['kms:Decrypt', awsArn('kms', 'key/another')]]) {
        if (await isAllowed(unconditioned, { action, resource }, keyPolicy)) wrong.push(`${name} may ${action} on ${resource}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(Object.keys(needs).filter((name) => !roles.has(name))).toEqual([]);
  });
});
