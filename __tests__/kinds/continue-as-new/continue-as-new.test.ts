import { RESTART_MODES, type RestartWith } from '../../../lib/kinds/continue-as-new/defaults';
import { HISTORY_EVENT_QUOTA } from '../../../lib/core/history-budget';
import type { PrimeCount } from '../../../lambdas/work';
import type { Handler } from '../../../simulator/bundled-handler';
import { matchesPattern, renderInputTemplate, statusChangeEvent } from '../../../simulator/eventbridge';
import { executionArnOf, FakeStepFunctions } from '../../../simulator/fake-aws';
import type { StackArtifacts } from '../../../simulator/stack-artifacts';
import { runExecution, type ExecutionResult } from '../../../simulator/run-execution';
import { taskRunner, type HandlerWrapper } from '../../../simulator/workflows';
import { runContinueAsNewChain, type ChainOptions, type ChainResult } from '../../../lib/kinds/continue-as-new/simulation';
import { redriveOf } from '../../support/redrive';
import { synthesize } from '../../support/synth';
import { continueAsNewBudget } from '../../../lib/kinds/continue-as-new/definitions';

/** 19,998 numbers, 100 per call: 200 work calls. */
const JOB: PrimeCount = { next: 2, limit: 20_000, batch: 100, primes: 0 };
const PRIMES_BELOW_LIMIT = 2262;
const ITERATIONS = 45;

const artifacts = Object.fromEntries(
  RESTART_MODES.map((mode) => [mode, synthesize({ WORKFLOWS_ITERATIONS_PER_EXECUTION: String(ITERATIONS), WORKFLOWS_RESTART_WITH: mode }).artifacts()]),
) as Record<RestartWith, StackArtifacts>;
const stateMachineArn = artifacts.integration.stateMachines['continue-as-new'].arn;
const named = (name: string, message: string) => Object.assign(new Error(message), { name });
const count = (states: readonly string[], name: string) => states.filter((state) => state === name).length;

/** Runs wrappers innermost first: the last one given sees the call first. */
const compose =
  (...wrappers: HandlerWrapper[]): HandlerWrapper =>
  (state, handler) =>
    wrappers.reduce((inner, wrap) => wrap(state, inner), handler);

/** The numbers each successful Work call counted, as [from, to) ranges of the job's cursor. */
function coverage() {
  const ranges: [number, number][] = [];
  const wrapHandler: HandlerWrapper = (state, handler) =>
    state !== 'Work'
      ? handler
      : async (input) => {
          const result = (await handler(input)) as { state: PrimeCount };
          ranges.push([(input as { state: PrimeCount }).state.next, result.state.next]);
          return result;
        };
  return { ranges, wrapHandler };
}

/** Fails the calls of a state that `when` picks: before the handler runs, or after it (a timeout once the work was done). */
function failCalls(stateName: string, when: (call: number) => boolean, error: () => Error, afterSuccess = false) {
  let calls = 0;
  const wrapHandler: HandlerWrapper = (state, handler): Handler =>
    state !== stateName
      ? handler
      : async (input) => {
          calls += 1;
          if (!when(calls)) return handler(input);
          if (afterSuccess) await handler(input);
          throw error();
        };
  return { wrapHandler, calls: () => calls };
}

const run = (mode: RestartWith, options: Partial<ChainOptions> = {}) =>
  runContinueAsNewChain(artifacts[mode], { input: { state: JOB }, rootName: 'nightly', ...options });

