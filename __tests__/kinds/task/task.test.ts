import { HISTORY_BUDGET, HISTORY_EVENT_QUOTA, pollCounts, pollingHistory, pollWaits } from '../../../lib/core/history-budget';
import { pollingBudget } from '../../../lib/core/polling';
import type { ExecutionResult } from '../../../simulator/run-execution';
import { runTaskWorkflow, type HandlerWrapper } from '../../../lib/kinds/task/simulation';
import { renderInputTemplate, statusChangeEvent } from '../../../simulator/eventbridge';
import { runExecution } from '../../../simulator/run-execution';
import { taskRunner } from '../../../simulator/workflows';
import { redriveOf } from '../../support/redrive';
import { synthesize } from '../../support/synth';
import { TASK_DEFINITION_FILES, TASK_POLLING_STEP, TASK_SUCCESS_TAIL } from '../../../lib/kinds/task/defaults';
import { OVERLAP_CHECK_EVENTS } from '../../../lib/core/overlap';
import { FakeStepFunctions } from '../../../simulator/fake-aws';
import { runCancel } from '../../../lambdas/task/task-runtime';

const TASK = {
  startEntry: '__tests__/fixtures/task/start.ts',
  checkEntry: '__tests__/fixtures/task/check.ts',
  pollIntervalSeconds: 60,
  maxPollIntervalSeconds: 120,
  maxWaitMinutes: 10,
};
const synthesized = synthesize({ WORKFLOWS_JOBS: '{}', WORKFLOWS_SNAPSHOT_TARGETS: '{}', WORKFLOWS_TASKS: JSON.stringify({ orders: TASK }) });
const artifacts = synthesized.artifacts();
const schedule = { firstIntervalSeconds: 60, maxIntervalSeconds: 120, maxWaitSeconds: 600 };

const run = (mode: string, calls?: string[]) =>
  runTaskWorkflow(artifacts, {
    input: { mode },
    executionName: `run-${mode}`,
    wrapHandler: (state, handler) => async (input) => {
      calls?.push(state);
      return handler(input);
    },
  });
const checks = (execution: ExecutionResult) => execution.states.filter((state) => state === 'CheckTask').length;

