import { loopBudget, SYNC_RETRY_EVENTS, SYNC_TASK_EVENTS } from '../../../lib/core/history-budget';
import { RETRY_POLICIES } from '../../../lib/core/retry-policies';
import type { Backlog } from '../../fixtures/work/drain';
import type { Handler } from '../../../simulator/bundled-handler';
import { START_EXECUTION_SYNC } from '../../../simulator/nested-executions';
import type { StackArtifacts } from '../../../simulator/stack-artifacts';
import { type HandlerWrapper } from '../../../simulator/workflows';
import { runContinueAsNewChain, type ChainResult } from '../../../lib/kinds/continue-as-new/simulation';
import { awsArn, deployedRoles, isAllowed, requestsOf, type IamRequest } from '../../support/iam';
import { synthesize } from '../../support/synth';
import { deployabilityProblems } from '../../support/your-configuration';
import { continueAsNewBudget } from '../../../lib/kinds/continue-as-new/definitions';

/**
 * The same jobs in both loop modes, run locally from the deployable zips: an Express loop's
 * batches run as nested executions of the rendered batch definition.
 */
const FIXTURES = { drain: 'drain', broken: 'breaks-contract', oversize: 'oversize' } as const;
const LOOPS = { standard: { iterationsPerExecution: 1000 }, express: { loop: 'express', batchCalls: 100, iterationsPerExecution: 10 } } as const;
type Loop = keyof typeof LOOPS;
const jobs = Object.fromEntries(
  Object.entries(FIXTURES).flatMap(([job, fixture]) =>
    Object.entries(LOOPS).map(([loop, settings]) => [`${job}-${loop}`, { workEntry: `__tests__/fixtures/work/${fixture}.ts`, ...settings }]),
  ),
);
const synthesized = synthesize({ WORKFLOWS_JOBS: JSON.stringify(jobs), WORKFLOWS_SNAPSHOT_TARGETS: '{}' });
const artifacts: StackArtifacts = synthesized.artifacts();

const BACKLOG: Backlog = { next: 0, total: 4000, sum: 0 };
const DRAINED: Backlog = { next: 4000, total: 4000, sum: (4000 * 3999) / 2 };
const named = (name: string, message: string) => Object.assign(new Error(message), { name });

/** The events every work call received, in order. */
function watchWork() {
  const events: { state: Backlog; generation: number; iteration: number }[] = [];
  const wrapHandler: HandlerWrapper = (state, handler) =>
    state !== 'Work'
      ? handler
      : async (input) => {
          const result = await handler(input);
          if ((input as { batch?: unknown }).batch !== undefined || !('Output' in (result as object))) events.push(input as (typeof events)[number]);
          return result;
        };
  return { events, wrapHandler };
}

/** Fails the work calls that `when` picks, before the work runs: in a batch, or the job's WorkAgain. */
function failWork(when: (call: number) => boolean, error: () => Error): HandlerWrapper {
  let calls = 0;
  return (state, handler): Handler =>
    state !== 'Work' && state !== 'WorkAgain'
      ? handler
      : async (input) => {
          if ((input as { StateMachineArn?: unknown }).StateMachineArn !== undefined) return handler(input);
          calls += 1;
          if (when(calls)) throw error();
          return handler(input);
        };
}

const run = (job: string, options: Partial<Parameters<typeof runContinueAsNewChain>[1]> = {}): Promise<ChainResult> =>
  runContinueAsNewChain(artifacts, { workflowId: job, input: { state: BACKLOG }, rootName: 'drain', ...options });