describe.each(RESTART_MODES)('continue-as-new, restarting with the %s, run locally with the bundled handlers', (mode) => {
  const budget = continueAsNewBudget(mode);
  const { ranges, wrapHandler } = coverage();
  let chain: ChainResult;
  beforeAll(async () => {
    chain = await run(mode, { wrapHandler });
  });

  test(`a job of ${JOB.limit - JOB.next} numbers across 5 executions: the final state, every number counted exactly once, every history within its budget`, () => {
    const { executions, started } = chain;

    expect(executions.map((e) => [e.name, e.status])).toEqual(['nightly', 'nightly-g1', 'nightly-g2', 'nightly-g3', 'nightly-g4'].map((name) => [name, 'SUCCEEDED']));
    expect(executions.at(-1)?.output).toMatchObject({ state: { next: JOB.limit, primes: PRIMES_BELOW_LIMIT }, generation: 4 });
    expect(executions.slice(0, -1).map((e) => e.output)).toEqual(
      executions.slice(1).map((e) => expect.objectContaining({ successor: { executionArn: e.arn } })),
    );

    // Exactly once: the ranges follow each other without a gap or an overlap, across executions too.
    expect(ranges).toHaveLength(200);
    expect(ranges[0][0]).toBe(JOB.next);
    for (let i = 1; i < ranges.length; i += 1) expect(ranges[i][0]).toBe(ranges[i - 1][1]);
    expect(ranges.at(-1)?.[1]).toBe(JOB.limit);

    for (const execution of executions) {
      expect(count(execution.states, 'Work')).toBe(execution === executions.at(-1) ? 200 - 4 * ITERATIONS : ITERATIONS);
      expect(execution.historyEvents).toBeLessThanOrEqual(budget.fixedEvents + ITERATIONS * budget.eventsPerIteration);
      expect(execution.historyEvents).toBeLessThan(HISTORY_EVENT_QUOTA);
    }
    // Lineage: each successor is named after the root, started by its parent, one per generation.
    expect(started.map((e) => e.name)).toEqual(['nightly', 'nightly-g1', 'nightly-g2', 'nightly-g3', 'nightly-g4']);
    for (const [i, successor] of started.slice(1).entries()) {
      expect(successor.stateMachineArn).toBe(stateMachineArn);
      expect(successor.input).toMatchObject({
        lineage: { rootExecutionName: 'nightly', rootExecutionArn: executions[0].arn, generation: i + 1, parentExecutionArn: executions[i].arn },
        AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: executions[i].arn,
      });
    }
  });

  test("the loop's own cost: 4 history events and 2 state transitions per iteration beyond the Work Task's 5 and 1", () => {
    const { executions } = chain;
    const [full, last] = [executions[0], executions.at(-1)!];
    const iterations = count(full.states, 'Work') - count(last.states, 'Work');
    // The last execution finishes instead of restarting: take the restart path's states out.
    const restartPath = full.states.slice(full.states.lastIndexOf('Continue') + 1);
    const finishPath = last.states.slice(last.states.lastIndexOf('Continue') + 1);
    const eventsOf = (states: string[]) => states.reduce((sum, s) => sum + (s === 'Restart' ? 5 : 2), 0);
    const perIteration = (full.historyEvents - eventsOf(restartPath) - (last.historyEvents - eventsOf(finishPath))) / iterations;
    expect(perIteration).toBe(5 + 4);
    expect((full.stateTransitions - restartPath.length - (last.stateTransitions - finishPath.length)) / iterations).toBe(1 + 2);
    expect(budget.loop).toEqual(['Work', 'Advance', 'Continue']);
  });

  test('under faults — a work call timing out after it ran, Lambda service errors, transient AWS errors, 500s and throttling from Step Functions — the same result, every number counted at least once, one successor per generation', async () => {
    const { ranges, wrapHandler } = coverage();
    const timeoutAfterWork = failCalls('Work', (call) => call % 7 === 0, () => named('Sandbox.Timedout', 'Task timed out after 60.00 seconds'), true);
    const lambdaBlip = failCalls('Work', (call) => call % 11 === 0, () => named('Lambda.ClientExecutionTimeoutException', 'Client execution timed out'));
    const awsBlip = failCalls('Work', (call) => call === 3, () => named('TransientAwsError', 'ThrottlingException: Rate exceeded'));
    const taskTimeout = failCalls('Work', (call) => call === 5, () => named('States.Timeout', 'Task timed out'));
    const { executions, started } = await run(mode, {
      // Innermost first: the coverage sees every call the work really ran, a lost result's too.
      wrapHandler: compose(wrapHandler, timeoutAfterWork.wrapHandler, lambdaBlip.wrapHandler, awsBlip.wrapHandler, taskTimeout.wrapHandler),
      stepFunctionsFaults: { failFirstCalls: 3, failWith: 'server' },
    });
    expect(executions.map((e) => e.status)).toEqual(Array(5).fill('SUCCEEDED'));
    expect(executions.at(-1)?.output).toMatchObject({ state: { next: JOB.limit, primes: PRIMES_BELOW_LIMIT } });
    const counted = new Set(ranges.flatMap(([from, to]) => Array.from({ length: to - from }, (_, i) => from + i)));
    expect(counted.size).toBe(JOB.limit - JOB.next);
    // Some ranges ran twice: the work is called at least once per state, so it must be idempotent.
    expect(ranges.length).toBeGreaterThan(200);
    expect(started.map((e) => e.name)).toEqual(['nightly', 'nightly-g1', 'nightly-g2', 'nightly-g3', 'nightly-g4']);
  });

  test('a Step Functions outage past every retry fails the chain with the error, starting nothing twice', async () => {
    const { executions, started } = await run(mode, { stepFunctionsFaults: { failFirstCalls: 1000, failWith: 'throttling' } });
    expect(executions).toHaveLength(1);
    expect(executions[0]).toMatchObject({ status: 'FAILED', error: 'TransientAwsError' });
    expect(started.map((e) => e.name)).toEqual(['nightly']);
  });

  test('a retried start whose first attempt got through, the successor already finished: found as ours, nothing started twice', async () => {
    const stepFunctions = new FakeStepFunctions();
    try {
      let firstAttempt = true;
      const finishTheSuccessorThenTimeOut: HandlerWrapper = (state, handler) =>
        state !== 'Restart'
          ? handler
          : async (input) => {
              const result = await handler(input);
              if (!firstAttempt) return result;
              firstAttempt = false;
              const successor = [...stepFunctions.executions.values()].find((e) => e.name === 'nightly-g1')!;
              successor.status = 'SUCCEEDED';
              throw named('States.Timeout', 'Task timed out');
            };
      const { executions, started, stepFunctionsCalls } = await run(mode, { stepFunctions, wrapHandler: finishTheSuccessorThenTimeOut });
      expect(executions[0]).toMatchObject({ status: 'SUCCEEDED', output: { successor: { executionArn: executionArnOf(stateMachineArn, 'nightly-g1') } } });
      expect(started.filter((e) => e.name === 'nightly-g1')).toHaveLength(1);
      // Four restarts and the one retry; five executions read their input back, the four successors their parent, and the retry read the successor.
      expect(Object.fromEntries(stepFunctionsCalls)).toEqual({ StartExecution: 5, DescribeExecution: 10 });
    } finally {
      stepFunctions.restore();
    }
  });

  test("a successor name an old chain still holds (names are reusable after 90 days) is not taken for ours: SuccessorNameTaken", async () => {
    const oldInput = {
      state: { next: 2, limit: 10, batch: 1, primes: 0 },
      lineage: {
        rootExecutionArn: executionArnOf(stateMachineArn, 'nightly'),
        rootExecutionName: 'nightly',
        generation: 1,
        parentExecutionArn: executionArnOf(stateMachineArn, 'nightly'),
        parentStartTime: '2025-08-01T03:00:00.000Z',
      },
    };
    const { executions, started } = await run(mode, { existing: [{ name: 'nightly-g1', input: oldInput }] });
    expect(executions).toHaveLength(1);
    expect(executions[0]).toMatchObject({ status: 'FAILED', error: 'SuccessorNameTaken' });
    expect(started.find((e) => e.name === 'nightly-g1')?.input).toEqual(oldInput);
  });

  test.each([
    ['an old-style input', { restart: { executionCount: 4 } }, 'InvalidInput'],
    ['a string', 'hello', 'InvalidInput'],
    ['a fractional generation', { state: JOB, lineage: { rootExecutionArn: executionArnOf(stateMachineArn, 'x'), rootExecutionName: 'x', generation: 1.5 } }, 'InvalidInput'],
    ['a state the example work cannot read', { state: { next: 'two' } }, 'InvalidInput'],
  ])('%s fails with %s and starts nothing', async (_, input, error) => {
    const { executions, started } = await run(mode, { input });
    expect(executions).toHaveLength(1);
    expect(executions[0]).toMatchObject({ status: 'FAILED', error });
    expect(started.map((e) => e.name)).toEqual(['nightly']);
  });

  test('an input state at the payload quota fails with StateTooLarge, its size and the limit, before anything is added to it (never States.DataLimitExceeded)', async () => {
    const state = 'x'.repeat(262_144 - '{"state":""}'.length);
    const { executions } = await run(mode, { input: { state } });
    expect(executions[0]).toMatchObject({ status: 'FAILED', error: 'StateTooLarge' });
    expect(executions[0].cause).toMatch(/the input state is 262134 bytes of JSON; the machine carries at most 258048/);
    expect(executions[0].states).toEqual(['CheckInput']);
  });
});

