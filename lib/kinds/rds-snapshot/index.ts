import { pollingStepValues } from '../../core/polling';
import type { WorkflowKind } from '../../core/workflow-kind';
import { rdsSnapshotSettings, snapshotPollSchedule, type RdsSnapshotConfig } from './settings';
import type { IamCases } from '../../../simulator/iam-cases';
import type { LocalRun } from '../../../simulator/local-run';
import { KIND, SNAPSHOT_DEFINITION_FILES, SNAPSHOT_POLLING_STEP, SNAPSHOT_WORKFLOW_ID } from './defaults';
import { SNAPSHOT_RETRY_POLICIES } from './retry-policies';

/** RDS DB instance and Aurora cluster snapshots: one workflow for every configured target (`snapshotTargets`). */
export const rdsSnapshotKind: WorkflowKind<RdsSnapshotConfig, LocalRun<any>, IamCases> = {
  name: KIND,
  diagrams: { 'rds-snapshot': { files: SNAPSHOT_DEFINITION_FILES, shape: { ...pollingStepValues(SNAPSHOT_POLLING_STEP), ...SNAPSHOT_RETRY_POLICIES } } },
  settings: rdsSnapshotSettings,
  fromConfig: (stack, config) => {
    if (Object.keys(config.snapshotTargets).length === 0) return;
    // Loaded when a stack is built, not with the registry: the tools read the registry without cdktf.
    const { RdsSnapshot } = require('./rds-snapshot') as typeof import('./rds-snapshot');
    new RdsSnapshot(stack, SNAPSHOT_WORKFLOW_ID, {
      targets: config.snapshotTargets,
      retention: { keepLast: config.snapshotKeepLast, maxAgeDays: config.snapshotMaxAgeDays },
      snapshotTags: config.tags,
      polling: snapshotPollSchedule(config),
    });
  },
  localRun: () => (require('./local-run') as typeof import('./local-run')).rdsSnapshotRun,
  iamCases: () => (require('./iam-cases') as typeof import('./iam-cases')).rdsSnapshotIamCases,
};
