/**
 * What `main.ts` and your own code build a stack from: the stack, one construct per kind of
 * workflow, and the errors a bad configuration or construct throws. Import from `./lib`, not from
 * the files behind it, so a move inside `lib/` never breaks your code.
 */
export { ConfigError, loadStacks, readContext, type StackConfig } from './config/config';
export type { WorkflowsConfig } from './config/settings';
export { ValidationError } from './core/validation-error';
export { WorkflowsStack } from './workflows-stack';
export { ContinueAsNew, type ContinueAsNewProps } from './kinds/continue-as-new/continue-as-new';
export { LongRunningTask, type LongRunningTaskProps } from './kinds/task/long-running-task';
export { RdsSnapshot, type RdsSnapshotProps } from './kinds/rds-snapshot/rds-snapshot';