describe('continue-as-new: both restart modes', () => {
  test('give every successor the same name and input', async () => {
    // One after the other: a run's fake Step Functions mocks the one SDK client class.
    const integration = await run('integration');
    const fn = await run('function');
    expect(integration.started.map((e) => e.name)).toHaveLength(5);
    expect(integration.started).toEqual(fn.started);
  });
});

describe('continue-as-new: limits', () => {
  test('maxGenerations caps the chain: the next execution stops at once, its input the state to resume from', async () => {
    const capped = synthesize({ WORKFLOWS_ITERATIONS_PER_EXECUTION: String(ITERATIONS), WORKFLOWS_MAX_GENERATIONS: '2' }).artifacts();
    const { executions, started } = await runContinueAsNewChain(capped, { input: { state: JOB }, rootName: 'nightly' });
    expect(executions.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'FAILED']);
    const [, , last] = executions;
    expect(last).toMatchObject({ name: 'nightly-g2', error: 'GenerationCapReached' });
    expect(last.states).toEqual(['CheckInput']);
    const resumeFrom = (started.find((e) => e.name === 'nightly-g2')!.input as { state: PrimeCount }).state;
    expect(resumeFrom).toMatchObject({ next: JOB.next + 2 * ITERATIONS * JOB.batch });
    expect(last.cause).toContain(`reached maxGenerations (2), so generation 2 does no work. To resume, start a new execution with {"state": <this execution's input state>} (an object of`);
  });

  test.each([
    ['breaks-contract', 'InvalidWorkResult', /the work returned an object of 39 bytes of JSON, keys state \(object\), done \(string\): "done" is a string of 9 bytes of JSON, not a boolean/],
    ['oversize', 'StateTooLarge', /the state the work returned is 258050 bytes of JSON; the machine carries at most 258048/],
  ])('a work entry whose result %s fails the execution with %s, not retried', async (fixture, error, cause) => {
    const stack = synthesize({ WORKFLOWS_WORK_ENTRY: `__tests__/fixtures/work/${fixture}.ts` }).artifacts();
    const { executions } = await runContinueAsNewChain(stack, { input: {}, rootName: 'nightly' });
    expect(executions).toHaveLength(1);
    expect(executions[0]).toMatchObject({ status: 'FAILED', error });
    expect(executions[0].cause).toMatch(cause);
    expect(count(executions[0].states, 'Work')).toBe(1);
  });
});

