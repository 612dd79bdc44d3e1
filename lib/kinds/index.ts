import { continueAsNewKind } from './continue-as-new';
import { rdsSnapshotKind } from './rds-snapshot';
import { taskKind } from './task';

/**
 * Every kind of workflow, registered once, in the order the stack builds them and the docs show
 * them. A new kind is its folder beside these and one line here.
 */
export const WORKFLOW_KINDS = [continueAsNewKind, rdsSnapshotKind, taskKind] as const;