describe('a long-running task of yours, run locally with its bundled start and check', () => {
  test('succeeds after three polls with the last handle, the result and the input in the output', async () => {
    const execution = await run('ok');
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.output).toEqual({ task: { job: 'run-ok', mode: 'ok', step: 3 }, result: { rows: 42 }, input: { mode: 'ok' } });
    expect(checks(execution)).toBe(3);
  });

  test('check receives the poll count and the seconds waited so far', async () => {
    const events: unknown[] = [];
    await runTaskWorkflow(artifacts, { input: { mode: 'ok' }, wrapHandler: (state, handler) => async (input) => (state === 'CheckTask' && events.push(input), handler(input)) });
    // inputBytes and retries are the machine's own (the payload bound, the history count): the runtime hands your check only the contract's fields.
    expect(events).toEqual([
      { task: { job: 'simulated-task', mode: 'ok', step: 0 }, poll: 1, waitedSeconds: 60, inputBytes: 13, retries: 0, execution: expect.stringMatching(/:execution:long-running-orders:simulated-task$/) },
      { task: { job: 'simulated-task', mode: 'ok', step: 1 }, poll: 2, waitedSeconds: 180, inputBytes: 13, retries: 0, execution: expect.stringMatching(/:execution:long-running-orders:simulated-task$/) },
      { task: { job: 'simulated-task', mode: 'ok', step: 2 }, poll: 3, waitedSeconds: 300, inputBytes: 13, retries: 0, execution: expect.stringMatching(/:execution:long-running-orders:simulated-task$/) },
    ]);
  });

  test('failed: FAILED TaskFailed, the reason in the cause', async () => {
    const execution = await run('fail');
    expect([execution.status, execution.error]).toEqual(['FAILED', 'TaskFailed']);
    expect(execution.cause).toContain('the export ran out of space');
  });

  test('still running after the maximum wait: FAILED TaskTimeout naming the handle and the seconds waited, the history as budgeted', async () => {
    const execution = await run('forever');
    expect([execution.status, execution.error]).toEqual(['FAILED', 'TaskTimeout']);
    const waited = pollWaits(schedule).reduce((sum, wait) => sum + wait, 0);
    expect(waited).toBeGreaterThanOrEqual(600);
    expect(execution.cause).toBe(`The task was still running after ${waited} seconds of polling; its last handle is the output of the last CheckTask`);
    expect(execution.simulatedSeconds).toBe(waited);
    expect(execution.historyEvents).toBe(pollingHistory(schedule, TASK_SUCCESS_TAIL, 0, 'timeout').events);
  });

  test.each([
    ['bad-check', 'check returned an object of 17 bytes of JSON, keys status (string): "status" is not one of'],
    ['bad-start', 'start returned an object of 2 bytes of JSON, no keys: it must return'],
  ])('a result that breaks the contract (%s): FAILED InvalidTaskResult naming its shape', async (mode, quoted) => {
    const execution = await run(mode);
    expect([execution.status, execution.error]).toEqual(['FAILED', 'InvalidTaskResult']);
    expect(execution.cause).toContain(quoted);
  });

  test('a handle that with the input would pass the payload quota fails as StateTooLarge where it comes back, never as States.DataLimitExceeded', async () => {
    const huge = await run('huge');
    expect([huge.status, huge.error]).toEqual(['FAILED', 'StateTooLarge']);
    expect(huge.cause).toContain('the handle with the result check returned is');
    const bigInput = await runTaskWorkflow(artifacts, { input: { mode: 'ok', notes: 'i'.repeat(200_000) } });
    expect([bigInput.status, bigInput.error]).toEqual(['SUCCEEDED', undefined]);
  });

  test('a transient AWS error is retried as TransientAwsError, and the task goes on', async () => {
    const calls: string[] = [];
    const execution = await run('transient', calls);
    expect(execution.status).toBe('SUCCEEDED');
    expect(calls.filter((state) => state === 'CheckTask')).toHaveLength(4);
  });

  test("any other error fails the execution with the error's own name, its message only by size", async () => {
    const execution = await run('broken');
    expect([execution.status, execution.error]).toEqual(['FAILED', 'ExportQuotaExceeded']);
    expect(execution.cause).toContain('check threw ExportQuotaExceeded with a message of 27 bytes, not shown');
    expect(execution.cause).not.toContain('the export quota is used up');
  });
});

describe("a task's handle stays in the execution", () => {
  const SECRET = 'tok_live_5ecret';
  test.each([
    ['fail', 'TaskFailed'],
    ['forever', 'TaskTimeout'],
    ['huge', 'StateTooLarge'],
  ])('a task whose handle holds a secret, failed (%s: %s), shows it in no cause and no alert', async (mode, error) => {
    const execution = await runTaskWorkflow(artifacts, { input: { mode, secret: SECRET } });
    expect([execution.status, execution.error]).toEqual(['FAILED', error]);
    expect(execution.cause).not.toContain(SECRET);
    const event = statusChangeEvent(execution, artifacts.stateMachines.orders.arn);
    expect(JSON.stringify(event)).toContain(SECRET);
    expect(String(renderInputTemplate(event, artifacts.alertRules[0].inputTransformer))).not.toContain(SECRET);
  });
});

