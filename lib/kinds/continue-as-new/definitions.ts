import { symbolicDefinition } from '../../core/definitions';
import { eventsSpentIntrinsic, loopBudget, type LoopBudget } from '../../core/history-budget';
import type { AslValues } from '../../core/render-asl';
import { JOB_DEFAULTS, type LoopMode, type RestartWith } from './defaults';

/** The `asl/` files a job's definition is composed of: the base, its restart fragment, and with `loop: express` the fragment that replaces Work and Continue. */
export function definitionFiles(restartWith: RestartWith, loop: LoopMode = 'standard'): string[] {
  return [
    'continue-as-new/continue-as-new.asl.json',
    `continue-as-new/continue-as-new.restart-${restartWith}.asl.json`,
    ...(loop === 'express' ? ['continue-as-new/continue-as-new.loop-express.asl.json'] : []),
  ];
}

/** The Express machine an `express` loop runs each batch on. */
export const BATCH_DEFINITION_FILES: readonly string[] = ['continue-as-new/continue-as-new.batch.asl.json'];

const budgets = new Map<string, LoopBudget>();

let batchBudget: LoopBudget | undefined;

/**
 * An Express batch's loop budget, derived from its definition: Express keeps no 25,000-event
 * history, but a batch counts its events as the job's machine does and hands its state back
 * before a storm of retries could pass the budget, so no execution of a job, run anywhere, does.
 */
export function expressBatchBudget(): LoopBudget {
  batchBudget ??= loopBudget(symbolicDefinition(BATCH_DEFINITION_FILES));
  return batchBudget;
}

/** The continue-as-new loop's budget for a restart and loop mode, derived from its definition (once per process, when first asked). */
export function continueAsNewBudget(restartWith: RestartWith, loop: LoopMode = 'standard'): LoopBudget {
  const key = `${restartWith} ${loop}`;
  const budget = budgets.get(key) ?? loopBudget(symbolicDefinition(definitionFiles(restartWith, loop)));
  budgets.set(key, budget);
  return budget;
}

/** What the loop counts its history with: the events a pass spent (its retries handed back in `$.work.retries`), and the count past which it hands over. */
export function handoverValues(budget: LoopBudget): AslValues {
  return { LoopEventsSpent: eventsSpentIntrinsic(budget, '$.loop.events', '$.work.retries'), HandoverEvents: budget.handoverEvents };
}

/** Why a number of iterations per execution does not fit the history budget of the restart and loop modes, or undefined when it does. */
export function iterationsProblem(iterations: number, restartWith: RestartWith, loop: LoopMode = JOB_DEFAULTS.loop): string | undefined {
  const budget = continueAsNewBudget(restartWith, loop);
  if (Number.isInteger(iterations) && iterations >= 1 && iterations <= budget.maxIterations) return undefined;
  const modes = loop === 'standard' ? `restartWith ${restartWith}` : `restartWith ${restartWith} and loop ${loop}`;
  const unit = loop === 'standard' ? 'iteration' : 'batch';
  return (
    `must be a whole number from 1 to ${budget.maxIterations}, the history budget's limit with ${modes}: ` +
    `${budget.eventsPerIteration} history events per ${unit} without a retry, then ${budget.worstEventsPerIteration} for the last and ${budget.fixedEvents} besides with every retry allowed, must stay within ${budget.budget}`
  );
}