describe.each(Object.keys(LOOPS) as Loop[])('the %s loop drains a 4,000-item backlog', (loop) => {
  const { events, wrapHandler } = watchWork();
  let chain: ChainResult;
  beforeAll(async () => {
    chain = await run(`drain-${loop}`, { wrapHandler });
  }, 30_000);

  test('to the exact final state, over 4 executions whose work saw generations 0 to 3 and iterations counting on within each', () => {
    expect(chain.executions.map((e) => [e.name, e.status])).toEqual(['drain', 'drain-g1', 'drain-g2', 'drain-g3'].map((name) => [name, 'SUCCEEDED']));
    expect(chain.executions.at(-1)?.output).toMatchObject({ state: DRAINED, generation: 3 });
    expect(events).toHaveLength(4000);
    expect(events.map((event) => event.state.next)).toEqual([...Array(4000).keys()]);
    expect(events.map((event) => [event.generation, event.iteration])).toEqual([...Array(4000).keys()].map((call) => [Math.floor(call / 1000), call % 1000]));
  });

  test(loop === 'express' ? 'in 40 batches of 100 calls, each an execution of the EXPRESS batch machine started through .sync:2' : 'with no batch', () => {
    if (loop === 'standard') {
      expect(chain.batches).toEqual([]);
      return;
    }
    expect(chain.batches).toHaveLength(40);
    for (const batch of chain.batches) {
      expect(batch.stateMachine).toEqual({ name: 'long-running-drain-express-batch', arn: expect.stringMatching(/:stateMachine:long-running-drain-express-batch$/), type: 'EXPRESS' });
      expect(batch.startedWith).toBe('arn:aws:states:::states:startExecution.sync:2');
      expect(batch.execution.status).toBe('SUCCEEDED');
      expect(batch.execution.states.filter((state) => state === 'Work')).toHaveLength(100);
    }
    const parent = artifacts.stateMachines['drain-express'];
    expect(parent.type).toBe('STANDARD');
    expect(parent.definition.States.Work.Resource).toBe(START_EXECUTION_SYNC);
    expect(chain.executions.map((e) => e.states.filter((state) => state === 'Work').length)).toEqual([10, 10, 10, 10]);
  });
});

/**
 * Both loop modes fail at a step that calls the work, with the same error names and causes: an
 * Express job's batch returns the call it gave up on, and the job's WorkAgain makes it again.
 */
describe('both loop modes fail with the same error names and causes, at a step that calls the work', () => {
  const failure = async (job: string, wrapHandler?: HandlerWrapper) => {
    const chain = await run(job, { wrapHandler });
    expect(chain.executions).toHaveLength(1);
    const [{ status, error, cause, states }] = chain.executions;
    expect(states.at(-1)).toBe(job.endsWith('express') ? 'WorkAgain' : 'Work');
    return { status, error, cause };
  };
  const ownError = (): HandlerWrapper => failWork((call) => call >= 250, () => named('LedgerLocked', 'the ledger is locked'));

  test.each([
    ['a contract-breaking result', 'broken', 'InvalidWorkResult', (): HandlerWrapper | undefined => undefined],
    ["the work's own error", 'drain', 'LedgerLocked', ownError],
  ] as const)('%s: %s', async (_, job, errorName, wrapper) => {
    const standard = await failure(`${job}-standard`, wrapper());
    const express = await failure(`${job}-express`, wrapper());
    expect(standard).toMatchObject({ status: 'FAILED', error: errorName });
    expect(express).toEqual(standard);
  }, 15_000);

  test("a state too large to carry: StateTooLarge, at half the Standard loop's bound, since a batch returns its input and output state together", async () => {
    const standard = await failure('oversize-standard');
    const express = await failure('oversize-express');
    expect(standard).toMatchObject({ status: 'FAILED', error: 'StateTooLarge', cause: expect.stringContaining('the machine carries at most 258048') });
    expect(express).toMatchObject({
      status: 'FAILED',
      error: 'StateTooLarge',
      cause: expect.stringContaining('the machine carries at most 129024 (an Express batch returns its input state and its output state in one result'),
    });
  }, 15_000);
});

test("an Express job refuses, where it enters, a state a batch could not hand back: StateTooLarge, nothing run", async () => {
  const chain = await run('drain-express', { input: { state: { next: 0, total: 1, sum: 0, padding: 'x'.repeat(130_000) } } });
  expect(chain.executions[0]).toMatchObject({ status: 'FAILED', error: 'StateTooLarge', states: ['CheckInput'] });
  expect(chain.executions[0].cause).toMatch(/^the input state is \d+ bytes of JSON; the machine carries at most 129024/);
  expect(chain.batches).toEqual([]);
  const standard = await run('drain-standard', { input: { state: { next: 0, total: 1, sum: 0, padding: 'x'.repeat(130_000) } } });
  expect(standard.executions[0]).toMatchObject({ status: 'SUCCEEDED' });
});

