import type { Construct } from 'constructs';
import { pollSchedule } from './config';
import { ContinueAsNew } from './continue-as-new';
import { DEFINITION_FILES } from './definitions';
import { LongRunningTask } from './long-running-task';
import { TASK_POLLING_STEP } from './long-running-task-defaults';
import { RdsSnapshot } from './rds-snapshot';
import { pollingStepValues, pollScheduleOf } from './polling';
import { SNAPSHOT_POLLING_STEP, SNAPSHOT_WORKFLOW_ID } from './rds-snapshot-defaults';
import type { AslValues } from './render-asl';
import type { WorkflowsConfig } from './settings';

/** A README diagram: the `asl/` files it draws, and the values that decide its shape (see `symbolicDefinition`). */
export interface Diagram {
  readonly files: readonly string[];
  readonly shape?: AslValues;
}

/** What the app knows of a kind of workflow besides its construct. */
export interface WorkflowKind {
  /** The README's diagrams of it, by name. */
  readonly diagrams: Readonly<Record<string, Diagram>>;
  /** Adds the workflows of this kind that the configuration asks for (none is fine). */
  readonly fromConfig: (stack: Construct, config: WorkflowsConfig) => void;
}

/**
 * Every kind of workflow, registered once: the stack creates each kind's configured workflows,
 * the docs draw each kind's diagrams, and `npm run simulate` (`LOCAL_RUNS` in scripts/simulate.ts, each kind's run in simulator/local-runs/) must run each.
 */
export const WORKFLOW_KINDS = {
  'continue-as-new': {
    diagrams: {
      'continue-as-new': { files: DEFINITION_FILES.continueAsNew('integration') },
      'continue-as-new-restart-function': { files: DEFINITION_FILES.continueAsNew('function') },
      'continue-as-new-express': { files: DEFINITION_FILES.continueAsNew('integration', 'express') },
      'continue-as-new-batch': { files: DEFINITION_FILES.batch() },
    },
    fromConfig: (stack, config) => {
      for (const [job, settings] of Object.entries(config.jobs)) new ContinueAsNew(stack, job, settings);
    },
  },
  'rds-snapshot': {
    diagrams: { 'rds-snapshot': { files: DEFINITION_FILES.rdsSnapshot(), shape: pollingStepValues(SNAPSHOT_POLLING_STEP) } },
    fromConfig: (stack, config) => {
      if (Object.keys(config.snapshotTargets).length === 0) return;
      new RdsSnapshot(stack, SNAPSHOT_WORKFLOW_ID, {
        targets: config.snapshotTargets,
        retention: { keepLast: config.snapshotKeepLast, maxAgeDays: config.snapshotMaxAgeDays },
        snapshotTags: config.tags,
        polling: pollSchedule(config),
      });
    },
  },
  task: {
    diagrams: { task: { files: DEFINITION_FILES.task(), shape: pollingStepValues(TASK_POLLING_STEP) } },
    fromConfig: (stack, config) => {
      for (const [name, task] of Object.entries(config.tasks)) {
        new LongRunningTask(stack, name, {
          ...task,
          polling: pollScheduleOf(task),
        });
      }
    },
  },
} satisfies Record<string, WorkflowKind>;

export type WorkflowKindName = keyof typeof WORKFLOW_KINDS;
