import { continueAsNewBudget } from './definitions';

/** How a continue-as-new execution starts its successor. */
export const RESTART_MODES = ['integration', 'function'] as const;
export type RestartWith = (typeof RESTART_MODES)[number];

/** A successor's name must stay within 80 characters: `-g1000000` is the longest suffix allowed for. */
export const MAX_GENERATIONS_LIMIT = 1_000_000;

/**
 * A job's settings with nothing configured: the construct applies them, the settings table
 * shows them and `jobs` entries start from them.
 */
export const JOB_DEFAULTS = {
  workEntry: 'lambdas/work.ts',
  workTimeoutSeconds: 60,
  workMemoryMb: 256,
  maxGenerations: 1000,
  restartWith: 'integration' as RestartWith,
} as const;

/** Why a number of iterations per execution does not fit the restart mode's history budget, or undefined when it does. */
export function iterationsProblem(iterations: number, restartWith: RestartWith): string | undefined {
  const budget = continueAsNewBudget(restartWith);
  if (Number.isInteger(iterations) && iterations >= 1 && iterations <= budget.maxIterations) return undefined;
  return (
    `must be a whole number from 1 to ${budget.maxIterations}, the history budget's limit with restartWith ${restartWith}: ` +
    `${budget.eventsPerIteration} history events per iteration and ${budget.fixedEvents} besides must stay within ${budget.budget}`
  );
}
