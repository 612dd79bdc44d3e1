import type { WorkflowKind } from '../../core/workflow-kind';
import { continueAsNewSettings, type ContinueAsNewConfig } from './settings';
import type { IamCases } from '../../../simulator/iam-cases';
import type { LocalRun } from '../../../simulator/local-run';
import { BATCH_DEFINITION_FILES, definitionFiles } from './definitions';
import { KIND } from './defaults';

/** Continue-as-new jobs: the work in a loop, carried on by successor executions (`jobs`, or the default job). */
export const continueAsNewKind: WorkflowKind<ContinueAsNewConfig, LocalRun<any>, IamCases> = {
  name: KIND,
  diagrams: {
    'continue-as-new': { files: definitionFiles('integration') },
    'continue-as-new-restart-function': { files: definitionFiles('function') },
    'continue-as-new-express': { files: definitionFiles('integration', 'express') },
    'continue-as-new-batch': { files: BATCH_DEFINITION_FILES },
  },
  settings: continueAsNewSettings,
  fromConfig: (stack, config) => {
    // Loaded when a stack is built, not with the registry: the tools read the registry without cdktf.
    const { ContinueAsNew } = require('./continue-as-new') as typeof import('./continue-as-new');
    for (const [job, settings] of Object.entries(config.jobs)) new ContinueAsNew(stack, job, settings);
  },
  localRun: () => (require('./local-run') as typeof import('./local-run')).continueAsNewRun,
  iamCases: () => (require('./iam-cases') as typeof import('./iam-cases')).continueAsNewIamCases,
};
