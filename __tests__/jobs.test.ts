import { Testing } from 'cdktf';
import { loadStacks } from '../lib/config/config';
import { WorkflowsStack } from '../lib/workflows-stack';
import { resolveAwsReferences } from '../simulator/stack-artifacts';
import { problemsOf } from './support/config-problems';
import { tempDir } from './support/temp-dir';

const problems = (env: Record<string, string>, context: Record<string, unknown> = {}) => problemsOf(() => loadStacks(env, context));
const ISSUE_EXAMPLE = {
  jobs: { reindex: { workEntry: '__tests__/fixtures/work/counter.ts' }, backfill: {} },
  snapshotTargets: {},
  environments: { dev: {}, prod: { namePrefix: 'orders', maxGenerations: 10000, logRetentionDays: 90 } },
};

function synthStacks(env: Record<string, string>, context: Record<string, unknown>) {
  const app = Testing.app({ outdir: tempDir('workflows-jobs-') });
  return Object.fromEntries(
    loadStacks(env, context).map(({ stackId, config }) => {
      const stack = new WorkflowsStack(app, stackId, { config });
      return [stackId, { stack, json: JSON.parse(Testing.synth(stack)) }];
    }),
  );
}

describe('jobs from configuration', () => {
  const stacks = synthStacks({}, ISSUE_EXAMPLE);

  test.each(['long-running-workflows-dev', 'long-running-workflows-prod'])('%s has exactly the two jobs and nothing RDS', (stackId) => {
    const { json, stack } = stacks[stackId];
    const prefix = stackId.endsWith('prod') ? 'orders' : 'long-running-dev';
    expect(stack.workflows.all.map((w) => [w.workflowId, w.kind])).toEqual([['reindex', 'continue-as-new'], ['backfill', 'continue-as-new']]);
    expect(Object.values(json.resource.aws_sfn_state_machine).map((sm: any) => sm.name).sort()).toEqual([`${prefix}-backfill`, `${prefix}-backfill-batch`, `${prefix}-reindex`, `${prefix}-reindex-batch`]);
    expect(Object.values(json.resource.aws_lambda_function).map((fn: any) => fn.function_name).sort()).toEqual(
      ['backfill-check-input', 'backfill-restart', 'backfill-work', 'reindex-check-input', 'reindex-restart', 'reindex-work'].map((name) => `${prefix}-${name}`),
    );
    const types = Object.keys(json.resource);
    expect(types.filter((type) => type.startsWith('aws_scheduler'))).toEqual([]);
    expect(JSON.stringify(json)).not.toMatch(/rds:|rds_snapshot|snapshot/i);
  });

  test('the alert rule names both jobs, and both have outputs', () => {
    const { json } = stacks['long-running-workflows-prod'];
    const pattern = JSON.parse(resolveAwsReferences(json.resource.aws_cloudwatch_event_rule.alerts_rule.event_pattern));
    expect(pattern.detail.stateMachineArn.map((arn: string) => arn.split(':').pop())).toEqual(['orders-reindex', 'orders-backfill']);
    expect(Object.keys(json.output).sort()).toEqual(['alert_topic_arn', 'backfill_example_input', 'backfill_state_machine_arn', 'reindex_example_input', 'reindex_state_machine_arn']);
  });

  test("a job's own key wins; the keys it leaves out come from the top level, an environment's block included", () => {
    const { json } = stacks['long-running-workflows-prod'];
    const variables = (fn: string) => json.resource.aws_lambda_function[fn].environment.variables;
    expect(variables('reindex_check_input_function').MAX_GENERATIONS).toBe('10000');
    const [job] = loadStacks({}, { maxGenerations: 5, jobs: { a: { maxGenerations: 7 }, b: {} } }).map((s) => s.config.jobs);
    expect([job.a.maxGenerations, job.b.maxGenerations]).toEqual([7, 5]);
  });

  test('jobs: {} and snapshotTargets: {} deploy no workflow, and no alerts for none', () => {
    const { json, stack } = synthStacks({}, { jobs: {}, snapshotTargets: {} })['long-running-workflows'];
    expect(stack.workflows.all).toEqual([]);
    expect(json.resource).toBeUndefined();
    expect(json.output).toBeUndefined();
  });

  test('WORKFLOWS_JOBS sets them as the context key does', () => {
    const [{ config }] = loadStacks({ WORKFLOWS_JOBS: '{"nightly":{"workTimeoutSeconds":30}}' }, {});
    expect(Object.keys(config.jobs)).toEqual(['nightly']);
    expect(config.jobs.nightly.workTimeoutSeconds).toBe(30);
  });

  test.each([
    [{ jobs: [] }, 'cdktf.json context "jobs" = []: must be a JSON object of job name -> that job\'s settings'],
    [{ jobs: { reindex: 3 } }, 'job "reindex" must be an object of its settings (3)'],
    [{ jobs: { Reindex: {} } }, 'cdktf.json context "jobs.Reindex": a job name must be 1-32 lowercase letters'],
    [{ jobs: { 'rds-snapshot': {} } }, 'cdktf.json context "jobs.rds-snapshot": "rds-snapshot" is taken by the stack itself'],
    [{ jobs: { alerts: {} } }, 'cdktf.json context "jobs.alerts": "alerts" is taken by the stack itself'],
    [{ jobs: { reindex: { workTimeOutSeconds: 5 } } }, 'cdktf.json context "jobs.reindex.workTimeOutSeconds" is not a job setting; did you mean "workTimeoutSeconds"?'],
    [{ jobs: { reindex: { workTimeoutSeconds: 0 } } }, 'cdktf.json context "jobs.reindex.workTimeoutSeconds" = 0: must be a whole number from 1 to 900'],
    [{ jobs: { reindex: { workEntry: 'lambdas/nope.ts' } } }, 'cdktf.json context "jobs.reindex.workEntry" = "lambdas/nope.ts": names no file'],
    [{ jobs: { reindex: { restartWith: 'lambda' } } }, 'cdktf.json context "jobs.reindex.restartWith" = "lambda": must be one of integration, function'],
    [{ jobs: { reindex: { iterationsPerExecution: 2209 } } }, 'cdktf.json context "jobs.reindex.iterationsPerExecution" = 2209: must be a whole number from 1 to 2208, the history budget\'s limit with restartWith integration'],
    [{ namePrefix: 'a'.repeat(32), jobs: { ['b'.repeat(16)]: {} } }, `has 49 characters; namePrefix and the name together may have at most 48`],
    [{ environments: { dev: { jobs: { x: { maxGenerations: 0 } } } } }, 'cdktf.json context "environments.dev.jobs.x.maxGenerations" = 0: must be a whole number from 1 to 1000000'],
  ])('%j is refused, naming where and the rule', (context, message) => {
    expect(problems({}, context)).toEqual([expect.stringContaining(message)]);
  });

  test('a problem in WORKFLOWS_JOBS names the variable and the place in it', () => {
    expect(problems({ WORKFLOWS_JOBS: '{"reindex":{"workMemoryMb":64}}' })).toEqual(['WORKFLOWS_JOBS.reindex.workMemoryMb = 64: must be a whole number from 128 to 10240']);
  });
});

