import * as path from 'node:path';
import { Testing, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { Arns } from '../lib/core/arns';
import { AslStateMachine, type WorkflowLogging } from '../lib/core/asl-state-machine';
import { ContinueAsNew } from '../lib/kinds/continue-as-new/continue-as-new';
import { NodejsFunction } from '../lib/core/nodejs-function';
import { LAMBDAS_DIR } from '../lib/core/paths';
import { LongRunningTask } from '../lib/kinds/task/long-running-task';
import { RdsSnapshot } from '../lib/kinds/rds-snapshot/rds-snapshot';
import { ServiceRole } from '../lib/core/service-role';
import { StackWorkflows } from '../lib/core/stack-workflows';
import { tempDir } from './support/temp-dir';
import { continueAsNewBudget } from '../lib/kinds/continue-as-new/definitions';
import { MAX_EXPRESS_WORK_TIMEOUT_SECONDS } from '../lib/kinds/continue-as-new/defaults';

const arns = new Arns('aws', 'eu-west-1', '123456789012');
const logging: WorkflowLogging = { logRetentionDays: 14, logLevel: 'ERROR', logExecutionData: false, xrayTracing: false };
const newStack = () => new TerraformStack(Testing.app({ outdir: tempDir('workflows-constructs-') }), 'test');
/** A stack workflows can be added to: it provides their ARNs, logging and name prefix. */
const workflowStack = () => {
  const stack = newStack();
  new StackWorkflows(stack, { arns, logging, namePrefix: 'test' });
  return stack;
};
const synthOf = (stack: TerraformStack) => JSON.parse(Testing.synth(stack));
const fixture = (...parts: string[]) => path.join(__dirname, 'fixtures', ...parts);
const fn = (stack: TerraformStack, functionName: string) =>
  new NodejsFunction(stack, 'fn', { functionName, entry: path.join(LAMBDAS_DIR, 'work.ts'), arns, logRetentionDays: 14 });
const stateMachine = (stack: TerraformStack, stateMachineName: string, definitionFiles: string[], values: Record<string, string | number> = {}) =>
  new AslStateMachine(stack, 'sm', { stateMachineName, definitionFiles, values, invokes: [], arns, logging });
const job = (stack: Construct, id: string, props: Partial<ConstructorParameters<typeof ContinueAsNew>[2]> = {}) =>
  new ContinueAsNew(stack, id, { name: id, ...props });

describe('construct props are checked before anything is added', () => {
  test('a function name Lambda would refuse', () => {
    const stack = newStack();
    expect(() => fn(stack, 'my function')).toThrow('test/fn: functionName "my function" must be 1-64 letters, digits, hyphens or underscores');
    expect(synthOf(stack).resource).toBeUndefined();
  });

  test('a state machine name Step Functions would refuse', () => {
    const stack = newStack();
    expect(() => stateMachine(stack, 'x'.repeat(81), ['rds-snapshot.asl.json'])).toThrow(/^test\/sm: stateMachineName "x+" must be 1-80 letters/);
    expect(synthOf(stack).resource).toBeUndefined();
  });

  test('a value the definition never uses fails synth, naming it', () => {
    expect(() => stateMachine(newStack(), 'ok', [fixture('asl', 'task-without-timeout.asl.json')], { Stale: 1 })).toThrow('values never used by a placeholder: Stale');
  });

  test('a role name IAM would refuse', () => {
    expect(() => new ServiceRole(newStack(), 'r', { roleName: 'a'.repeat(65), service: 'lambda.amazonaws.com', source: { accountId: '123456789012' }, statements: [] })).toThrow(/roleName "a+" must be 1-64/);
  });

  test('a Lambda Task without the one Lambda retry policy, such as one a user adds, fails synth naming it', () => {
    expect(() => stateMachine(newStack(), 'ok', [fixture('asl', 'task-without-lambda-retry.asl.json')])).toThrow(
      'test/sm: Lambda Task Added lacks the Lambda retry policy: add "${LambdaRetry}" to its Retry',
    );
  });

  test('a Task without TimeoutSeconds fails synth naming it', () => {
    expect(() => stateMachine(newStack(), 'ok', [fixture('asl', 'task-without-timeout.asl.json')])).toThrow(
      'test/sm: Task Added has no TimeoutSeconds: a hung call would hold it for a year',
    );
  });

  test('a work entry that exports no handler fails synth naming it', () => {
    expect(() => job(workflowStack(), 'jobs', { workEntry: fixture('work', 'no-handler.ts') })).toThrow(/^test\/jobs\/work: .*no-handler\.ts exports no `handler`/);
  });

  test('more iterations per execution than the history budget allows fails synth with the numbers', () => {
    const { maxIterations, eventsPerIteration, worstEventsPerIteration, fixedEvents } = continueAsNewBudget('integration');
    expect(() => job(workflowStack(), 'jobs', { iterationsPerExecution: maxIterations + 1 })).toThrow(
      `test/jobs: iterationsPerExecution ${maxIterations + 1} must be a whole number from 1 to ${maxIterations}, the history budget's limit with restartWith integration: ` +
        `${eventsPerIteration} history events per iteration without a retry, then ${worstEventsPerIteration} for the last and ${fixedEvents} besides with every retry allowed, must stay within 20000`,
    );
    expect((maxIterations - 1) * eventsPerIteration + worstEventsPerIteration + fixedEvents).toBeLessThanOrEqual(20_000);
    expect(maxIterations * eventsPerIteration + worstEventsPerIteration + fixedEvents).toBeGreaterThan(20_000);
  });

  test.each<[string, Partial<ConstructorParameters<typeof ContinueAsNew>[2]>, string]>([
    ['batchCalls without an Express loop', { batchCalls: 100 }, 'test/jobs: batchCalls 100 applies only with loop express; loop is standard'],
    ['a batch cap below 1', { loop: 'express', batchCalls: 0 }, 'test/jobs: batchCalls 0 must be a whole number from 1 to 1000000'],
    [
      'a work call too long for a batch',
      { loop: 'express', workTimeoutSeconds: 241 },
      "test/jobs: workTimeoutSeconds 241 is too long for loop express: a whole call must fit in a batch's 5 minutes with room to spare, so at most 240",
    ],
    [
      'more batches than the Express budget allows',
      { loop: 'express', iterationsPerExecution: continueAsNewBudget('integration', 'express').maxIterations + 1 },
      `test/jobs: iterationsPerExecution ${continueAsNewBudget('integration', 'express').maxIterations + 1} must be a whole number from 1 to ${continueAsNewBudget('integration', 'express').maxIterations}, the history budget's limit with restartWith integration and loop express`,
    ],
  ])('%s fails synth with the rule', (_, props, message) => {
    expect(() => job(workflowStack(), 'jobs', props)).toThrow(message);
  });

  test('an Express loop is a Standard job machine and an EXPRESS batch machine logging to its own group at the configured level', () => {
    const stack = workflowStack();
    job(stack, 'jobs', { loop: 'express' });
    const { resource } = synthOf(stack);
    const machines = Object.values<Record<string, any>>(resource.aws_sfn_state_machine);
    expect(machines.map((m) => [m.name, m.type, m.logging_configuration.level])).toEqual([
      ['jobs-batch', 'EXPRESS', 'ERROR'],
      ['jobs', 'STANDARD', 'ERROR'],
    ]);
    const groups = Object.values<Record<string, any>>(resource.aws_cloudwatch_log_group).map((group) => group.name);
    expect(groups).toContain('/aws/vendedlogs/states/jobs-batch');
  });

  test.each([0, 1.5, 2_000_000])('maxGenerations %s is refused', (maxGenerations) => {
    expect(() => job(workflowStack(), 'jobs', { maxGenerations })).toThrow(`test/jobs: maxGenerations ${maxGenerations} must be a whole number from 1 to 1000000`);
  });
});

describe('ContinueAsNew', () => {
  test('two jobs in one stack are two `new`s, with nothing shared or colliding', () => {
    const stack = workflowStack();
    job(stack, 'reindex', { workEntry: path.join(LAMBDAS_DIR, 'work.ts') });
    job(stack, 'backfill', { restartWith: 'function' });
    const { resource } = synthOf(stack);
    expect(Object.values(resource.aws_sfn_state_machine).map((sm: any) => sm.name).sort()).toEqual(['backfill', 'backfill-batch', 'reindex', 'reindex-batch']);
    expect(Object.values(resource.aws_lambda_function).map((f: any) => f.function_name).sort()).toEqual([
      'backfill-check-input',
      'backfill-restart',
      'backfill-work',
      'reindex-check-input',
      'reindex-restart',
      'reindex-work',
    ]);
  });

  test('a Standard job keeps its batch machine, idle, while its work timeout allows a batch, so a switch from express deletes nothing a running execution starts', () => {
    const stack = workflowStack();
    const standard = job(stack, 'reindex', { workTimeoutSeconds: MAX_EXPRESS_WORK_TIMEOUT_SECONDS });
    const express = job(stack, 'drain', { loop: 'express', workTimeoutSeconds: MAX_EXPRESS_WORK_TIMEOUT_SECONDS });
    const long = job(stack, 'export', { workTimeoutSeconds: MAX_EXPRESS_WORK_TIMEOUT_SECONDS + 1 });
    const { resource } = synthOf(stack);
    const machines = Object.values<{ name: string; type: string; definition: string }>(resource.aws_sfn_state_machine);
    expect(machines.map((sm) => `${sm.name} ${sm.type}`).sort()).toEqual(['drain STANDARD', 'drain-batch EXPRESS', 'export STANDARD', 'reindex STANDARD', 'reindex-batch EXPRESS']);
    expect([standard, express, long].map((j) => j.batches?.stateMachine.stateMachineName)).toEqual(['reindex-batch', 'drain-batch', undefined]);
    // The Standard job's own definition starts no batch: only an execution started under `express` does.
    const definitionOf = (name: string) => machines.find((sm) => sm.name === name)!.definition;
    expect(definitionOf('reindex')).not.toContain('startExecution.sync');
    expect(definitionOf('drain')).toContain('stateMachine:drain-batch');
    // Both batch machines are the same definition but for the names: the batch of a Standard job runs no call cap but the time budget.
    expect(definitionOf('reindex-batch').replace(/reindex/g, 'drain')).toBe(definitionOf('drain-batch'));
  });

  test("addToWorkRolePolicy is the one place to let the work call more: its statement joins the work role's policy", () => {
    const stack = workflowStack();
    const reindex = job(stack, 'reindex', { workPolicyStatements: [{ Sid: 'ReadArchive', Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::archive/*'] }] });
    reindex.addToWorkRolePolicy({ Sid: 'WriteIndex', Effect: 'Allow', Action: ['dynamodb:PutItem'], Resource: ['arn:aws:dynamodb:eu-west-1:123456789012:table/index'] });
    const policies = Object.values<{ policy: string }>(synthOf(stack).resource.aws_iam_role_policy).map((p) => JSON.parse(p.policy));
    const policy = policies.find((p) => p.Statement.some((s: { Sid: string }) => s.Sid === 'ReadArchive'));
    expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['WriteOwnLogs', 'ReadArchive', 'WriteIndex']);
    expect(() => reindex.addToWorkRolePolicy({ Sid: 'WriteIndex', Effect: 'Allow', Action: ['s3:PutObject'], Resource: ['*'] })).toThrow(
      'the policy already has a statement with Sid "WriteIndex"',
    );
  });

  test('a job is named after the stack prefix and its id unless it names itself, and registers for alerts, outputs and the tools', () => {
    const stack = workflowStack();
    new ContinueAsNew(stack, 'reindex');
    const workflows = StackWorkflows.of(stack).all;
    expect(workflows.map((w) => [w.workflowId, w.kind, w.stateMachine.stateMachineName])).toEqual([['reindex', 'continue-as-new', 'test-reindex']]);
  });

  test('two workflows with one id, or an id outputs cannot name, are refused', () => {
    const stack = workflowStack();
    const outer = new TerraformStack(Testing.app({ outdir: tempDir('workflows-constructs-') }), 'other');
    expect(() => new ContinueAsNew(outer, 'reindex')).toThrow('other/reindex: a workflow must be created inside a WorkflowsStack');
    job(stack, 'reindex');
    expect(() => job(stack, 'reindex', { name: 'reindex-again' })).toThrow('test: a workflow "reindex" is already in the stack (test/reindex): a configured job or task is named by its id');
    const nested = new Construct(stack, 'team');
    expect(() => job(nested, 'reindex', { name: 'other-reindex' })).toThrow('a workflow "reindex" is already in the stack (test/reindex/workflow): give each an id of its own');
    expect(() => job(stack, 'Re_Index', { name: 'reindex2' })).toThrow('workflow id "Re_Index" must be 1-32 lowercase letters');
  });
});

describe('polling workflows added in code refuse a schedule the history budget cannot hold, as configuration does', () => {
  test.each([
    ['RdsSnapshot', (stack: Construct) => new RdsSnapshot(stack, 'nightly', { targets: { 'orders-db': { type: 'instance' } }, polling: { firstIntervalSeconds: 1, maxIntervalSeconds: 1, maxWaitSeconds: 7 * 24 * 3600 } })],
    ['LongRunningTask', (stack: Construct) => new LongRunningTask(stack, 'nightly', { startEntry: '__tests__/fixtures/task/start.ts', checkEntry: '__tests__/fixtures/task/check.ts', polling: { firstIntervalSeconds: 1, maxIntervalSeconds: 1, maxWaitSeconds: 7 * 24 * 3600 } })],
  ])('%s', (_, add) => {
    expect(() => add(workflowStack())).toThrow(/^test\/nightly: polling .*could write \d+ history events, over the budget of 20000/);
  });
});
