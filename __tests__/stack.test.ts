import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import aslValidator from 'asl-validator';
import { strFromU8, unzipSync } from 'fflate';
import { AslStateMachine, isLambdaTask } from '../lib/core/asl-state-machine';
import { NodejsFunction } from '../lib/core/nodejs-function';
import { ScheduledStarts } from '../lib/core/scheduled-starts';
import { workflowOutputs } from '../lib/core/workflow-outputs';
import type { WorkflowsStack } from '../lib/workflows-stack';
import { RETRY_POLICIES } from '../lib/core/retry-policies';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { Testing } from 'cdktf';
import { SIMULATED_AWS as TEST_AWS, resolveAwsReferences } from '../simulator/stack-artifacts';
import { OPERATIONS } from './support/operations';
import { synthesize } from './support/synth';
import { continueAsNewBudget } from '../lib/kinds/continue-as-new/definitions';
import { pollingBudget } from '../lib/core/polling';
import { SNAPSHOT_DEFINITION_FILES, SNAPSHOT_POLLING_STEP } from '../lib/kinds/rds-snapshot/defaults';
import { SNAPSHOT_RETRY_POLICIES } from '../lib/kinds/rds-snapshot/retry-policies';

// cdktf's matchers (toHaveResourceWithProperties), here rather than in every file's setup: only
// this file uses them, and loading cdktf costs each file that does not a few hundred ms.
Testing.setupJest();

const { text, json, config, stack: defaultStack } = synthesize();

/** What the registry and the construct tree say a stack holds: each function and state machine brings one role, policy and log group. */
function expectedCounts(stack: WorkflowsStack) {
  const all = stack.node.findAll();
  const functions = all.filter((c) => c instanceof NodejsFunction).length;
  const machines = all.filter((c) => c instanceof AslStateMachine).length;
  const schedules = all.filter((c) => c instanceof ScheduledStarts).length;
  return {
    // Each workflow's, and a job's batch machine (deployed in either loop mode while its work's timeout allows a batch).
    aws_sfn_state_machine: machines,
    aws_lambda_function: functions,
    aws_iam_role: functions + machines + schedules,
    aws_iam_role_policy: functions + machines + schedules,
    aws_cloudwatch_log_group: functions + machines,
  };
}
const resources = (type: string) => json.resource[type] ?? {};
const definitionOf = (name: string) => resources('aws_sfn_state_machine')[`${name}_workflow_state_machine`].definition as string;
const renderedDefinition = (name: string) => JSON.parse(resolveAwsReferences(definitionOf(name)));
const arn = (service: string, resource: string) => `arn:aws:${service}:${TEST_AWS.region}:${TEST_AWS.accountId}:${resource}`;
type Statement = { Sid: string; Action: string[]; Resource: string[] };
const policyOf = (address: string): Statement[] =>
  JSON.parse(resolveAwsReferences(resources('aws_iam_role_policy')[address].policy)).Statement;
const statement = (address: string, sid: string) => policyOf(address).find((s) => s.Sid === sid);

