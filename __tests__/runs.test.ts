import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SFNClient } from '@aws-sdk/client-sfn';
import { HISTORY_BUDGET } from '../lib/core/history-budget';
import { ExecuteError, RefusedError, execute, type ExecuteDeps } from '../scripts/execute';
import { runs, type RunsDeps } from '../scripts/runs';
import { runCancel } from '../lambdas/task/task-runtime';
import { handler as cancelFixture } from './fixtures/task/cancel';
import { FakeLambdaEndpoint } from './support/fake-lambda-endpoint';
import { FakeStepFunctionsEndpoint, type FakeExecution } from './support/fake-sfn-endpoint';

/**
 * `npm run runs` against Step Functions over HTTP: the real SDK client, pointed by
 * AWS_ENDPOINT_URL_SFN (as the tool is run outside the repository) at a fake that answers with
 * the API's shapes and error names.
 */
const machine = 'arn:aws:states:eu-west-1:123456789012:stateMachine:long-running-continue-as-new';
const taskMachine = 'arn:aws:states:eu-west-1:123456789012:stateMachine:long-running-export';
const arnOf = (name: string, stateMachine = machine) => `${stateMachine.replace(':stateMachine:', ':execution:')}:${name}`;
const fake = new FakeStepFunctionsEndpoint();
const lambda = new FakeLambdaEndpoint();
const saved = { ...process.env };
/** The Lambda clients the tests made: destroyed at the end, so no kept-alive socket outlives the file. */
const lambdaClients: LambdaClient[] = [];

beforeAll(async () => {
  await Promise.all([fake.start(), lambda.start()]);
  Object.assign(process.env, { AWS_ENDPOINT_URL_SFN: fake.url, AWS_ENDPOINT_URL_LAMBDA: lambda.url, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_REGION: 'eu-west-1' });
});
afterAll(async () => {
  process.env = saved;
  for (const client of lambdaClients) client.destroy();
  await Promise.all([fake.stop(), lambda.stop()]);
});
beforeEach(() => {
  lambda.invocations.length = 0;
  fake.executions.clear();
  fake.clearCalls();
  fake.unanswered.clear();
});

function deps(overrides: Partial<RunsDeps> = {}) {
  const lines: string[] = [];
  const value: RunsDeps = {
    sfn: (region) => new SFNClient({ region }),
    lambda: (region) => lambdaClients[lambdaClients.push(new LambdaClient({ region })) - 1],
    readOutputs: () => ({ continue_as_new_state_machine_arn: machine }),
    readManifest: () => undefined,
    stacks: () => [],
    print: (line) => lines.push(line),
    ...overrides,
  };
  return { value, lines };
}

/** A job's run: the root and its successors up to `generation`, the newest with `newest`'s fields, the others succeeded. */
function chain(id: string, generation: number, newest: Partial<FakeExecution> = {}): FakeExecution[] {
  return Array.from({ length: generation + 1 }, (_, g) => {
    const name = g === 0 ? id : `${id}-g${g}`;
    const lineage = { rootExecutionArn: arnOf(id), rootExecutionName: id, generation: g, parentExecutionArn: arnOf(g === 1 ? id : `${id}-g${g - 1}`), parentStartTime: '2026-03-01T00:00:00.000Z' };
    const input = JSON.stringify(g === 0 ? { state: { next: 0 } } : { state: { next: g * 100 }, lineage });
    return fake.add(machine, name, g === generation ? { input, ...newest } : { input, output: JSON.stringify({ successor: { executionArn: arnOf(`${id}-g${g + 1}`) } }) });
  });
}

const json = (lines: string[]) => JSON.parse(lines.join('\n'));

