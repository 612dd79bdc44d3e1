import type { Arns } from './arns';
import { eventsOf, STATE_EVENTS } from './history-budget';
import type { PolicyStatement } from './iam';
import type { AslValues } from './render-asl';

/** What a schedule does when its start comes while a run it started is still running: skip the start (the default), or run both. */
export type Overlap = 'skip' | 'allow';
export const OVERLAPS: readonly Overlap[] = ['skip', 'allow'];
export const DEFAULT_OVERLAP: Overlap = 'skip';

/** The definition fragment that skips an overlapping scheduled start (it replaces the definition's KeepInput). */
export const OVERLAP_FRAGMENT = 'overlap.asl.json';

/** Running executions the check reads: ListExecutions' page, newest first. */
export const MAX_RUNNING_CHECKED = 100;

/** What the input of a start by a skipping schedule carries, besides the workflow's own input. */
export const SKIP_MARKER = { overlap: 'skip' } as const;

/**
 * History events the check adds at worst: the Choice, the listing, its start, then per running
 * execution its Choice, description, comparison and step on, and the last Choice.
 */
export const OVERLAP_CHECK_EVENTS =
  STATE_EVENTS + eventsOf({ Type: 'Task' }) + STATE_EVENTS + MAX_RUNNING_CHECKED * (3 * STATE_EVENTS + eventsOf({ Type: 'Task' })) + STATE_EVENTS;

/** What a polling kind adds to its state machine when one of its schedules skips overlapping starts: the fragment, its values, and the grants its calls need. */
export function overlapCheck(stateMachineName: string, firstStep: string, arns: Arns): { readonly files: readonly string[]; readonly values: AslValues; readonly statements: readonly PolicyStatement[] } {
  return {
    files: [OVERLAP_FRAGMENT],
    values: { FirstStep: firstStep, StateMachineName: stateMachineName, MaxRunningChecked: MAX_RUNNING_CHECKED },
    statements: [
      { Sid: 'ListOwnRunningExecutions', Effect: 'Allow', Action: ['states:ListExecutions'], Resource: [arns.stateMachine(stateMachineName)] },
      { Sid: 'ReadOwnExecutions', Effect: 'Allow', Action: ['states:DescribeExecution'], Resource: [arns.executions(stateMachineName)] },
    ],
  };
}