describe.each(['standard', 'express'])('continue-as-new, loop %s: your state stays in the execution', (loop) => {
  const SECRET = 'tok_live_5ecret';
  const secretive = synthesize({
    WORKFLOWS_WORK_ENTRY: '__tests__/fixtures/work/secret-keeper.ts',
    WORKFLOWS_MAX_GENERATIONS: '1',
    WORKFLOWS_ITERATIONS_PER_EXECUTION: '1',
    WORKFLOWS_LOOP: loop,
    ...(loop === 'express' ? { WORKFLOWS_BATCH_CALLS: '1' } : {}),
  }).artifacts();
  const [alertRule] = secretive.alertRules;
  const jobArn = secretive.stateMachines['continue-as-new'].arn;

  test.each([
    ['its generation cap', 'GenerationCapReached', { token: SECRET }, /reached maxGenerations \(1\).*\(an object of \d+ bytes of JSON, keys token \(string\)\)$/],
    ['a bad result', 'InvalidWorkResult', { token: SECRET, failBy: 'bad-result' }, /^the work returned an object of \d+ bytes of JSON, keys state \(object\), done \(string\): "done" is a string of 26 bytes of JSON, not a boolean/],
    ['a state too large', 'StateTooLarge', { token: SECRET, failBy: 'oversize' }, /^the state the work returned is \d+ bytes of JSON; the machine carries at most \d+/],
    ['an input too large', 'StateTooLarge', { token: SECRET, padding: 'p'.repeat(258_048) }, /^the input state is \d+ bytes of JSON; the machine carries at most \d+/],
    ['its own error, quoting the state', 'Error', { token: SECRET, failBy: 'throwing' }, /the work threw Error with a message of \d+ bytes, not shown/],
  ])('failed by %s (%s), it shows the secret in no cause and no alert, which links the execution', async (_, error, state, cause) => {
    const { executions } = await runContinueAsNewChain(secretive, { input: { state }, rootName: 'nightly' });
    const failed = executions.at(-1)!;
    expect([failed.status, failed.error]).toEqual(['FAILED', error]);
    expect(failed.cause).toMatch(cause);
    expect(failed.cause).not.toContain(SECRET);
    const event = statusChangeEvent(failed, jobArn);
    // The event carries the input, secret and all: the alert must leave it out.
    expect(JSON.stringify(event)).toContain(SECRET);
    expect(matchesPattern(event, alertRule.eventPattern as never)).toBe(true);
    const alert = String(renderInputTemplate(event, alertRule.inputTransformer));
    expect(alert).not.toContain(SECRET);
    expect(alert).toContain(`Error: ${error}. Cause: `);
    expect(alert).toContain(`Console: https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${failed.arn}`);
  });
});