describe('status', () => {
  test('--json: the run as a whole, from its newest execution <id>-g2, with its progress from the latest events', async () => {
    const [root] = chain('nightly', 2, {
      status: 'RUNNING',
      history: [
        { id: 1, type: 'ExecutionStarted', timestamp: Date.UTC(2026, 2, 1, 1) },
        { id: 311, type: 'TaskStateEntered', timestamp: Date.UTC(2026, 2, 1, 2), stateEnteredEventDetails: { name: 'Work', input: JSON.stringify({ work: { state: { next: 412 }, done: false, retries: 0, codeVersion: '0123456789ab' }, loop: { iteration: 62 }, lineage: {} }) } },
        { id: 312, type: 'TaskScheduled', timestamp: Date.UTC(2026, 2, 1, 2, 0, 1) },
      ],
    });
    const { value, lines } = deps();
    await expect(runs(['status', 'continue-as-new', 'nightly', '--json', '--arn', machine], value)).resolves.toBe(0);
    expect(json(lines)).toEqual({
      run: 'nightly',
      workflow: 'continue-as-new',
      status: 'RUNNING',
      generation: 2,
      executionArn: arnOf('nightly-g2'),
      executionName: 'nightly-g2',
      started: new Date(root.startDate).toISOString(),
      lastChange: '2026-03-01T02:00:01.000Z',
      historyEvents: 312,
      historyBudget: HISTORY_BUDGET,
      iteration: 62,
      stateBytes: JSON.stringify({ next: 412 }).length,
      // The last work call's result (a Standard Work step's) names the code that ran it.
      codeVersion: '0123456789ab',
      redriveCount: 0,
    });
    const text = deps();
    await runs(['status', 'continue-as-new', 'nightly', '--arn', machine], text.value);
    expect(text.lines).toContain(`  iteration 62, history 312 of ${HISTORY_BUDGET} events, state ${JSON.stringify({ next: 412 }).length} bytes, code 0123456789ab`);
  });

  test.each([1, 2, 3, 1000])('of a run at generation %i takes at most 25 Step Functions calls (a galloping search over the names, no listing)', async (generation) => {
    chain('long', generation, { status: 'RUNNING' });
    const { value, lines } = deps();
    await runs(['status', 'continue-as-new', 'long', '--json', '--arn', machine], value);
    expect(json(lines)).toMatchObject({ generation, executionArn: arnOf(`long-g${generation}`), status: 'RUNNING' });
    expect(fake.calls.length).toBeLessThanOrEqual(generation === 1000 ? 25 : 6);
    expect(fake.callsOf('ListExecutions')).toEqual([]);
  });

  test("a run whose first executions are gone (past Step Functions' 90 days) is still found from its newest; a history that cannot be read leaves out the progress", async () => {
    chain('old', 3, { status: 'RUNNING' });
    for (const name of ['old', 'old-g1']) fake.executions.delete(arnOf(name));
    fake.unanswered.add('GetExecutionHistory');
    const { value, lines } = deps();
    await runs(['status', 'continue-as-new', 'old', '--json', '--arn', machine], value);
    const status = json(lines);
    expect(status).toMatchObject({ run: 'old', generation: 3, status: 'RUNNING', executionArn: arnOf('old-g3') });
    expect(status).not.toHaveProperty('historyEvents');
  });

  test('a root that is the only execution (a task or snapshot run, or a job in its first execution): generation 0', async () => {
    fake.add(taskMachine, 'export-1', { status: 'FAILED', error: 'TaskFailed', cause: 'the export failed', redriveStatus: 'REDRIVABLE' });
    const { value, lines } = deps();
    await runs(['status', 'export', 'export-1', '--arn', taskMachine], value);
    expect(lines[0]).toBe('run export-1 of export: FAILED');
    expect(lines).toContain('  TaskFailed: the export failed');
  });

  test("an Express job's failed batch shows the work's own error and cause, unwrapped from the batch's description", async () => {
    const description = { ExecutionArn: 'arn:aws:states:eu-west-1:123456789012:express:long-running-continue-as-new-batch:b:1', Status: 'FAILED', Error: 'LedgerLocked', Cause: 'the ledger is locked' };
    chain('drain', 0, { status: 'FAILED', error: 'States.TaskFailed', cause: JSON.stringify(description) });
    const { value, lines } = deps();
    await runs(['status', 'continue-as-new', 'drain', '--json', '--arn', machine], value);
    expect(json(lines)).toMatchObject({ status: 'FAILED', error: 'LedgerLocked', cause: 'the ledger is locked' });
  });

  test('a successor that ended at once because its parent was stopped shows the run as ABORTED', async () => {
    chain('nightly', 1, { status: 'SUCCEEDED', output: JSON.stringify({ stopped: { parentExecutionArn: arnOf('nightly'), parentStatus: 'ABORTED' }, generation: 1 }) });
    fake.executions.get(arnOf('nightly'))!.status = 'ABORTED';
    const { value, lines } = deps();
    await runs(['status', 'continue-as-new', 'nightly', '--json', '--arn', machine], value);
    expect(json(lines)).toMatchObject({ status: 'ABORTED', generation: 1 });
  });

  test('a run that does not exist: ExecutionDoesNotExist, one line that says what to do, refused (exit 1)', async () => {
    const { value } = deps();
    const refused = runs(['status', 'continue-as-new', 'nope', '--arn', machine], value);
    await expect(refused).rejects.toBeInstanceOf(RefusedError);
    await expect(refused).rejects.toThrow(`run nope of continue-as-new does not exist: no execution nope on ${machine} (ExecutionDoesNotExist); list the runs with npm run runs -- list continue-as-new`);
  });
});