describe('a work call a batch gave up on', () => {
  const lambdaDown = () => named('Lambda.ServiceException', 'Lambda is unavailable');
  const workAttempts = RETRY_POLICIES.LambdaRetry.MaxAttempts + 1;

  const SHORT: Backlog = { next: 0, total: 400, sum: 0 };

  test("a call the batch gave up on is made again by the job's WorkAgain, and the job ends as it would have", async () => {
    // Every attempt of call 150 in the batch fails: the batch returns it, and WorkAgain's call gets through.
    const wrapHandler = failWork((call) => call >= 150 && call < 150 + workAttempts, lambdaDown);
    const chain = await run('drain-express', { input: { state: SHORT }, wrapHandler });
    // WorkAgain's state goes on in a successor: the loop's history count stays one Task's.
    expect(chain.executions.map((e) => [e.name, e.status])).toEqual([['drain', 'SUCCEEDED'], ['drain-g1', 'SUCCEEDED']]);
    expect(chain.executions[0].states.slice(-5)).toEqual(['WorkAgain', 'AfterWorkAgain', 'IsDoneAfterWorkAgain', 'Restart', 'Restarted']);
    expect(chain.executions[1].output).toMatchObject({ state: { next: 400, total: 400, sum: (400 * 399) / 2 } });
    expect(chain.batches.map((batch) => batch.execution.status)).not.toContain('FAILED');
  }, 15_000);

  test("every time fails the job at WorkAgain with the work's own error and cause, not States.TaskFailed", async () => {
    const chain = await run('drain-express', { input: { state: SHORT }, wrapHandler: failWork(() => true, lambdaDown) });
    expect(chain.executions).toHaveLength(1);
    expect(chain.executions[0]).toMatchObject({ status: 'FAILED', error: 'Lambda.ServiceException', cause: 'Lambda is unavailable' });
    expect(chain.executions[0].states.at(-1)).toBe('WorkAgain');
    expect(chain.batches).toHaveLength(1);
  }, 15_000);
});

