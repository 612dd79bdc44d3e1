import { randomBytes } from 'node:crypto';
import { EXECUTION_NAME_RULE, MAX_EXECUTION_NAME } from '../lambdas/continue-as-new/chain';

/**
 * A run's id is its first execution's name; a job's successors are `<run-id>-g<n>` (the chain's
 * deterministic names), so an id may not look like one of them.
 */
export const GENERATION_SUFFIX = /-g(\d+)$/;

/** Room an id leaves for its successors' `-g<n>` (up to maxGenerations' largest, 1,000,000). */
const SUCCESSOR_ROOM = '-g1000000'.length;
export const MAX_RUN_ID = MAX_EXECUTION_NAME - SUCCESSOR_ROOM;

/** Why a run id cannot be used, or undefined. */
export function runIdProblem(id: string): string | undefined {
  if (!EXECUTION_NAME_RULE.test(id) || id.length > MAX_RUN_ID) return `run id "${id}" must be 1-${MAX_RUN_ID} letters, digits, hyphens or underscores (its successors add -g<n>)`;
  if (GENERATION_SUFFIX.test(id)) return `run id "${id}" ends like a successor's name (-g<n>): choose another`;
  return undefined;
}

/** The execution name of a run's generation: the id itself for the root, `<id>-g<n>` after. */
export function generationName(runId: string, generation: number): string {
  return generation === 0 ? runId : `${runId}-g${generation}`;
}

/** A readable id for a run started without one: the workflow, when (UTC, to the second), and 4 random hex digits. */
export function newRunId(workflow: string, now: Date = new Date(), random: string = randomBytes(2).toString('hex')): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${workflow.slice(0, MAX_RUN_ID - stamp.length - random.length - 2)}-${stamp}-${random}`;
}