describe('list', () => {
  test("the workflow's runs, running first, each by its newest generation; --json an array of status objects", async () => {
    chain('old', 1);
    chain('live', 3, { status: 'RUNNING' });
    chain('broken', 0, { status: 'FAILED', error: 'InvalidInput' });
    const { value, lines } = deps();
    await runs(['list', 'continue-as-new', '--json'], value);
    expect(json(lines).map((run: { run: string; generation: number; status: string }) => [run.run, run.generation, run.status])).toEqual([
      ['live', 3, 'RUNNING'],
      ['broken', 0, 'FAILED'],
      ['old', 1, 'SUCCEEDED'],
    ]);
    const text = deps();
    await runs(['list', 'continue-as-new'], text.value);
    expect(text.lines[0]).toMatch(/^live {2}generation 3 {2}RUNNING {2}started 2026-\S+ {2}last change 2026-\S+$/);
  });
});

describe('stop', () => {
  test('stops every running execution of the run, oldest first, and says where the last state is', async () => {
    chain('nightly', 3, { status: 'RUNNING' });
    fake.executions.get(arnOf('nightly-g2'))!.status = 'RUNNING';
    const { value, lines } = deps();
    await expect(runs(['stop', 'continue-as-new', 'nightly', '--arn', machine], value)).resolves.toBe(0);
    expect(fake.callsOf('StopExecution').map((call) => call.input.executionArn)).toEqual([arnOf('nightly-g2'), arnOf('nightly-g3')]);
    expect([...fake.executions.values()].filter((e) => e.status === 'RUNNING')).toEqual([]);
    expect(lines.slice(0, 2)).toEqual([`stopped ${arnOf('nightly-g2')} (generation 2)`, `stopped ${arnOf('nightly-g3')} (generation 3)`]);
    expect(lines[2]).toBe('run nightly of continue-as-new is stopped. Its last state is the input of the step generation 3 was stopped in (the execution\'s history, GetExecutionHistory or the console); npm run runs -- resume continue-as-new nightly goes on from it.');
  });

  test('a successor started while the stop ran is stopped too', async () => {
    chain('nightly', 1, { status: 'RUNNING' });
    const sfn = new SFNClient({ region: 'eu-west-1' });
    const send = sfn.send.bind(sfn);
    // The parent starts its successor just as it is stopped.
    sfn.send = (async (command: { constructor: { name: string } }) => {
      const result = await send(command as never);
      if (command.constructor.name === 'StopExecutionCommand' && !fake.executions.has(arnOf('nightly-g2'))) fake.add(machine, 'nightly-g2', { status: 'RUNNING' });
      return result;
    }) as typeof sfn.send;
    const { value } = deps({ sfn: () => sfn });
    await runs(['stop', 'continue-as-new', 'nightly', '--arn', machine], value);
    expect(fake.callsOf('StopExecution').map((call) => call.input.executionArn)).toEqual([arnOf('nightly-g1'), arnOf('nightly-g2')]);
  });

  test('of a run at generation 1,000 with two running executions takes at most 25 calls', async () => {
    chain('long', 1000, { status: 'RUNNING' });
    fake.executions.get(arnOf('long-g999'))!.status = 'RUNNING';
    const { value } = deps();
    await runs(['stop', 'continue-as-new', 'long', '--arn', machine], value);
    expect(fake.callsOf('StopExecution')).toHaveLength(2);
    expect(fake.calls.length).toBeLessThanOrEqual(25);
  });

  test('a run that is not running is refused (exit 1), nothing stopped', async () => {
    chain('done', 2);
    const { value } = deps();
    await expect(runs(['stop', 'continue-as-new', 'done', '--arn', machine], value)).rejects.toThrow(`run done of continue-as-new is not running: SUCCEEDED (execution ${arnOf('done-g2')}); nothing to stop`);
    expect(fake.callsOf('StopExecution')).toEqual([]);
  });

  test('a snapshot run says a snapshot being made is left to finish', async () => {
    const snapshots = machine.replace('continue-as-new', 'rds-snapshot');
    fake.add(snapshots, 'nightly', { status: 'RUNNING' });
    const manifest = { stackId: 'long-running-workflows', workflows: [{ id: 'rds-snapshot', kind: 'rds-snapshot', stateMachines: { workflow: 'long-running-rds-snapshot' }, exampleInput: {}, functions: {}, localRun: {} }] };
    const { value, lines } = deps({ readOutputs: () => ({ rds_snapshot_state_machine_arn: snapshots }), readManifest: () => manifest });
    await runs(['stop', 'rds-snapshot', 'nightly'], value);
    expect(lines.at(-1)).toBe('A snapshot already being made is left to finish: RDS cannot cancel one; the next run or a resume finds it.');
  });
});

