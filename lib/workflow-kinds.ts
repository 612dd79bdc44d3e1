import type { Construct } from 'constructs';
import { pollSchedule } from './config';
import { ContinueAsNew } from './continue-as-new';
import { DEFINITION_FILES } from './definitions';
import { RdsSnapshot } from './rds-snapshot';
import { SNAPSHOT_WORKFLOW_ID } from './rds-snapshot-defaults';
import type { WorkflowsConfig } from './settings';

/** What the app knows of a kind of workflow besides its construct. */
export interface WorkflowKind {
  /** The README's diagrams of it, by name: the `asl/` files each draws. */
  readonly diagrams: Readonly<Record<string, readonly string[]>>;
  /** Adds the workflows of this kind that the configuration asks for (none is fine). */
  readonly fromConfig: (stack: Construct, config: WorkflowsConfig) => void;
}

/**
 * Every kind of workflow, registered once: the stack creates each kind's configured workflows,
 * the docs draw each kind's diagrams, and the simulator (simulator/local-runs.ts) must run each.
 */
export const WORKFLOW_KINDS = {
  'continue-as-new': {
    diagrams: {
      'continue-as-new': DEFINITION_FILES.continueAsNew('integration'),
      'continue-as-new-restart-function': DEFINITION_FILES.continueAsNew('function'),
    },
    fromConfig: (stack, config) => {
      for (const [job, settings] of Object.entries(config.jobs)) new ContinueAsNew(stack, job, settings);
    },
  },
  'rds-snapshot': {
    diagrams: { 'rds-snapshot': DEFINITION_FILES.rdsSnapshot() },
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
} satisfies Record<string, WorkflowKind>;

export type WorkflowKindName = keyof typeof WORKFLOW_KINDS;