describe('tasks: what configuration refuses', () => {
  const task = { startEntry: '__tests__/fixtures/task/start.ts', checkEntry: '__tests__/fixtures/task/check.ts' };
  test.each([
    [{ tasks: { nightly: { checkEntry: task.checkEntry } } }, 'cdktf.json context "tasks.nightly.startEntry" is required: a .ts or .js file of this repository'],
    [{ tasks: { nightly: { ...task, cancelEntry: 'lambdas/task/cancel.ts' } } }, 'cdktf.json context "tasks.nightly.cancelEntry" = "lambdas/task/cancel.ts": names no file: a .ts or .js file of this repository'],
    [{ tasks: { nightly: { ...task, cancelEntry: '/etc/cancel.ts' } } }, 'cdktf.json context "tasks.nightly.cancelEntry" = "/etc/cancel.ts": must be a .ts or .js file of this repository'],
    [{ tasks: { nightly: { ...task, pollIntervalSecond: 5 } } }, 'cdktf.json context "tasks.nightly.pollIntervalSecond" is not a task setting; did you mean "pollIntervalSeconds"?'],
    [{ tasks: { nightly: { ...task, startEntry: 'lambdas/export-table-start.ts' } } }, 'cdktf.json context "tasks.nightly.startEntry" = "lambdas/export-table-start.ts": names no file: this project moved it to lambdas/task/export-table-start.ts'],
    [{ tasks: { nightly: { ...task, timeoutSeconds: 901 } } }, 'cdktf.json context "tasks.nightly.timeoutSeconds" = 901: must be a whole number from 1 to 900'],
    [{ tasks: { nightly: { ...task, schedule: { expression: 'sometimes' } } } }, 'cdktf.json context "tasks.nightly.schedule" = {"expression":"sometimes"}: "schedule": "expression" must be a schedule expression'],
    [{ tasks: { nightly: { ...task, environment: { AWS_REGION: 'x' } } } }, 'cdktf.json context "tasks.nightly.environment" = {"AWS_REGION":"x"}: variable "AWS_REGION"'],
    [{ tasks: { nightly: { ...task, policyStatements: [{ Action: ['s3:*'], Resource: ['*'] }] } } }, 'Action "s3:*" allows a whole service'],
    [{ tasks: { nightly: { ...task, pollIntervalSeconds: 600, maxPollIntervalSeconds: 60 } } }, 'cdktf.json context "tasks.nightly.maxPollIntervalSeconds" = 60: must be at least the first poll interval, 600'],
    [{ tasks: { nightly: { ...task, maxPollIntervalSeconds: 1, pollIntervalSeconds: 1, maxWaitMinutes: 10080 } } }, 'cdktf.json context "tasks.nightly.maxWaitMinutes" = 10080: polling for that long could write'],
    [{ jobs: { nightly: {} }, tasks: { nightly: task } }, 'cdktf.json context "tasks.nightly": "nightly" is already the id of cdktf.json context "jobs.nightly"; every workflow needs an id of its own, whatever its kind'],
    [{ tasks: { 'rds-snapshot': task } }, 'cdktf.json context "tasks.rds-snapshot": "rds-snapshot" is taken by the stack itself'],
  ])('%j is refused, naming where and the rule', (context, message) => {
    expect(problems({}, context)).toEqual([expect.stringContaining(message)]);
  });
});