describe("stop of a task run: its cancel function (cancelEntry) cancels the external job", () => {
  const cancelName = 'long-running-export-cancel';
  const manifestOf = (functions: Record<string, string>) => ({
    stackId: 'long-running-workflows',
    workflows: [{ id: 'export', kind: 'task', stateMachines: { workflow: 'long-running-export' }, exampleInput: {}, functions, localRun: {} }],
  });
  const withCancel = manifestOf({ start: 'long-running-export-start', check: 'long-running-export-check', cancel: cancelName });
  const taskDeps = (manifest = withCancel) => deps({ readOutputs: () => ({ export_state_machine_arn: taskMachine }), readManifest: () => manifest });
  /** A task run waiting after its second check, which replaced the handle start returned: the history as GetExecutionHistory gives it, oldest first. */
  const polling = (id: string, mode = 'ok') => {
    const handle = (step: number) => ({ job: id, mode, step });
    const state = (step: number) => JSON.stringify({ input: { mode }, current: { status: 'running', task: handle(step), result: null, inputBytes: 13 }, poll: { polls: step } });
    fake.add(taskMachine, id, {
      status: 'RUNNING',
      input: JSON.stringify({ mode }),
      history: [
        { id: 1, type: 'ExecutionStarted', timestamp: 0 },
        { id: 2, type: 'TaskStateEntered', timestamp: 0, stateEnteredEventDetails: { name: 'StartTask', input: JSON.stringify({ input: { mode } }) } },
        { id: 7, type: 'TaskStateExited', timestamp: 0, stateExitedEventDetails: { name: 'StartTask', output: JSON.stringify({ input: { mode }, current: { task: handle(0), inputBytes: 13 } }) } },
        { id: 20, type: 'TaskStateEntered', timestamp: 0, stateEnteredEventDetails: { name: 'CheckTask', input: state(1) } },
        { id: 25, type: 'TaskStateExited', timestamp: 0, stateExitedEventDetails: { name: 'CheckTask', output: state(2) } },
        { id: 26, type: 'ChoiceStateEntered', timestamp: 0, stateEnteredEventDetails: { name: 'CheckTaskStatus', input: state(2) } },
        { id: 33, type: 'WaitStateEntered', timestamp: 0, stateEnteredEventDetails: { name: 'WaitBeforePoll', input: state(2) } },
      ],
    });
    return handle(2);
  };
  beforeEach(() => {
    lambda.functions.clear();
    // The deployed function: the task runtime around the fixture's cancel, as the bundle wraps it.
    lambda.functions.set(cancelName, runCancel(cancelFixture));
  });

  test("after the executions are stopped, <task>-cancel is invoked with {handle} (the last check's) and what it did is printed", async () => {
    const handle = polling('export-1');
    const { value, lines } = taskDeps();
    await expect(runs(['stop', 'export', 'export-1'], value)).resolves.toBe(0);
    expect(fake.executions.get(arnOf('export-1', taskMachine))!.status).toBe('ABORTED');
    expect(lambda.invocations).toEqual([{ functionName: cancelName, payload: { handle } }]);
    expect(lines.at(-1)).toBe(`cancelled the external job: ${cancelName} was called with the run's last handle: job export-1 cancelled`);
  });

  test('a task with no cancel function: nothing invoked, and the message says the job is left running and how to cancel it', async () => {
    polling('export-1');
    const { value, lines } = taskDeps(manifestOf({ start: 'long-running-export-start', check: 'long-running-export-check' }));
    await runs(['stop', 'export', 'export-1'], value);
    expect(fake.callsOf('StopExecution')).toHaveLength(1);
    expect(lambda.invocations).toEqual([]);
    expect(lines.at(-1)).toBe("The task's external job is left running: export has no cancel function; set its cancelEntry (docs/tasks.md) for stop to cancel the job too.");
  });

  test('with --arn (no manifest read) nothing is invoked, and the message says so', async () => {
    polling('export-1');
    const { value, lines } = deps();
    await runs(['stop', 'export', 'export-1', '--arn', taskMachine], value);
    expect(lambda.invocations).toEqual([]);
    expect(lines.at(-1)).toBe("No synthesized manifest was read (--arn, or no npm run synth here): a task's cancel function (cancelEntry) is not called; stop a task from its synthesized stack to cancel its external job too.");
  });

  test('a run stopped before start returned a handle: cancel is not called, and the message says so', async () => {
    fake.add(taskMachine, 'export-2', { status: 'RUNNING' });
    const { value, lines } = taskDeps();
    await runs(['stop', 'export', 'export-2'], value);
    expect(lambda.invocations).toEqual([]);
    expect(lines.at(-1)).toBe(`${cancelName} was not called: ${arnOf('export-2', taskMachine)} holds no handle yet (start had not returned one); a job start began is left running.`);
  });

  test.each([
    // The runtime keeps what your code's error says out of the answer, as it keeps it out of every cause.
    ['stuck', 'failed with JobNotCancellable: cancel threw JobNotCancellable with a message of 26 bytes, not shown'],
    ['bad-cancel', 'failed with InvalidTaskResult: cancel returned'],
  ])('a cancel that fails (%s): one refused line with its error, the executions stay stopped', async (mode, message) => {
    polling('export-3', mode);
    const { value } = taskDeps();
    const refused = runs(['stop', 'export', 'export-3'], value);
    await expect(refused).rejects.toBeInstanceOf(RefusedError);
    await expect(refused).rejects.toThrow(`run export-3 of export is stopped, but its external job was not cancelled: ${cancelName} ${message}`);
    expect(fake.executions.get(arnOf('export-3', taskMachine))!.status).toBe('ABORTED');
  });

  test("a cancel function Lambda does not have: the SDK's ResourceNotFoundException, in one refused line; the executions stay stopped", async () => {
    lambda.functions.clear();
    polling('export-4');
    const { value } = taskDeps();
    const refused = runs(['stop', 'export', 'export-4'], value);
    await expect(refused).rejects.toThrow(`run export-4 of export is stopped, but its external job was not cancelled: invoking ${cancelName} failed with ResourceNotFoundException: Function not found`);
    expect(lambda.invocations).toHaveLength(1);
    expect(fake.executions.get(arnOf('export-4', taskMachine))!.status).toBe('ABORTED');
  });
});