/** A redrive of a failed execution of the job (`redriveOf`). */
function redrive(stepFunctions: FakeStepFunctions, failed: ExecutionResult, wrapHandler?: HandlerWrapper): Promise<ExecutionResult> {
  const stateMachine = artifacts.integration.stateMachines['continue-as-new'];
  return runExecution({ ...redriveOf(stateMachine, failed), handlerFor: taskRunner(artifacts.integration, stateMachine, wrapHandler, { stepFunctions }) });
}

/** Runs what the executions so far started, one after the other, as the chain runner does. */
async function runStarted(stepFunctions: FakeStepFunctions): Promise<ExecutionResult[]> {
  const stateMachine = artifacts.integration.stateMachines['continue-as-new'];
  const results: ExecutionResult[] = [];
  for (let next = stepFunctions.takeStarted().shift(); next; next = stepFunctions.takeStarted().shift()) {
    const result = await runExecution({ stateMachine, name: next.name, input: JSON.parse(next.input), handlerFor: taskRunner(artifacts.integration, stateMachine, undefined, { stepFunctions }) });
    next.status = result.status;
    results.push(result);
  }
  return results;
}

describe('continue-as-new: a run stopped and resumed, locally', () => {
  test('the stop race: a successor started as its parent was stopped does no work and ends at once, SUCCEEDED as stopped (no alert), starting nothing', async () => {
    const stepFunctions = new FakeStepFunctions();
    try {
      // The parent is stopped just after its Restart started the successor: the successor's CheckInput finds it ABORTED.
      const onState = (execution: string, state: string) => {
        if (execution === 'nightly-g1' && state === 'CheckInput') stepFunctions.executions.get(executionArnOf(stateMachineArn, 'nightly'))!.status = 'ABORTED';
      };
      const { executions, started } = await run('integration', { stepFunctions, onState });
      expect(executions.map((e) => [e.name, e.status])).toEqual([['nightly', 'SUCCEEDED'], ['nightly-g1', 'SUCCEEDED']]);
      const [, successor] = executions;
      expect(successor.states).toEqual(['CheckInput', 'IsRunStopped', 'RunStopped']);
      expect(successor.output).toEqual({
        stopped: { parentExecutionArn: executionArnOf(stateMachineArn, 'nightly'), parentStatus: 'ABORTED' },
        generation: 1,
        lineage: { rootExecutionArn: executionArnOf(stateMachineArn, 'nightly'), rootExecutionName: 'nightly', generation: 1 },
      });
      expect(started.map((e) => e.name)).toEqual(['nightly', 'nightly-g1']);
    } finally {
      stepFunctions.restore();
    }
  });

  test.each([
    ['Work', 'a work call that failed for good', failCalls('Work', (call) => call === 60, () => named('LedgerLocked', 'the ledger is locked'))],
    ['Restart', 'a restart whose start kept failing', failCalls('Restart', (call) => call >= 2 && call <= 8, () => named('States.TaskFailed', 'StartExecution kept failing'))],
  ])('a redrive from the failed %s step (%s) goes on with the same state, and the run ends as a fault-free run would', async (step, _, fault) => {
    const stepFunctions = new FakeStepFunctions();
    try {
      const { executions } = await run('integration', { stepFunctions, wrapHandler: fault.wrapHandler });
      const failed = executions[executions.length - 1];
      expect(failed).toMatchObject({ name: 'nightly-g1', status: 'FAILED' });
      expect(failed.states[failed.states.length - 1]).toBe(step);
      const redriven = await redrive(stepFunctions, failed);
      expect(redriven.states.slice(0, 2)).toEqual(['Redrive', step]);
      expect(redriven.status).toBe('SUCCEEDED');
      const rest = await runStarted(stepFunctions);
      expect(rest.map((e) => e.name)).toEqual(['nightly-g2', 'nightly-g3', 'nightly-g4']);
      expect(rest[rest.length - 1].output).toMatchObject({ state: { next: JOB.limit, primes: PRIMES_BELOW_LIMIT } });
      expect([...stepFunctions.executions.values()].filter((e) => e.name === 'nightly-g2')).toHaveLength(1);
    } finally {
      stepFunctions.restore();
    }
  });
});
