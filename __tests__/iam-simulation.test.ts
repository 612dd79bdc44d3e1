import { RESTART_MODES, type RestartWith } from '../lib/kinds/continue-as-new/defaults';
import { TAG_KEYS } from '../lambdas/rds-snapshot/snapshot-naming';
import type { RecordedCall } from '../simulator/fake-aws';
import type { ExecutionResult } from '../simulator/run-execution';
import { resolveAwsReferences, type DeployedStateMachine, type StackArtifacts } from '../simulator/stack-artifacts';
import { runContinueAsNewChain } from '../lib/kinds/continue-as-new/simulation';
import { runSnapshotWorkflow } from '../lib/kinds/rds-snapshot/simulation';
import { awsArn, deployedRoles, isAllowed, requestsOf, serviceMay, type DeployedRole, type IamRequest } from './support/iam';
import { OPERATIONS } from './support/operations';
import { earlierSnapshots } from './support/snapshots';
import { synthesize, type SynthesizedStack } from './support/synth';

/**
 * The synthesized policies evaluated by an IAM policy simulator: every call the handlers and the
 * definitions made in local runs, as the role that made it, is allowed; its neighbours are denied.
 */
const stacks = Object.fromEntries(
  RESTART_MODES.map((mode) => [mode, synthesize({ ...OPERATIONS, WORKFLOWS_ITERATIONS_PER_EXECUTION: '3', WORKFLOWS_RESTART_WITH: mode })]),
) as Record<RestartWith, SynthesizedStack>;
const artifacts = Object.fromEntries(RESTART_MODES.map((mode) => [mode, stacks[mode].artifacts()])) as Record<RestartWith, StackArtifacts>;
const roles = Object.fromEntries(RESTART_MODES.map((mode) => [mode, deployedRoles(stacks[mode].json)])) as Record<RestartWith, ReadonlyMap<string, DeployedRole>>;
const { 'rds-snapshot': snapshotMachine, 'continue-as-new': loopMachine } = artifacts.integration.stateMachines;
const roleOf = (name: string, mode: RestartWith = 'integration') => {
  const role = roles[mode].get(name);
  if (!role) throw new Error(`no role for ${name}`);
  return role;
};

interface Attributed {
  readonly caller: string;
  readonly mode: RestartWith;
  readonly request: IamRequest;
}

/** The Lambda functions each execution's Tasks invoked, as its state machine's role, and each function's log writes. */
function invocations(stateMachine: DeployedStateMachine, executions: readonly ExecutionResult[], mode: RestartWith): Attributed[] {
  const functions = new Set(
    executions.flatMap((e) => e.states.map((state) => stateMachine.definition.States[state].Resource ?? '').filter((resource) => resource.includes(':function:'))),
  );
  return [...functions].flatMap((functionArn) => {
    const functionName = functionArn.split(':function:')[1];
    const logStream = awsArn('logs', `log-group:/aws/lambda/${functionName}:log-stream:2026/01/01/[$LATEST]0123456789abcdef`);
    return [
      { caller: stateMachine.name, mode, request: { action: 'lambda:InvokeFunction', resource: functionArn } },
      { caller: functionName, mode, request: { action: 'logs:CreateLogStream', resource: logStream } },
      { caller: functionName, mode, request: { action: 'logs:PutLogEvents', resource: logStream } },
    ];
  });
}

function attribute(log: readonly RecordedCall[], mode: RestartWith, tagsOf: (id: string) => Record<string, string> = () => ({})): Attributed[] {
  return log.flatMap((call) => {
    if (!call.caller) throw new Error(`${call.api} was made by no known caller`);
    return requestsOf(call, tagsOf).map((request) => ({ caller: call.caller!, mode, request }));
  });
}