describe('resume', () => {
  test('a failed generation Step Functions can redrive is redriven: RedriveExecution on it, nothing started', async () => {
    chain('nightly', 2, { status: 'FAILED', error: 'LedgerLocked', redriveStatus: 'REDRIVABLE' });
    const { value, lines } = deps();
    await expect(runs(['resume', 'continue-as-new', 'nightly', '--arn', machine], value)).resolves.toBe(0);
    expect(fake.callsOf('RedriveExecution').map((call) => call.input.executionArn)).toEqual([arnOf('nightly-g2')]);
    expect(fake.callsOf('StartExecution')).toEqual([]);
    expect(lines).toEqual([`redriven ${arnOf('nightly-g2')} (generation 2, FAILED): it goes on from its failed step with that step's input`]);
  });

  test("a job Step Functions no longer redrives goes on as the next generation, with its failed step's state and the same lineage", async () => {
    chain('nightly', 2, {
      status: 'FAILED',
      redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason: 'Execution is older than 14 days',
      history: [
        { id: 1, type: 'ExecutionStarted', timestamp: 0 },
        { id: 2, type: 'TaskStateEntered', timestamp: 0, stateEnteredEventDetails: { name: 'Work', input: JSON.stringify({ work: { state: { next: 250 } }, loop: { iteration: 3 }, lineage: {} }) } },
        { id: 3, type: 'ExecutionFailed', timestamp: 0 },
      ],
    });
    const { value, lines } = deps();
    await runs(['resume', 'continue-as-new', 'nightly', '--arn', machine], value);
    expect(fake.callsOf('RedriveExecution')).toEqual([]);
    const [start] = fake.callsOf('StartExecution');
    expect(start.input).toMatchObject({ stateMachineArn: machine, name: 'nightly-g3' });
    expect(JSON.parse(start.input.input)).toEqual({
      state: { next: 250 },
      lineage: { rootExecutionArn: arnOf('nightly'), rootExecutionName: 'nightly', generation: 3, resumedFrom: arnOf('nightly-g2') },
    });
    expect(lines[0]).toContain(`resumed as ${arnOf('nightly-g3')} (generation 3) with the last good state of generation 2 (ExecutionNotRedrivable: Execution is older than 14 days)`);
  });

  test('a run stopped in the moment its successor started goes on from the successor, which did no work', async () => {
    chain('nightly', 1, { status: 'SUCCEEDED', output: JSON.stringify({ stopped: { parentExecutionArn: arnOf('nightly'), parentStatus: 'ABORTED' } }) });
    const { value } = deps();
    await runs(['resume', 'continue-as-new', 'nightly', '--arn', machine], value);
    const [start] = fake.callsOf('StartExecution');
    expect(start.input.name).toBe('nightly-g2');
    expect(JSON.parse(start.input.input)).toMatchObject({ state: { next: 100 }, lineage: { generation: 2, rootExecutionName: 'nightly' } });
  });

  test.each([
    ['RUNNING', 'is running (execution', {}],
    ['SUCCEEDED', 'has already succeeded (execution', {}],
  ] as const)('a %s run is refused (exit 1), nothing redriven or started', async (status, message, fields) => {
    chain('nightly', 1, { status, ...fields });
    const { value } = deps();
    const refused = runs(['resume', 'continue-as-new', 'nightly', '--arn', machine], value);
    await expect(refused).rejects.toBeInstanceOf(RefusedError);
    await expect(refused).rejects.toThrow(`run nightly of continue-as-new ${message}`);
    expect(fake.callsOf('RedriveExecution').concat(fake.callsOf('StartExecution'))).toEqual([]);
  });

  test('a task Step Functions will not redrive is refused with its reason: a task has no next generation', async () => {
    fake.add(taskMachine, 'export-1', { status: 'TIMED_OUT', redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution is older than 14 days', input: '{"table":"orders"}' });
    const { value } = deps();
    await expect(runs(['resume', 'export', 'export-1', '--arn', taskMachine], value)).rejects.toThrow(
      `run export-1 of export cannot be resumed: ExecutionNotRedrivable: Execution is older than 14 days (execution ${arnOf('export-1', taskMachine)}); start a new run with npm run execute`,
    );
    expect(fake.callsOf('StartExecution').concat(fake.callsOf('RedriveExecution'))).toEqual([]);
  });
});

describe('bad usage is refused before any call (exit 2)', () => {
  test.each([
    [['pause', 'continue-as-new', 'x'], '"pause" is not a verb: use list, status, stop, resume'],
    [['status', 'continue-as-new'], 'status needs a run id: npm run runs -- status continue-as-new <run-id>'],
    [['list', 'continue-as-new', 'x'], 'list takes no run id'],
    [['stop', 'continue-as-new', 'x-g2'], 'ends like a successor'],
    [['status', 'continue-as-new', 'x', '--arn', 'arn:aws:lambda:eu-west-1:123456789012:function:f'], 'is not a state machine ARN'],
    [['status', 'Continue', 'x'], '"Continue" is not a workflow id'],
  ])('%j', async (argv, message) => {
    const { value } = deps();
    const refused = runs(argv, value);
    await expect(refused).rejects.toBeInstanceOf(ExecuteError);
    await expect(refused).rejects.not.toBeInstanceOf(RefusedError);
    await expect(refused).rejects.toThrow(message);
    expect(fake.calls).toEqual([]);
  });
});

test('npm run execute --id of a running run starts nothing, against the same endpoint', async () => {
  chain('nightly', 0, { status: 'RUNNING' });
  const executeDeps: ExecuteDeps = {
    sfn: (region) => new SFNClient({ region }),
    readOutputs: () => ({}),
    readManifest: () => undefined,
    stacks: () => [],
    readFile: () => '{}',
    print: () => undefined,
    sleep: async () => undefined,
  };
  await expect(execute(['continue-as-new', '--arn', machine, '--id', 'nightly'], executeDeps)).rejects.toThrow(
    `run nightly of continue-as-new is already running (execution ${arnOf('nightly')})`,
  );
  expect(fake.callsOf('StartExecution')).toEqual([]);
});

/** The command as a user runs it: its own process, the endpoint from AWS_ENDPOINT_URL_SFN, its exit code. */
function command(argv: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', 'sucrase/register', path.join('scripts', 'runs.ts'), ...argv], { cwd: path.join(__dirname, '..'), env: process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

test('as a command: status --json exits 0, a run that does not exist 1 with one line', async () => {
  chain('nightly', 2, { status: 'RUNNING' });
  const [found, missing] = await Promise.all([
    command(['status', 'continue-as-new', 'nightly', '--json', '--arn', machine]),
    command(['status', 'continue-as-new', 'nope', '--arn', machine]),
  ]);
  expect(found.status).toBe(0);
  expect(JSON.parse(found.stdout)).toMatchObject({ run: 'nightly', generation: 2, status: 'RUNNING', executionArn: arnOf('nightly-g2') });
  expect([missing.status, missing.stderr.trim()]).toEqual([1, expect.stringContaining('(ExecutionDoesNotExist)')]);
  expect(missing.stderr.trim().split('\n')).toHaveLength(1);
}, 20_000);