describe('a check throttled three times on every poll', () => {
  const ENTRIES = { startEntry: TASK.startEntry, checkEntry: TASK.checkEntry };
  // `often` polls every second for 18 minutes: 1,080 polls, within the budget with a retry each, past the quota with three.
  const stormy = synthesize({ WORKFLOWS_JOBS: '{}', WORKFLOWS_SNAPSHOT_TARGETS: '{}', WORKFLOWS_TASKS: JSON.stringify({ usual: ENTRIES, often: { ...ENTRIES, pollIntervalSeconds: 1, maxPollIntervalSeconds: 1, maxWaitMinutes: 18 } }) }).artifacts();
  const budget = pollingBudget(TASK_DEFINITION_FILES, TASK_POLLING_STEP);
  const throttledThrice = (): HandlerWrapper => {
    let failures = 0;
    return (state, handler) =>
      state !== 'CheckTask'
        ? handler
        : async (input) => {
            if (failures < 3) {
              failures += 1;
              throw Object.assign(new Error('Rate Exceeded.'), { name: 'Lambda.TooManyRequestsException' });
            }
            failures = 0;
            return handler(input);
          };
  };
  const runStormy = (workflowId: string, mode: string, wrapHandler?: HandlerWrapper) => runTaskWorkflow(stormy, { workflowId, input: { mode }, executionName: `storm-${mode}`, wrapHandler });

  test('on the default schedule: the task ends as it would have, the output exact', async () => {
    const execution = await runStormy('usual', 'ok', throttledThrice());
    expect(execution.output).toEqual({ task: { job: 'storm-ok', mode: 'ok', step: 3 }, result: { rows: 42 }, input: { mode: 'ok' } });
    // Three checks, each retried three times: 3 events a failed attempt.
    const calm = await runStormy('usual', 'ok');
    expect(execution.historyEvents).toBe(calm.historyEvents + 3 * 3 * 3);
  });

  test('on a schedule that fits the budget only without the storm: it gives up before the quota, saying why, rather than fail with States.Runtime', async () => {
    const often = { firstIntervalSeconds: 1, maxIntervalSeconds: 1, maxWaitSeconds: 18 * 60 };
    expect(pollingHistory(often, TASK_SUCCESS_TAIL, 3).events).toBeGreaterThan(HISTORY_EVENT_QUOTA);
    const execution = await runStormy('often', 'forever', throttledThrice());
    expect([execution.status, execution.error]).toEqual(['FAILED', 'TaskTimeout']);
    const polls = checks(execution);
    expect(execution.cause).toBe(`Gave up after ${polls} polls and ${polls} seconds: retries of the checks spent the history budget of this execution`);
    expect(polls).toBe(Math.floor(budget.handoverEvents / (budget.eventsPerIteration + 3 * budget.eventsPerRetry)) + 1);
    expect(execution.historyEvents).toBeLessThanOrEqual(HISTORY_BUDGET);
    // Without retries the same schedule polls for its whole wait.
    const calm = await runStormy('often', 'forever');
    expect(calm.cause).toMatch(/still running after 1080 seconds of polling/);
    expect(calm.historyEvents).toBeLessThanOrEqual(HISTORY_BUDGET);
  }, 20_000);
});