test("the work's runtime wrapper, not the work, ends a batch at its time budget", async () => {
  const pastBudget: HandlerWrapper = (state, handler) =>
    state !== 'Work'
      ? handler
      : async (input) => {
          const batch = (input as { batch?: { startTime: string } }).batch;
          return handler(batch ? { ...(input as object), batch: { ...batch, startTime: new Date(Date.now() - 3_600_000).toISOString() } } : input);
        };
  const chain = await run('drain-express', { input: { state: { next: 0, total: 25, sum: 0 } }, wrapHandler: pastBudget });
  expect(chain.executions.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
  expect(chain.batches).toHaveLength(25);
  for (const batch of chain.batches) expect(batch.execution.states.filter((state) => state === 'Work')).toHaveLength(1);
}, 15_000);

test("the job machine's history budget counts batches, each a .sync Task of 6 events, and a fault-free run writes what it derives", async () => {
  const budget = continueAsNewBudget('integration', 'express');
  expect(budget.loop).toEqual(['Work', 'Advance', 'Continue']);
  expect(budget.eventsPerIteration).toBe(SYNC_TASK_EVENTS + 2 + 2);
  // Every retry the batch's policies allow: IntegrationRetry's 6 (StartExecutionFinalErrors retries nothing).
  expect(budget.worstEventsPerIteration).toBe(SYNC_TASK_EVENTS + RETRY_POLICIES.IntegrationRetry.MaxAttempts * SYNC_RETRY_EVENTS + 2 + 2);
  const chain = await run('drain-express', { input: { state: { next: 0, total: 1500, sum: 0 } } });
  const faultFree = loopBudget(artifacts.stateMachines['drain-express'].definition as never, 0);
  const [full] = chain.executions;
  // A restarting execution: CheckInput and IsRunStopped, then 10 batches, then the restart path.
  const restartPath = full.states.slice(full.states.lastIndexOf('Continue') + 1);
  expect(restartPath).toEqual(['Restart', 'Restarted']);
  expect(full.historyEvents).toBe(2 + 5 + 2 + 10 * faultFree.eventsPerIteration + 5 + 2);
  expect(full.historyEvents).toBeLessThanOrEqual(budget.fixedEvents + 10 * budget.worstEventsPerIteration);
}, 15_000);

describe("an Express loop's IAM, evaluated by a policy simulator", () => {
  const roles = deployedRoles(synthesized.json);
  const roleOf = (name: string) => {
    const role = roles.get(name);
    if (!role) throw new Error(`no role for ${name}`);
    return role;
  };
  const JOB = 'long-running-drain-express';
  const BATCH = `${JOB}-batch`;
  const batchExecution = awsArn('states', `express:${BATCH}:nested-000001:0123abcd-4567-89ef-0123-456789abcdef`);
  const syncRule = awsArn('events', 'rule/StepFunctionsGetEventsForStepFunctionsExecutionRule');

  /**
   * What the job's machine asks for in a run: the StartExecution calls the fake recorded, and what
   * `.sync` does for each batch besides (the Step Functions guide's policy for it): describe and
   * stop the batch's execution, and keep the managed rule that tells it the batch ended.
   */
  test("every call of a run is allowed for the role that made it: the job's machine runs only its batches, the batch machine invokes only the work", async () => {
    const chain = await run('drain-express', { input: { state: { next: 0, total: 250, sum: 0 } } });
    expect(chain.executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
    const requests: [string, IamRequest][] = [
      ...chain.stepFunctionsLog.flatMap((call) => requestsOf(call, () => ({})).map((request): [string, IamRequest] => [call.caller!, request])),
      ...chain.batches.flatMap((batch): [string, IamRequest][] => [
        [JOB, { action: 'states:DescribeExecution', resource: batch.execution.arn }],
        [JOB, { action: 'states:StopExecution', resource: batch.execution.arn }],
        [JOB, { action: 'states:DescribeExecution', resource: batchExecution }],
        [JOB, { action: 'events:PutRule', resource: syncRule }],
        [JOB, { action: 'events:PutTargets', resource: syncRule }],
        [JOB, { action: 'events:DescribeRule', resource: syncRule }],
        [BATCH, { action: 'lambda:InvokeFunction', resource: awsArn('lambda', `function:${JOB}-work`) }],
      ]),
    ];
    expect(new Set(requests.filter(([, r]) => r.action === 'states:StartExecution').map(([caller, r]) => `${caller} ${r.resource}`))).toEqual(
      new Set([`${JOB} ${awsArn('states', `stateMachine:${BATCH}`)}`]),
    );
    const denied: string[] = [];
    for (const [caller, request] of requests) if (!(await isAllowed(roleOf(caller), request))) denied.push(`${caller}: ${request.action} on ${request.resource}`);
    expect(denied).toEqual([]);
  }, 15_000);

  test.each<[string, string, IamRequest]>([
    [JOB, "invoking another job's work", { action: 'lambda:InvokeFunction', resource: awsArn('lambda', 'function:long-running-drain-standard-work') }],
    [JOB, "starting another job's batch machine", { action: 'states:StartExecution', resource: awsArn('states', 'stateMachine:long-running-drain-standard') }],
    [JOB, "describing another machine's Express executions", { action: 'states:DescribeExecution', resource: awsArn('states', 'express:long-running-broken-express-batch:x:y') }],
    [JOB, "stopping another machine's executions", { action: 'states:StopExecution', resource: awsArn('states', 'execution:long-running-broken-express:x') }],
    [JOB, 'another EventBridge rule', { action: 'events:PutRule', resource: awsArn('events', 'rule/StepFunctionsGetEventsForECSTaskRule') }],
    [BATCH, "invoking the job's other functions", { action: 'lambda:InvokeFunction', resource: awsArn('lambda', `function:${JOB}-check-input`) }],
    [BATCH, 'starting any execution', { action: 'states:StartExecution', resource: awsArn('states', `stateMachine:${JOB}`) }],
  ])('%s is denied %s', async (name, _, request) => {
    expect(await isAllowed(roleOf(name), request)).toBe(false);
  });
});

test('the stack is deployable as the test of your configuration sees it: valid ASL, every budget kept, every job alerted and output, exact roles', () => {
  const stackDir = synthesized.fullSynth();
  const checked = { stackId: 'long-running-workflows', stackDir, workflows: synthesized.stack.workflows.all, json: synthesized.json };
  expect(deployabilityProblems(checked)).toEqual([]);
});
