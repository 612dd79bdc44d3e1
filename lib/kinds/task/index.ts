import { pollingStepValues, pollScheduleOf } from '../../core/polling';
import type { WorkflowKind } from '../../core/workflow-kind';
import { taskSettings, type TaskKindConfig } from './settings';
import type { IamCases } from '../../../simulator/iam-cases';
import type { LocalRun } from '../../../simulator/local-run';
import { KIND, TASK_DEFINITION_FILES, TASK_POLLING_STEP } from './defaults';

/** Long-running tasks: your start and check functions, polled with back-off until done, failed or timed out (`tasks`). */
export const taskKind: WorkflowKind<TaskKindConfig, LocalRun<any>, IamCases> = {
  name: KIND,
  diagrams: { task: { files: TASK_DEFINITION_FILES, shape: pollingStepValues(TASK_POLLING_STEP) } },
  settings: taskSettings,
  fromConfig: (stack, config) => {
    // Loaded when a stack is built, not with the registry: the tools read the registry without cdktf.
    const { LongRunningTask } = require('./long-running-task') as typeof import('./long-running-task');
    for (const [name, task] of Object.entries(config.tasks)) new LongRunningTask(stack, name, { ...task, polling: pollScheduleOf(task) });
  },
  localRun: () => (require('./local-run') as typeof import('./local-run')).taskRun,
  iamCases: () => (require('./iam-cases') as typeof import('./iam-cases')).taskIamCases,
};