/** Every call made in local runs of both workflows (each target kind, retention deleting, both restart modes, a taken successor name). */
async function recordedCalls(): Promise<Attributed[]> {
  const calls: Attributed[] = [];
  const world = { instances: ['orders-db', 'billing-db'], clusters: ['analytics'], statuses: ['creating', 'available'] };
  for (const [target, kind] of [['orders-db', 'instance'], ['analytics', 'cluster']] as const) {
    const existing = earlierSnapshots(snapshotMachine, target, [1, 2, 3, 4, 5, 6, 7, 8, 9], kind);
    const tags = new Map(existing.map((s) => [s.identifier, s.tags ?? {}]));
    const run = await runSnapshotWorkflow(artifacts.integration, { ...world, existing, input: { target } });
    expect(run.execution.status).toBe('SUCCEEDED');
    expect(run.deleted).toHaveLength(3);
    calls.push(...attribute(run.log, 'integration', (id) => tags.get(id) ?? {}), ...invocations(snapshotMachine, [run.execution], 'integration'));
  }
  calls.push({ caller: 'scheduler', mode: 'integration', request: { action: 'states:StartExecution', resource: snapshotMachine.arn } });

  const job = { state: { next: 2, limit: 62, batch: 10, primes: 0 } };
  for (const mode of RESTART_MODES) {
    const machine = artifacts[mode].stateMachines['continue-as-new'];
    const chain = await runContinueAsNewChain(artifacts[mode], { input: job, rootName: 'nightly' });
    expect(chain.executions.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    const taken = await runContinueAsNewChain(artifacts[mode], { input: job, rootName: 'weekly', existing: [{ name: 'weekly-g1', input: { state: job.state } }] });
    expect(taken.executions[0].error).toBe('SuccessorNameTaken');
    for (const run of [chain, taken]) calls.push(...attribute(run.stepFunctionsLog, mode), ...invocations(machine, run.executions, mode));
  }
  return calls;
}

describe('IAM, evaluated by a policy simulator', () => {
  let calls: Attributed[];
  beforeAll(async () => {
    calls = await recordedCalls();
  }, 120_000);

  test('every call the handlers and the definitions made in local runs is allowed for the role that made it', async () => {
    const actions = new Set(calls.map(({ request }) => request.action));
    expect([...actions].sort()).toEqual([
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
      'states:DescribeExecution',
      'states:StartExecution',
    ]);
    const callers = new Set(calls.map(({ caller }) => caller));
    expect(callers).toEqual(new Set([...roles.integration.keys(), ...roles.function.keys()]));
    const denied: string[] = [];
    for (const { caller, mode, request } of calls) {
      if (!(await isAllowed(roleOf(caller, mode), request))) denied.push(`${caller} (${mode}): ${request.action} on ${request.resource}`);
    }
    expect(denied).toEqual([]);
  });

  test('a create with tags needs rds:AddTagsToResource: without that statement the recorded creates are denied', async () => {
    const create = roleOf('long-running-rds-snapshot-create');
    const withoutTagging = { ...create, policy: { ...create.policy, Statement: (create.policy as { Statement: { Sid: string }[] }).Statement.filter((s) => !s.Sid.startsWith('TagNew')) } };
    const tagging = calls.filter(({ request }) => request.action === 'rds:AddTagsToResource').map(({ request }) => request);
    expect(tagging).toHaveLength(2);
    for (const request of tagging) {
      expect(await isAllowed(create, request)).toBe(true);
      expect(await isAllowed(withoutTagging, request)).toBe(false);
    }
  });

  const ourTag = { [`rds:snapshot-tag/${TAG_KEYS.createdBy}`]: 'long-running-rds-snapshot' };
  const rds = (resource: string) => awsArn('rds', resource);
  test.each<[string, string, IamRequest]>([
    ['create', 'another instance', { action: 'rds:CreateDBSnapshot', resource: rds('db:inventory-db') }],
    ['create', 'the -replica instance', { action: 'rds:CreateDBSnapshot', resource: rds('db:orders-db-replica') }],
    ['create', "the -replica instance's snapshots", { action: 'rds:CreateDBSnapshot', resource: rds('snapshot:orders-db-replica-sfn-nightly-0123abcd') }],
    ['create', "tags on the -replica instance's snapshots", { action: 'rds:AddTagsToResource', resource: rds('snapshot:orders-db-replica-sfn-nightly-0123abcd') }],
    ['create', 'a snapshot name without our infix', { action: 'rds:CreateDBSnapshot', resource: rds('snapshot:orders-db-nightly') }],
    ['create', 'tags on the instance itself', { action: 'rds:AddTagsToResource', resource: rds('db:orders-db') }],
    ['create', 'an instance snapshot of a cluster', { action: 'rds:CreateDBSnapshot', resource: rds('db:analytics') }],
    ['create', 'a delete, even of our own snapshot', { action: 'rds:DeleteDBSnapshot', resource: rds('snapshot:orders-db-sfn-nightly-0123abcd'), context: ourTag }],
    ['describe', "another instance's snapshots", { action: 'rds:DescribeDBSnapshots', resource: rds('snapshot:inventory-db-sfn-x') }],
    ['describe', 'a delete', { action: 'rds:DeleteDBSnapshot', resource: rds('snapshot:orders-db-sfn-x'), context: ourTag }],
    ['retention', 'a delete of one of our names without our tag', { action: 'rds:DeleteDBSnapshot', resource: rds('snapshot:orders-db-sfn-x') }],
    ['retention', "a delete of another workflow's", { action: 'rds:DeleteDBSnapshot', resource: rds('snapshot:orders-db-sfn-x'), context: { [`rds:snapshot-tag/${TAG_KEYS.createdBy}`]: 'other-rds-snapshot' } }],
    ['retention', "a delete of the -replica instance's, even tagged", { action: 'rds:DeleteDBSnapshot', resource: rds('snapshot:orders-db-replica-sfn-x'), context: ourTag }],
    ['retention', 'a delete of a hand-made snapshot, even tagged', { action: 'rds:DeleteDBSnapshot', resource: rds('snapshot:orders-db-before-upgrade'), context: ourTag }],
    ['retention', 'a cluster snapshot delete without our tag', { action: 'rds:DeleteDBClusterSnapshot', resource: rds('cluster-snapshot:analytics-sfn-x') }],
    ['retention', 'deleting the instance', { action: 'rds:DeleteDBInstance', resource: rds('db:orders-db') }],
    ['retention', "listing another instance's snapshots", { action: 'rds:DescribeDBSnapshots', resource: rds('db:inventory-db') }],
    ['create', "another function's log group", { action: 'logs:PutLogEvents', resource: awsArn('logs', 'log-group:/aws/lambda/long-running-rds-snapshot-retention:log-stream:x') }],
    ['workflow', "the continue-as-new machine's functions", { action: 'lambda:InvokeFunction', resource: awsArn('lambda', 'function:long-running-continue-as-new-work') }],
    ['workflow', 'starting itself', { action: 'states:StartExecution', resource: awsArn('states', 'stateMachine:long-running-rds-snapshot') }],
  ])('the snapshot %s role is denied %s', async (role, _, request) => {
    const name = role === 'workflow' ? 'long-running-rds-snapshot' : `long-running-rds-snapshot-${role}`;
    expect(await isAllowed(roleOf(name), request)).toBe(false);
  });

  test.each<[string, RestartWith, string, IamRequest]>([
    ['long-running-continue-as-new', 'integration', 'starting another state machine', { action: 'states:StartExecution', resource: awsArn('states', 'stateMachine:long-running-rds-snapshot') }],
    ['long-running-continue-as-new', 'integration', "reading another machine's executions", { action: 'states:DescribeExecution', resource: awsArn('states', 'execution:long-running-rds-snapshot:x') }],
    ['long-running-continue-as-new', 'integration', 'stopping its own executions', { action: 'states:StopExecution', resource: awsArn('states', 'execution:long-running-continue-as-new:x') }],
    ['long-running-continue-as-new', 'function', 'starting itself, which the restart function does', { action: 'states:StartExecution', resource: awsArn('states', 'stateMachine:long-running-continue-as-new') }],
    ['long-running-continue-as-new-restart', 'function', 'starting another state machine', { action: 'states:StartExecution', resource: awsArn('states', 'stateMachine:long-running-rds-snapshot') }],
    ['long-running-continue-as-new-check-input', 'integration', 'starting executions', { action: 'states:StartExecution', resource: awsArn('states', 'stateMachine:long-running-continue-as-new') }],
    ['long-running-continue-as-new-check-input', 'integration', "reading another machine's executions", { action: 'states:DescribeExecution', resource: awsArn('states', 'execution:long-running-rds-snapshot:x') }],
    ['long-running-continue-as-new-work', 'integration', 'anything of the workflows (it has only the statements you give it)', { action: 'states:StartExecution', resource: awsArn('states', 'stateMachine:long-running-continue-as-new') }],
    ['scheduler', 'integration', 'starting the continue-as-new machine', { action: 'states:StartExecution', resource: awsArn('states', 'stateMachine:long-running-continue-as-new') }],
  ])('%s (restarting with the %s) is denied %s', async (name, mode, _, request) => {
    expect(await isAllowed(roleOf(name, mode), request)).toBe(false);
  });

  test('the schedules role is assumable by Scheduler only for this stack\'s schedule group, in this account', async () => {
    const { arn, trust } = roleOf('scheduler');
    const group = (name: string) => awsArn('scheduler', `schedule-group/${name}`);
    expect(await serviceMay('scheduler.amazonaws.com', 'sts:AssumeRole', arn, trust, group('long-running-rds-snapshot'))).toBe(true);
    expect(await serviceMay('scheduler.amazonaws.com', 'sts:AssumeRole', arn, trust, group('default'))).toBe(false);
    expect(await serviceMay('scheduler.amazonaws.com', 'sts:AssumeRole', arn, trust, group('long-running-rds-snapshot'), '210987654321')).toBe(false);
    expect(await serviceMay('events.amazonaws.com', 'sts:AssumeRole', arn, trust, group('long-running-rds-snapshot'))).toBe(false);
  });

  test('each state machine role is assumable by Step Functions only for its own state machine', async () => {
    const { arn, trust } = roleOf(snapshotMachine.name);
    expect(await serviceMay('states.amazonaws.com', 'sts:AssumeRole', arn, trust, snapshotMachine.arn)).toBe(true);
    expect(await serviceMay('states.amazonaws.com', 'sts:AssumeRole', arn, trust, loopMachine.arn)).toBe(false);
  });

  test('only this stack\'s alert rule may publish to the alerts topic', async () => {
    const json = stacks.integration.json;
    const topic = awsArn('sns', json.resource.aws_sns_topic.alerts_topic.name);
    const policy = JSON.parse(resolveAwsReferences(json.resource.aws_sns_topic_policy.alerts_policy.policy));
    const rule = (name: string) => awsArn('events', `rule/${name}`);
    expect(await serviceMay('events.amazonaws.com', 'sns:Publish', topic, policy, rule(json.resource.aws_cloudwatch_event_rule.alerts_rule.name))).toBe(true);
    expect(await serviceMay('events.amazonaws.com', 'sns:Publish', topic, policy, rule('someone-elses-rule'))).toBe(false);
    expect(await serviceMay('s3.amazonaws.com', 'sns:Publish', topic, policy, rule(json.resource.aws_cloudwatch_event_rule.alerts_rule.name))).toBe(false);
  });
});