describe('tasks from configuration', () => {
  const { json } = synthesized;
  const scheduled = synthesize({
    WORKFLOWS_JOBS: '{}',
    WORKFLOWS_SNAPSHOT_TARGETS: '{}',
    WORKFLOWS_TASKS: JSON.stringify({ nightly: { ...TASK, cancelEntry: '__tests__/fixtures/task/cancel.ts', schedule: { expression: 'cron(0 2 * * ? *)' }, policyStatements: [{ Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::acme/*'] }], environment: { BUCKET: 'acme' } } }),
  }).json;

  test('one state machine each, its two functions, alerted, with outputs', () => {
    expect(Object.values(json.resource.aws_sfn_state_machine).map((sm: any) => sm.name)).toEqual(['long-running-orders']);
    expect(Object.values(json.resource.aws_lambda_function).map((fn: any) => fn.function_name).sort()).toEqual(['long-running-orders-check', 'long-running-orders-start']);
    expect(json.resource.aws_cloudwatch_event_rule.alerts_rule.event_pattern).toContain('stateMachine:long-running-orders');
    expect(Object.keys(json.output).sort()).toEqual(['alert_topic_arn', 'orders_example_input', 'orders_state_machine_arn']);
  });

  test('with cancelEntry, a <name>-cancel function beside them that the state machine never calls', () => {
    expect(Object.values(scheduled.resource.aws_lambda_function).map((fn: any) => fn.function_name).sort()).toEqual(['long-running-nightly-cancel', 'long-running-nightly-check', 'long-running-nightly-start']);
    expect(scheduled.resource.aws_sfn_state_machine.nightly_workflow_state_machine.definition).toContain('long-running-nightly-check');
    expect(scheduled.resource.aws_sfn_state_machine.nightly_workflow_state_machine.definition).not.toContain('long-running-nightly-cancel');
    expect(scheduled.resource.aws_iam_role_policy.nightly_workflow_execution_policy.policy).not.toContain('long-running-nightly-cancel');
  });

  test('a schedule starts it with {} and the overlap mark; its functions may call what policyStatements allows and get the environment', () => {
    expect(Object.values<any>(scheduled.resource.aws_scheduler_schedule)[0]).toMatchObject({ schedule_expression: 'cron(0 2 * * ? *)', schedule_expression_timezone: 'UTC', target: { input: '{"overlap":"skip"}' } });
    for (const fn of ['start', 'check', 'cancel']) {
      const policy = JSON.parse(scheduled.resource.aws_iam_role_policy[`nightly_${fn}_execution_policy`].policy);
      expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['WriteOwnLogs', 'Task0']);
      expect(scheduled.resource.aws_lambda_function[`nightly_${fn}_function`].environment.variables).toEqual({ BUCKET: 'acme', CODE_VERSION: expect.stringMatching(/^[0-9a-f]{12}$/) });
    }
  });
});

describe('the cancel runtime around your cancel function', () => {
  test('hands your function the handle (a stamped one as its version reads it) and returns what it said', async () => {
    const seen: unknown[] = [];
    const cancel = runCancel<{ job: string }>(async ({ handle }) => (seen.push(handle), { message: `job ${handle.job} cancelled` }), { stateVersion: 2 });
    await expect(cancel({ handle: { stateVersion: 2, state: { job: 'j-1' } } })).resolves.toEqual({ message: 'job j-1 cancelled' });
    await expect(runCancel(async () => undefined)({ handle: 'h' })).resolves.toEqual({});
    expect(seen).toEqual([{ job: 'j-1' }]);
  });

  test('an event without a handle is InvalidInput, and your function is not called', async () => {
    const yours = jest.fn(async () => ({}));
    await expect(runCancel(yours)({ task: {} })).rejects.toMatchObject({ name: 'InvalidInput', message: 'event.handle must hold the handle of the job to cancel' });
    expect(yours).not.toHaveBeenCalled();
  });
});

describe('the poll counts the history budget uses', () => {
  test('are those of the listed waits, for schedules that double past the cap, land on it, or start at or above it', () => {
    for (const firstIntervalSeconds of [1, 3, 30, 60, 120, 200]) {
      for (const maxIntervalSeconds of [1, 60, 120, 240, 300]) {
        for (const maxWaitSeconds of [1, 59, 60, 600, 3601, 86_400]) {
          const schedule = { firstIntervalSeconds, maxIntervalSeconds, maxWaitSeconds };
          const waits = pollWaits(schedule);
          const capped = waits.slice(1).filter((wait, i) => wait === maxIntervalSeconds && waits[i] * 2 > wait).length;
          expect({ schedule, ...pollCounts(schedule) }).toEqual({ schedule, polls: waits.length, capped });
        }
      }
    }
  });

  test('count a wait of ten years at a one-second cap without listing it', () => {
    expect(pollCounts({ firstIntervalSeconds: 1, maxIntervalSeconds: 1, maxWaitSeconds: 315_360_000 })).toEqual({ polls: 315_360_000, capped: 315_359_999 });
  });
});

describe("a task's scheduled start that would overlap", () => {
  const daily = { expression: 'rate(1 hour)' };
  const scheduledStack = synthesize({
    WORKFLOWS_JOBS: '{}',
    WORKFLOWS_SNAPSHOT_TARGETS: '{}',
    WORKFLOWS_TASKS: JSON.stringify({ nightly: { ...TASK, schedule: daily }, parallel: { ...TASK, schedule: { ...daily, overlap: 'allow' } } }),
  });
  const scheduledArtifacts = scheduledStack.artifacts();
  const inputOf = (task: string) =>
    JSON.parse((Object.values(scheduledStack.json.resource.aws_scheduler_schedule) as { name: string; target: { input: string } }[]).find((s) => s.name === task)!.target.input);

  test('skip (the default): the schedule marks its starts, and one while its last run still runs ends at once, SUCCEEDED, naming it, with no start call', async () => {
    expect(inputOf('nightly')).toEqual({ overlap: 'skip' });
    const machine = scheduledArtifacts.stateMachines.nightly;
    const stepFunctions = new FakeStepFunctions();
    const calls: string[] = [];
    try {
      const running = stepFunctions.begin(machine.arn, 'earlier', { overlap: 'skip' });
      stepFunctions.begin(machine.arn, 'by-hand', { mode: 'ok' });
      stepFunctions.begin(machine.arn, 'simulated-task', { overlap: 'skip' });
      const execution = await runTaskWorkflow(scheduledArtifacts, { workflowId: 'nightly', input: { overlap: 'skip' }, wrapHandler: (state, handler) => async (input) => (calls.push(state), handler(input)) });
      expect(execution).toMatchObject({ status: 'SUCCEEDED', output: { skipped: { reason: 'overlap', runningExecutionArn: running.arn } } });
      expect(execution.states).not.toContain('StartTask');
      // Done: the same start with nothing else running goes on to start the task.
      running.status = 'SUCCEEDED';
      const next = await runTaskWorkflow(scheduledArtifacts, { workflowId: 'nightly', input: { overlap: 'skip', mode: 'ok' } });
      expect(next.status).toBe('SUCCEEDED');
      expect(next.states).toContain('StartTask');
    } finally {
      stepFunctions.restore();
    }
    expect(calls.filter((state) => state === 'StartTask')).toEqual([]);
  });

  test('allow: no mark, no check; a task without a schedule has none either', () => {
    expect(inputOf('parallel')).toEqual({});
    expect(Object.keys(scheduledArtifacts.stateMachines.parallel.definition.States)).not.toContain('ListRunning');
    expect(Object.keys(artifacts.stateMachines.orders.definition.States)).not.toContain('ListRunning');
    expect(scheduledStack.stack.workflows.all.find((w) => w.workflowId === 'nightly')!.worstCaseHistoryEvents).toBe(
      scheduledStack.stack.workflows.all.find((w) => w.workflowId === 'parallel')!.worstCaseHistoryEvents + OVERLAP_CHECK_EVENTS,
    );
  });
});

test('each call of the deployed start and check writes one JSON line: the workflow, the run, the poll, the outcome, the duration', async () => {
  const printed: string[] = [];
  const spies = (['info', 'error'] as const).map((method) => jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void printed.push(String(args[0]))));
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  try {
    const execution = await run('ok');
    expect(execution.status).toBe('SUCCEEDED');
  } finally {
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    for (const spy of spies) spy.mockRestore();
  }
  const lines = printed.map((line) => JSON.parse(line));
  expect(lines.map((line) => [line.message, line.workflow, line.run, line.poll, line.outcome])).toEqual([
    ['start', 'long-running-orders', 'run-ok', undefined, 'started'],
    ['check', 'long-running-orders', 'run-ok', 1, 'running'],
    ['check', 'long-running-orders', 'run-ok', 2, 'running'],
    ['check', 'long-running-orders', 'run-ok', 3, 'succeeded'],
  ]);
  for (const line of lines) expect(line).toMatchObject({ level: 'INFO', durationMs: expect.any(Number) });
});

test("a redrive from a failed check checks the same handle again, and the task goes on to succeed", async () => {
  const stateMachine = artifacts.stateMachines.orders;
  let checks = 0;
  const crashFirstCheck: HandlerWrapper = (state, handler) =>
    state !== 'CheckTask' ? handler : async (input) => ((checks += 1) === 2 ? Promise.reject(Object.assign(new Error('the check crashed'), { name: 'CheckCrashed' })) : handler(input));
  const failed = await runTaskWorkflow(artifacts, { input: { mode: 'ok' }, executionName: 'run-redrive', wrapHandler: crashFirstCheck });
  expect(failed).toMatchObject({ status: 'FAILED', error: 'CheckCrashed' });
  expect(failed.states[failed.states.length - 1]).toBe('CheckTask');
  const handle = (failed.inputs[failed.inputs.length - 1].input as { current: { task: unknown } }).current.task;
  const seen: unknown[] = [];
  const watch: HandlerWrapper = (state, handler) => (state !== 'CheckTask' ? handler : async (input) => (seen.push((input as { task: unknown }).task), handler(input)));
  const redriven = await runExecution({ ...redriveOf(stateMachine, failed), handlerFor: taskRunner(artifacts, stateMachine, watch) });
  expect(redriven.status).toBe('SUCCEEDED');
  expect(seen[0]).toEqual(handle);
  expect(redriven.states).not.toContain('StartTask');
  expect(redriven.output).toMatchObject({ result: { rows: 42 }, input: { mode: 'ok' } });
});
