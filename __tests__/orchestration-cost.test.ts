import { expressCost, PRICES, standardCost } from '../scripts/orchestration-cost';
import { synthesize } from './support/synth';
import { SIMULATED_ARNS } from '../simulator/stack-artifacts';
import { continueAsNewBudget } from '../lib/kinds/continue-as-new/definitions';

/** The cost model the bench prints, on the rendered definitions of a default job in each loop mode. */
const { stateMachines, stateMachinesByArn } = synthesize({ WORKFLOWS_JOBS: '{"standard": {}, "express": {"loop": "express"}, "capped": {"loop": "express", "batchCalls": 100}}', WORKFLOWS_SNAPSHOT_TARGETS: '{}' }).artifacts();
const definition = (name: string) => stateMachinesByArn.get(SIMULATED_ARNS.stateMachine(name))!.definition as never;
const iterations = (loop: 'standard' | 'express') => continueAsNewBudget('integration', loop).maxIterations;

test("a Standard loop pays its loop's 3 transitions per call: $75 per million calls, whatever the call's length", () => {
  const standard = standardCost(stateMachines.standard.definition as never, iterations('standard'));
  expect(standard.standardTransitionsPerCall).toBeCloseTo(3, 2);
  expect(standard.dollarsPerMillionCalls).toBeCloseTo(75, 0);
});

test('an Express loop costs at most a twentieth of it at 1 s calls, and less at shorter ones', () => {
  const standard = standardCost(stateMachines.standard.definition as never, iterations('standard')).dollarsPerMillionCalls;
  const job = stateMachines.express.definition as never;
  const [second, tenth] = [1, 0.1].map((seconds) => expressCost(job, definition('long-running-express-batch'), iterations('express'), seconds));
  // The default work timeout (60 s) leaves a batch 195 s: 195 calls of 1 s.
  expect(second).toMatchObject({ callsPerBatch: 195, billedSecondsPerBatch: 195 });
  expect(second.dollarsPerMillionCalls).toBeLessThanOrEqual(standard / 20);
  expect(tenth.dollarsPerMillionCalls).toBeLessThan(second.dollarsPerMillionCalls);
  // The duration dominates: 1e6 calls of 1 s at 64 MB.
  expect(second.dollarsPerMillionCalls).toBeGreaterThan(1e6 * PRICES.expressMinimumGb * PRICES.expressPerGbSecond);
});

test("a call cap makes more batches, each a job-machine pass and a request", () => {
  const job = stateMachines.capped.definition as never;
  const capped = expressCost(job, definition('long-running-capped-batch'), iterations('express'), 1);
  expect(capped.callsPerBatch).toBe(100);
  const uncapped = expressCost(stateMachines.express.definition as never, definition('long-running-express-batch'), iterations('express'), 1);
  expect(capped.dollarsPerMillionCalls).toBeGreaterThan(uncapped.dollarsPerMillionCalls);
});
