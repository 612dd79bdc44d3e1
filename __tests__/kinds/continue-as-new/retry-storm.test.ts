import { HISTORY_BUDGET, HISTORY_EVENT_QUOTA } from '../../../lib/core/history-budget';
import type { Backlog } from '../../fixtures/work/drain';
import type { Handler } from '../../../simulator/bundled-handler';
import type { StackArtifacts } from '../../../simulator/stack-artifacts';
import type { HandlerWrapper } from '../../../simulator/workflows';
import { runContinueAsNewChain, type ChainResult } from '../../../lib/kinds/continue-as-new/simulation';
import { synthesize } from '../../support/synth';
import { continueAsNewBudget, expressBatchBudget } from '../../../lib/kinds/continue-as-new/definitions';

/**
 * A retry storm, run locally from the deployable zips at the default iterations per execution:
 * every work call is throttled three times before it succeeds (and, in an Express loop, every
 * batch is lost three times before one gets through). Each execution counts the retries it spent
 * and hands over before its history could pass the budget.
 */
const JOBS = {
  'storm-standard': { workEntry: '__tests__/fixtures/work/drain.ts' },
  'storm-express': { workEntry: '__tests__/fixtures/work/drain.ts', loop: 'express', batchCalls: 1 },
  'storm-batches': { workEntry: '__tests__/fixtures/work/drain.ts', loop: 'express' },
};
const artifacts: StackArtifacts = synthesize({ WORKFLOWS_JOBS: JSON.stringify(JOBS), WORKFLOWS_SNAPSHOT_TARGETS: '{}' }).artifacts();

const FAILURES_BEFORE_SUCCESS = 3;
const throttled = () => Object.assign(new Error('Rate Exceeded.'), { name: 'Lambda.TooManyRequestsException' });
const batchLost = () => Object.assign(new Error('{"Error":"Lambda.ServiceException"}'), { name: 'States.TaskFailed' });

/** Every call of `state` (a work call, or a batch's start) fails three times, then goes through. */
function storm(stateName: string, isTarget: (input: unknown) => boolean, error: () => Error): HandlerWrapper {
  let failures = 0;
  return (state, handler): Handler =>
    state !== stateName
      ? handler
      : async (input) => {
          if (!isTarget(input)) return handler(input);
          if (failures < FAILURES_BEFORE_SUCCESS) {
            failures += 1;
            throw error();
          }
          failures = 0;
          return handler(input);
        };
}
const isBatchStart = (input: unknown) => (input as { StateMachineArn?: unknown }).StateMachineArn !== undefined;
const compose =
  (...wrappers: HandlerWrapper[]): HandlerWrapper =>
  (state, handler) =>
    wrappers.reduce((inner, wrap) => wrap(state, inner), handler);

const items = (total: number): Backlog => ({ next: 0, total, sum: 0 });
const drained = (total: number): Backlog => ({ next: total, total, sum: (total * (total - 1)) / 2 });
const run = (job: string, total: number, wrapHandler?: HandlerWrapper): Promise<ChainResult> =>
  runContinueAsNewChain(artifacts, { workflowId: job, input: { state: items(total) }, rootName: 'storm', wrapHandler });

function expectWithinHistory(chain: ChainResult) {
  for (const execution of [...chain.executions, ...chain.batches.map((batch) => batch.execution)]) {
    expect(execution.historyEvents).toBeLessThanOrEqual(HISTORY_BUDGET);
    expect(execution.historyEvents).toBeLessThan(HISTORY_EVENT_QUOTA);
  }
}

describe('a retry storm on a Standard loop at the default iterations per execution', () => {
  const budget = continueAsNewBudget('integration');
  const TOTAL = 1200;

  test('every call throttled three times: the execution hands over on the events it spent, each under the budget, the final state exact', async () => {
    const chain = await run('storm-standard', TOTAL, storm('Work', () => true, throttled));
    expect(chain.executions.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(chain.executions.at(-1)?.output).toMatchObject({ state: drained(TOTAL) });
    expectWithinHistory(chain);
    // A pass of 9 events and 3 retries of 3: the loop goes round while its count is within the handover point.
    const perCall = budget.eventsPerIteration + FAILURES_BEFORE_SUCCESS * budget.eventsPerRetry;
    const calls = Math.floor(budget.handoverEvents / perCall) + 1;
    expect(chain.executions.map((e) => e.states.filter((s) => s === 'Work').length)).toEqual([calls, TOTAL - calls]);
    expect(chain.executions[0].historyEvents).toBeGreaterThan(HISTORY_BUDGET - budget.worstEventsPerIteration - budget.fixedEvents);
  }, 30_000);

  test('with no fault, the default runs its iterations per execution, at least 1,500 work calls', async () => {
    expect(budget.maxIterations).toBeGreaterThanOrEqual(1500);
    const chain = await run('storm-standard', budget.maxIterations + 10);
    expect(chain.executions.map((e) => e.states.filter((s) => s === 'Work').length)).toEqual([budget.maxIterations, 10]);
    expect(chain.executions.at(-1)?.output).toMatchObject({ state: drained(budget.maxIterations + 10) });
    expectWithinHistory(chain);
  }, 30_000);
});

describe('a retry storm on an Express loop at the default batches per execution', () => {
  test('inside one batch of the default settings: the batch hands its state back on the events it spent, the next goes on, the final state exact', async () => {
    const batch = expressBatchBudget();
    const chain = await run('storm-batches', 1200, storm('Work', (input) => !isBatchStart(input), throttled));
    expect(chain.executions.at(-1)?.output).toMatchObject({ state: drained(1200) });
    const calls = Math.floor(batch.handoverEvents / (batch.eventsPerIteration + FAILURES_BEFORE_SUCCESS * batch.eventsPerRetry)) + 1;
    expect(chain.batches.map((b) => b.execution.states.filter((s) => s === 'Work').length)).toEqual([calls, 1200 - calls]);
    expectWithinHistory(chain);
  }, 30_000);

  const budget = continueAsNewBudget('integration', 'express');
  const TOTAL = 1000;

  test('every work call throttled three times inside its batch, and every batch lost three times: handed over on the events spent, the final state exact', async () => {
    const chain = await run('storm-express', TOTAL, compose(storm('Work', (input) => !isBatchStart(input), throttled), storm('Work', isBatchStart, batchLost)));
    expect(chain.executions.at(-1)?.output).toMatchObject({ state: drained(TOTAL) });
    expect(chain.executions.every((e) => e.status === 'SUCCEEDED')).toBe(true);
    expectWithinHistory(chain);
    const perBatch = budget.eventsPerIteration + FAILURES_BEFORE_SUCCESS * budget.eventsPerRetry;
    expect(chain.executions[0].states.filter((s) => s === 'Work')).toHaveLength(Math.floor(budget.handoverEvents / perBatch) + 1);
  }, 30_000);
});