describe('the synthesized stack', () => {
  test('by default holds one job and the snapshot workflow, with a role, policy and log group for each function and state machine, the alerts and each workflow\'s outputs', () => {
    expect(defaultStack.workflows.all.map((w) => [w.workflowId, w.kind])).toEqual([['continue-as-new', 'continue-as-new'], ['rds-snapshot', 'rds-snapshot']]);
    const expected = expectedCounts(defaultStack);
    for (const [type, count] of Object.entries(expected)) expect({ type, count: Object.keys(resources(type)).length }).toEqual({ type, count });
    expect(Object.keys(resources('aws_sns_topic'))).toEqual(['alerts_topic']);
    expect(Object.keys(resources('aws_cloudwatch_event_rule'))).toEqual(['alerts_rule']);
    expect(resources('aws_scheduler_schedule')).toEqual({});
    const outputs = defaultStack.workflows.all.flatMap((w) => Object.values(workflowOutputs(w.workflowId)));
    expect(Object.keys(json.output).sort()).toEqual(['alert_topic_arn', ...outputs].sort());
    expect(outputs).toEqual(['continue_as_new_state_machine_arn', 'continue_as_new_example_input', 'rds_snapshot_state_machine_arn', 'rds_snapshot_example_input']);
  });

  test('functions run the bundled handler on nodejs22.x with a content hash Terraform can compare', () => {
    expect(text).toHaveResourceWithProperties(LambdaFunction, {
      function_name: 'long-running-continue-as-new-check-input',
      runtime: 'nodejs22.x',
      handler: 'index.handler',
    });
    expect(resources('aws_lambda_function').continue_as_new_check_input_function.environment.variables.MAX_GENERATIONS).toBe(String(config.jobs['continue-as-new'].maxGenerations));
    for (const fn of Object.values(resources('aws_lambda_function'))) {
      expect(fn.filename).toMatch(/^assets\/[a-z_]+_code\/[0-9a-f]{64}\/[a-z-]+\.zip$/);
      expect(Buffer.from(fn.source_code_hash, 'base64').toString('hex')).toBe(fn.filename.split('/')[2]);
      // Each call can name the code it ran: the zip's hash, as its asset directory names it.
      expect(fn.environment.variables.CODE_VERSION).toBe(fn.filename.split('/')[2].slice(0, 12));
    }
  });

  test('both state machines are STANDARD, log to their own group without execution data, and name exact functions', () => {
    expect(text).toHaveResourceWithProperties(SfnStateMachine, {
      name: 'long-running-rds-snapshot',
      type: 'STANDARD',
      logging_configuration: {
        level: 'ERROR',
        include_execution_data: false,
        log_destination: '${aws_cloudwatch_log_group.rds_snapshot_workflow_logs.arn}:*',
      },
    });
  });

  test.each(['continue_as_new', 'rds_snapshot'])('the %s definition interpolates partition, region and account', (name) => {
    const definition = definitionOf(name);
    expect(definition).toContain('${data.aws_region.region.name}');
    expect(definition).toContain('${data.aws_caller_identity.account.account_id}');
    expect(definition).toContain('${data.aws_partition.partition.partition}');
    expect(definition).not.toMatch(/\$\{(?!data\.aws_(region|caller_identity|partition)\.)/);
  });

  test.each(['continue_as_new', 'rds_snapshot'])('the rendered %s definition is valid ASL', (name) => {
    const result = aslValidator(renderedDefinition(name), { checkPaths: true, checkArn: true });
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  test('asl-validator catches a broken definition (the check can fail)', () => {
    const broken = renderedDefinition('rds_snapshot');
    broken.States.WaitBeforePoll.Next = 'Nowhere';
    expect(aslValidator(broken).isValid).toBe(false);
  });

  test('the rendered definitions carry the configured numbers; iterations per execution default to the derived budget', () => {
    const continueAsNew = renderedDefinition('continue_as_new');
    expect(continueAsNew.States.Continue.Choices[1].NumericGreaterThanEquals).toBe(continueAsNewBudget('integration').maxIterations);
    expect(synthesize({ WORKFLOWS_ITERATIONS_PER_EXECUTION: '25' }).json.resource.aws_sfn_state_machine.continue_as_new_workflow_state_machine.definition).toContain(
      '"NumericGreaterThanEquals":25',
    );
    const polling = renderedDefinition('rds_snapshot');
    expect(polling.States.StartPolling.Result).toEqual({ polls: 0, waitedSeconds: 0, intervalSeconds: config.pollIntervalSeconds, events: 0 });
    expect(polling.States.CheckPollBudget.Choices[0].NumericGreaterThanEquals).toBe(config.snapshotMaxWaitMinutes * 60);
    const snapshotBudget = pollingBudget(SNAPSHOT_DEFINITION_FILES, SNAPSHOT_POLLING_STEP, SNAPSHOT_RETRY_POLICIES);
    // Every retry DescribeSnapshot's policies allow (its own SnapshotNotFoundRetry too) is in the worst next poll.
    expect(polling.States.CheckPollBudget.Choices[1]).toEqual({ Variable: '$.poll.events', NumericGreaterThan: snapshotBudget.handoverEvents, Next: 'ExplainPollHistorySpent' });
    expect(snapshotBudget.worstEventsPerIteration).toBe(snapshotBudget.eventsPerIteration + (5 + 6 + 3) * 3);
  });

  test('the example inputs are ready to start each workflow', () => {
    expect(JSON.parse(json.output.continue_as_new_example_input.value)).toEqual({});
    expect(JSON.parse(json.output.rds_snapshot_example_input.value)).toEqual({ target: 'database-1' });
    expect(json.output.rds_snapshot_state_machine_arn.value).toBe('${aws_sfn_state_machine.rds_snapshot_workflow_state_machine.arn}');
  });

  test('the state is kept in a relative local file, so cdk.tf.json is the same on every machine', () => {
    expect(json.terraform.backend).toEqual({ local: { path: '../../../terraform.long-running-workflows.tfstate' } });
    expect(text).not.toContain(process.cwd());
  });

  test('matches the reviewed snapshot', () => {
    expect(text).toMatchSnapshot();
  });
});

describe('two instances, one cluster, a schedule on one, retention 7 and an email', () => {
  const { json: stack, stack: construct } = synthesize(OPERATIONS);
  const counts = Object.fromEntries(Object.entries(stack.resource).map(([type, byName]) => [type, Object.keys(byName).length]));

  test('synthesize to the expected resources: one schedule in its own group with its role, the alert rule, topic and subscription', () => {
    expect(counts).toEqual({
      ...expectedCounts(construct),
      aws_cloudwatch_event_rule: 1,
      aws_cloudwatch_event_target: 1,
      aws_scheduler_schedule: 1,
      aws_scheduler_schedule_group: 1,
      aws_sns_topic: 1,
      aws_sns_topic_policy: 1,
      aws_sns_topic_subscription: 1,
    });
    expect(stack.resource.aws_scheduler_schedule.rds_snapshot_schedules_orders_db.target).toMatchObject({ input: '{"target":"orders-db","overlap":"skip"}' });
    expect(stack.resource.aws_sns_topic_subscription.alerts_email).toMatchObject({ protocol: 'email', endpoint: 'ops@example.com' });
    expect(stack.resource.aws_lambda_function.rds_snapshot_retention_function.environment.variables).toMatchObject({ KEEP_LAST: '7', MAX_AGE_DAYS: '0' });
  });

  test('IAM names exactly the three targets and their own snapshots, each with its kind of action', () => {
    const create = JSON.parse(resolveAwsReferences(stack.resource.aws_iam_role_policy.rds_snapshot_create_execution_policy.policy)).Statement;
    expect(create.filter((s: Statement) => s.Sid.startsWith('Create')).map((s: Statement) => [s.Action, s.Resource])).toEqual([
      [['rds:CreateDBSnapshot'], [arn('rds', 'db:orders-db'), arn('rds', 'db:billing-db'), arn('rds', 'snapshot:orders-db-sfn-*'), arn('rds', 'snapshot:billing-db-sfn-*')]],
      [['rds:CreateDBClusterSnapshot'], [arn('rds', 'cluster:analytics'), arn('rds', 'cluster-snapshot:analytics-sfn-*')]],
    ]);
  });
});

describe('IAM', () => {
  const allStatements = Object.keys(resources('aws_iam_role_policy')).flatMap((address) =>
    policyOf(address).map((s) => ({ address, ...s })),
  );

  test('no statement allows a wildcard action', () => {
    for (const s of allStatements) {
      for (const action of s.Action) expect(`${s.address}: ${action}`).not.toMatch(/\*/);
    }
  });

  test('"*" resources appear only where AWS requires them (log delivery, X-Ray), never for the workflows\' calls', () => {
    const starred = allStatements.filter((s) => s.Resource.includes('*'));
    // One per state machine: the job's, its batch machine's and the snapshot's.
    expect(starred.map((s) => s.Sid)).toEqual(['DeliverLogsAwsRequiresStar', 'DeliverLogsAwsRequiresStar', 'DeliverLogsAwsRequiresStar']);
    for (const s of starred) expect(s.Action.every((action) => action.startsWith('logs:'))).toBe(true);
    const workflowActions = ['lambda:InvokeFunction', 'states:StartExecution', 'states:DescribeExecution', 'rds:CreateDBSnapshot', 'rds:DescribeDBSnapshots', 'rds:DeleteDBSnapshot', 'rds:AddTagsToResource'];
    for (const s of allStatements.filter((s) => s.Action.some((a) => workflowActions.includes(a)))) {
      for (const resource of s.Resource) expect(resource).toMatch(/^arn:aws:(lambda|states|rds):eu-west-1:123456789012:/);
    }
  });

  test('X-Ray permissions appear only when tracing is switched on', () => {
    const traced = synthesize({ WORKFLOWS_XRAY_TRACING: 'true' }).json;
    const policy = JSON.parse(traced.resource.aws_iam_role_policy.rds_snapshot_workflow_execution_policy.policy);
    expect(policy.Statement.map((s: Statement) => s.Sid)).toContain('TraceAwsRequiresStar');
    expect(traced.resource.aws_sfn_state_machine.rds_snapshot_workflow_state_machine.tracing_configuration).toEqual({ enabled: true });
  });

  test('functions get no secrets in their environment, only the identifiers of what they act on', () => {
    const variables = Object.values(resources('aws_lambda_function')).map((fn) => Object.keys(fn.environment?.variables ?? {}));
    expect(variables).toEqual([
      ['CODE_VERSION', 'MAX_GENERATIONS'],
      ['CODE_VERSION', 'STATE_MACHINE_ARN'],
      ['CODE_VERSION'],
      ['CODE_VERSION', 'CREATED_BY', 'SNAPSHOT_TAGS', 'SNAPSHOT_TARGETS'],
      ['CODE_VERSION', 'SNAPSHOT_TARGETS'],
      ['CODE_VERSION', 'CREATED_BY', 'KEEP_LAST', 'MAX_AGE_DAYS', 'SNAPSHOT_TARGETS'],
    ]);
  });

  test('every log group has the configured retention; the state machine log level is configurable', () => {
    for (const group of Object.values(resources('aws_cloudwatch_log_group'))) expect(group.retention_in_days).toBe(14);
    const verbose = synthesize({ WORKFLOWS_STATE_MACHINE_LOG_LEVEL: 'ALL', WORKFLOWS_LOG_EXECUTION_DATA: 'true', WORKFLOWS_LOG_RETENTION_DAYS: '90' }).json;
    expect(verbose.resource.aws_sfn_state_machine.continue_as_new_workflow_state_machine.logging_configuration).toMatchObject({
      level: 'ALL',
      include_execution_data: true,
    });
    expect(verbose.resource.aws_cloudwatch_log_group.continue_as_new_workflow_logs.retention_in_days).toBe(90);
  });

  test.each(['integration', 'function'])(
    'restarting with the %s, only the job machine (either restart mode) and its restart function may start it, and only it and its batches',
    (mode) => {
      const { json: stack } = synthesize({ WORKFLOWS_RESTART_WITH: mode });
      const startingPolicies = Object.entries(stack.resource.aws_iam_role_policy)
        .filter(([, p]) => (JSON.parse(resolveAwsReferences(p.policy as string)).Statement as Statement[]).some((s) => s.Action.includes('states:StartExecution')))
        .map(([address]) => address);
      // Kept whichever the mode: an execution started before a switch of restartWith or loop still runs under this role.
      expect(startingPolicies).toEqual(['continue_as_new_restart_execution_policy', 'continue_as_new_workflow_execution_policy']);
      for (const policy of startingPolicies) {
        const own: Statement[] = JSON.parse(resolveAwsReferences(stack.resource.aws_iam_role_policy[policy].policy)).Statement;
        expect(own.filter((s) => s.Action.includes('states:StartExecution')).flatMap((s) => s.Resource)).toEqual(
          policy === 'continue_as_new_workflow_execution_policy'
            ? [arn('states', 'stateMachine:long-running-continue-as-new'), arn('states', 'stateMachine:long-running-continue-as-new-batch')]
            : [arn('states', 'stateMachine:long-running-continue-as-new')],
        );
        expect(own.find((s: Statement) => s.Sid === 'ReadOwnExecutions')?.Resource).toEqual([arn('states', 'execution:long-running-continue-as-new:*')]);
      }
    },
  );

  test('the check-input function may read only its own executions', () => {
    expect(statement('continue_as_new_check_input_execution_policy', 'ReadOwnExecutions')).toMatchObject({
      Action: ['states:DescribeExecution'],
      Resource: [arn('states', 'execution:long-running-continue-as-new:*')],
    });
  });

  test("the snapshot functions touch only the configured targets and this workflow's snapshots of them", () => {
    const ownSnapshots = [arn('rds', 'snapshot:database-1-sfn-*')];
    expect(statement('rds_snapshot_create_execution_policy', 'CreateInstanceSnapshots')).toMatchObject({
      Action: ['rds:CreateDBSnapshot'],
      Resource: [arn('rds', 'db:database-1'), ...ownSnapshots],
    });
    expect(statement('rds_snapshot_create_execution_policy', 'TagNewInstanceSnapshots')).toMatchObject({ Action: ['rds:AddTagsToResource'], Resource: ownSnapshots });
    expect(statement('rds_snapshot_describe_execution_policy', 'DescribeOwnInstanceSnapshots')).toMatchObject({ Action: ['rds:DescribeDBSnapshots'], Resource: ownSnapshots });
    expect(statement('rds_snapshot_retention_execution_policy', 'DeleteTaggedInstanceSnapshots')).toEqual({
      Sid: 'DeleteTaggedInstanceSnapshots',
      Effect: 'Allow',
      Action: ['rds:DeleteDBSnapshot'],
      Resource: ownSnapshots,
      Condition: { StringEquals: { 'rds:snapshot-tag/workflow:created-by': 'long-running-rds-snapshot' } },
    });
  });

  test('an Aurora cluster target gets the cluster actions on the cluster and its cluster snapshots; no target, no statement of its kind', () => {
    const { json: stack } = synthesize({ WORKFLOWS_SNAPSHOT_TARGETS: '{"orders":{"type":"cluster"}}' });
    const policy = (address: string): Statement[] => JSON.parse(resolveAwsReferences(stack.resource.aws_iam_role_policy[address].policy)).Statement;
    const rdsActions = (address: string) => policy(address).filter((s) => s.Sid !== 'WriteOwnLogs').map((s) => [s.Sid, s.Action, s.Resource]);
    const clusterSnapshots = [arn('rds', 'cluster-snapshot:orders-sfn-*')];
    expect(rdsActions('rds_snapshot_create_execution_policy')).toEqual([
      ['CreateClusterSnapshots', ['rds:CreateDBClusterSnapshot'], [arn('rds', 'cluster:orders'), ...clusterSnapshots]],
      ['TagNewClusterSnapshots', ['rds:AddTagsToResource'], clusterSnapshots],
      ['DescribeOwnClusterSnapshots', ['rds:DescribeDBClusterSnapshots'], clusterSnapshots],
    ]);
    expect(policy('rds_snapshot_retention_execution_policy').find((s) => s.Sid === 'DeleteTaggedClusterSnapshots')).toMatchObject({
      Action: ['rds:DeleteDBClusterSnapshot'],
      Condition: { StringEquals: { 'rds:cluster-snapshot-tag/workflow:created-by': 'long-running-rds-snapshot' } },
    });
  });

  test('retention switched off leaves the retention function no RDS permission at all', () => {
    const { json: stack } = synthesize({ WORKFLOWS_SNAPSHOT_KEEP_LAST: '0', WORKFLOWS_SNAPSHOT_MAX_AGE_DAYS: '0' });
    const sids = JSON.parse(resolveAwsReferences(stack.resource.aws_iam_role_policy.rds_snapshot_retention_execution_policy.policy)).Statement.map((s: Statement) => s.Sid);
    expect(sids).toEqual(['WriteOwnLogs']);
  });

  test('each function writes only to its own log group', () => {
    for (const [address, fn] of Object.entries(resources('aws_lambda_function'))) {
      const policy = address.replace(/_function$/, '_execution_policy');
      expect(statement(policy, 'WriteOwnLogs')?.Resource).toEqual([
        arn('logs', `log-group:/aws/lambda/${fn.function_name}:log-stream:*`),
      ]);
    }
  });

  test.each([
    // A job's role keeps what any of its loop and restart modes calls: a running execution keeps its definition, not its role.
    ['continue_as_new', ['long-running-continue-as-new-check-input', 'long-running-continue-as-new-work'], ['long-running-continue-as-new-restart']],
    ['rds_snapshot', ['long-running-rds-snapshot-create', 'long-running-rds-snapshot-describe', 'long-running-rds-snapshot-retention'], []],
  ])('the %s state machine may invoke exactly the functions its definition calls, and those its other modes call', (name, functions, otherModes) => {
    const expected = functions.map((fn) => arn('lambda', `function:${fn}`));
    expect(statement(`${name}_workflow_execution_policy`, 'InvokeOwnFunctions')?.Resource).toEqual([...expected, ...otherModes.map((fn) => arn('lambda', `function:${fn}`))]);
    const states = Object.values(renderedDefinition(name).States) as { Type: string; Resource?: string }[];
    expect(states.filter(isLambdaTask).map((s) => s.Resource)).toEqual(expected);
  });

  test('state machine roles trust Step Functions only on behalf of this account and this state machine', () => {
    const trust = JSON.parse(resolveAwsReferences(resources('aws_iam_role').rds_snapshot_workflow_execution_role.assume_role_policy));
    expect(trust.Statement[0].Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': TEST_AWS.accountId },
      ArnLike: { 'aws:SourceArn': arn('states', 'stateMachine:long-running-rds-snapshot') },
    });
  });
});

describe('every Task, in every definition and both restart modes', () => {
  const definitions = [synthesize({ WORKFLOWS_RESTART_WITH: 'integration' }), synthesize({ WORKFLOWS_RESTART_WITH: 'function' })].flatMap((stack) =>
    Object.entries(stack.json.resource.aws_sfn_state_machine).map(([address, sm]) => [address, JSON.parse(resolveAwsReferences(sm.definition))] as const),
  );
  const tasks = definitions.flatMap(([address, definition]) =>
    Object.entries<{ Type: string; Resource?: string; Retry?: unknown[]; TimeoutSeconds?: number }>(definition.States)
      .filter(([, state]) => state.Type === 'Task')
      .map(([name, state]) => ({ task: `${address}.${name}`, state })),
  );

  test('has a TimeoutSeconds, so a hung call cannot hold it', () => {
    expect(tasks.length).toBeGreaterThanOrEqual(8);
    expect(tasks.filter(({ state }) => !(typeof state.TimeoutSeconds === 'number' && state.TimeoutSeconds > 0)).map(({ task }) => task)).toEqual([]);
  });

  test('that calls Lambda has the one Lambda retry policy, States.Timeout and Lambda.ClientExecutionTimeoutException included', () => {
    const lambdaTasks = tasks.filter(({ state }) => isLambdaTask(state));
    expect(lambdaTasks.length).toBeGreaterThanOrEqual(5);
    expect(lambdaTasks.filter(({ state }) => !(state.Retry ?? []).some((r) => isDeepStrictEqual(r, RETRY_POLICIES.LambdaRetry))).map(({ task }) => task)).toEqual([]);
    expect(RETRY_POLICIES.LambdaRetry.ErrorEquals).toEqual(expect.arrayContaining(['Lambda.ClientExecutionTimeoutException', 'States.Timeout', 'Sandbox.Timedout']));
  });

  test("that calls a function of ours retries the handlers' one transient error name, not any service's", () => {
    for (const { state } of tasks.filter(({ state }) => isLambdaTask(state))) {
      expect(state.Retry).toContainEqual(RETRY_POLICIES.TransientAwsRetry);
      const named = (state.Retry as { ErrorEquals: string[] }[]).flatMap((r) => r.ErrorEquals);
      expect(named.filter((name) => /Throttl|InternalServerError|InternalFailure|ServiceUnavailable/.test(name))).toEqual([]);
    }
  });
});

describe('the zips', () => {
  const synthesized = synthesize();
  const stackDir = synthesized.fullSynth();
  const functions = Object.values(synthesized.json.resource.aws_lambda_function);

  test('are written next to cdk.tf.json and hash to source_code_hash', () => {
    for (const fn of functions) {
      const bytes = readFileSync(path.join(stackDir, fn.filename));
      expect(require('node:crypto').createHash('sha256').update(bytes).digest('base64')).toBe(fn.source_code_hash);
    }
  });

  test("require only the SDK client the runtime provides and Node's own modules (node:crypto for the snapshot name hash and Powertools' ids, node:console for its log lines): no retry middleware bundled in for error classification", () => {
    const required = functions.map((fn) => {
      const code = strFromU8(unzipSync(readFileSync(path.join(stackDir, fn.filename)))['index.js']);
      return [fn.function_name, [...new Set([...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]))].sort()];
    });
    expect(Object.fromEntries(required)).toEqual({
      'long-running-continue-as-new-check-input': ['@aws-sdk/client-sfn', 'node:console', 'node:crypto'],
      'long-running-continue-as-new-restart': ['@aws-sdk/client-sfn', 'node:console', 'node:crypto'],
      'long-running-continue-as-new-work': ['node:console', 'node:crypto'],
      'long-running-rds-snapshot-create': ['@aws-sdk/client-rds', 'node:console', 'node:crypto'],
      'long-running-rds-snapshot-describe': ['@aws-sdk/client-rds', 'node:console', 'node:crypto'],
      'long-running-rds-snapshot-retention': ['@aws-sdk/client-rds', 'node:console', 'node:crypto'],
    });
  });
});
