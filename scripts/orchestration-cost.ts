import { loopBudget, type BudgetDefinition } from '../lib/core/history-budget';
import type { StateMachineDefinition } from '../simulator/stack-artifacts';

/**
 * Step Functions' prices in us-east-1, from https://aws.amazon.com/step-functions/pricing/, as
 * issue #18 quoted them on 2026-12-01 (this machine has no internet to read the page again).
 * Express bills each execution's duration at its memory, 64 MB at the least, in 100 ms steps.
 */
export const PRICES = {
  source: 'https://aws.amazon.com/step-functions/pricing/ (us-east-1)',
  date: '2026-12-01',
  standardPerTransition: 0.025 / 1000,
  expressPerRequest: 1 / 1_000_000,
  expressPerGbSecond: 0.00001667,
  expressMinimumGb: 64 / 1024,
  expressBillingStepSeconds: 0.1,
} as const;

const CALLS = 1_000_000;

export interface OrchestrationCost {
  /** Dollars of Step Functions per million work calls, Lambda not included. */
  readonly dollarsPerMillionCalls: number;
  readonly standardTransitionsPerCall: number;
  /** Express only: work calls per batch, and the batch's billed seconds. */
  readonly callsPerBatch?: number;
  readonly billedSecondsPerBatch?: number;
}

type Definition = StateMachineDefinition & BudgetDefinition;

/** Standard transitions per pass of the job machine's loop, its fixed ones shared among an execution's passes. */
function transitionsPerPass(definition: Definition, passesPerExecution: number): number {
  const budget = loopBudget(definition, 0);
  return budget.transitionsPerIteration + budget.fixedTransitions / passesPerExecution;
}

/** A Standard loop: every work call is a pass of the loop, each of its states a billed transition. */
export function standardCost(job: Definition, iterationsPerExecution: number): OrchestrationCost {
  const perCall = transitionsPerPass(job, iterationsPerExecution);
  return { dollarsPerMillionCalls: CALLS * perCall * PRICES.standardPerTransition, standardTransitionsPerCall: perCall };
}

/** The limits the runtime wrapper keeps, as the rendered batch definition hands them to the work. */
function batchLimitsOf(batch: Definition): { seconds: number; maxCalls?: number } {
  const work = batch.States.Work as { Parameters?: { batch?: { limits?: { seconds: number; maxCalls?: number } } } };
  const limits = work.Parameters?.batch?.limits;
  if (!limits) throw new Error('the batch definition hands its Work no batch limits');
  return limits;
}

/**
 * An Express loop: a pass of the job machine per batch (Standard transitions), and per batch one
 * Express request and its duration, billed at the 64 MB minimum: calls of `callSeconds` until
 * the time budget or the call cap ends the batch (the wrapper's rule: another call while the
 * budget has not run out).
 */
export function expressCost(job: Definition, batch: Definition, iterationsPerExecution: number, callSeconds: number): OrchestrationCost {
  const { seconds, maxCalls } = batchLimitsOf(batch);
  const callsPerBatch = Math.min(maxCalls ?? Infinity, Math.ceil(seconds / callSeconds));
  const step = PRICES.expressBillingStepSeconds;
  const billedSecondsPerBatch = Math.ceil((callsPerBatch * callSeconds) / step - 1e-9) * step;
  const perBatch =
    transitionsPerPass(job, iterationsPerExecution) * PRICES.standardPerTransition +
    PRICES.expressPerRequest +
    billedSecondsPerBatch * PRICES.expressMinimumGb * PRICES.expressPerGbSecond;
  return {
    dollarsPerMillionCalls: (CALLS / callsPerBatch) * perBatch,
    standardTransitionsPerCall: transitionsPerPass(job, iterationsPerExecution) / callsPerBatch,
    callsPerBatch,
    billedSecondsPerBatch,
  };
}
