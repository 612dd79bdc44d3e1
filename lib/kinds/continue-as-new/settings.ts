import { z } from 'zod';
import { inside, said, type KindSettings } from '../../config/kind-settings';
import { addedStatementProblems, integer, namedSettings, oneOf, optional, parseWith, policyStatements, repositoryFile, type Check } from '../../config/parse';
import { entryShape, setting, withCheck, type ValuesOf } from '../../config/settings';
import { LAMBDA_MEMORY_MB, LAMBDA_TIMEOUT_SECONDS } from '../../core/lambda-limits';
import { HISTORY_BUDGET } from '../../core/history-budget';
import { WORKFLOW_NAME_RULE } from '../../core/names';
import { PROJECT_DIR } from '../../core/paths';
import { JOB_DEFAULTS, LOOP_MODES, MAX_EXPRESS_WORK_TIMEOUT_SECONDS, MAX_GENERATIONS_LIMIT, RESTART_MODES } from './defaults';
import { continueAsNewBudget, iterationsProblem } from './definitions';

/**
 * Iterations per execution: at most what the history budget derived from each restart and loop
 * mode's definition allows. The limits read the definitions, so they are worked out when a
 * message or the docs first ask, never when the settings load; the limit of a job's own modes is
 * its cross-check (`jobProblem`).
 */
function iterationLimit(): Check<z.ZodOptional<z.ZodNumber>> {
  let rule: string | undefined;
  const ruleText = () => {
    const budgets = LOOP_MODES.flatMap((loop) => RESTART_MODES.map((mode) => ({ loop, mode, most: continueAsNewBudget(mode, loop).maxIterations })));
    const limits = budgets.map(({ loop, mode, most }) => `${most} with restartWith ${mode}${loop === JOB_DEFAULTS.loop ? '' : ` and loop ${loop}`}`);
    return (rule ??= `a whole number from 1 to the history budget's limit: ${limits.join(', ')}`);
  };
  const refuse = { error: () => `must be ${ruleText()}` };
  return {
    get rule() {
      return ruleText();
    },
    // No loop iteration writes fewer than one event: the whole budget bounds every mode's limit.
    schema: z.int(refuse).min(1, refuse).max(HISTORY_BUDGET, refuse).optional(),
    fromText: integer(1, HISTORY_BUDGET).fromText,
  };
}

export const JOB_SETTINGS = {
  workEntry: setting({
    // Any other handler of this repository shows the setting reaches the work function's bundle.
    example: { value: 'lambdas/task/export-table-start.ts' },
    default: JOB_DEFAULTS.workEntry,
    description: 'the work handler the job calls (exports `handler`); see [Run your own job](#run-your-own-job)',
    ...repositoryFile(PROJECT_DIR),
  }),
  workTimeoutSeconds: setting({
    example: { value: 30 },
    default: JOB_DEFAULTS.workTimeoutSeconds,
    description: 'timeout of one work call',
    ...integer(LAMBDA_TIMEOUT_SECONDS.min, LAMBDA_TIMEOUT_SECONDS.max),
  }),
  workMemoryMb: setting({ example: { value: 512 }, default: JOB_DEFAULTS.workMemoryMb, description: 'memory of the work function', ...integer(LAMBDA_MEMORY_MB.min, LAMBDA_MEMORY_MB.max) }),
  workPolicyStatements: setting({
    example: { value: [{ Action: 's3:GetObject', Resource: 'arn:aws:s3:::archive/*' }] },
    default: [],
    defaultText: '`[]` (logs only)',
    description: "what the work function may call, added to its role's policy; held to the rules of [Security](../README.md#security)",
    ...policyStatements('Work'),
  }),
  iterationsPerExecution: withCheck(iterationLimit(), {
    example: { value: 100 },
    default: undefined,
    defaultText: 'the most the history budget allows',
    description: 'work calls (with `loop` express: batches) per execution before a successor takes over; the budget is derived from the definition',
  }),
  maxGenerations: setting({
    example: { value: 10 },
    default: JOB_DEFAULTS.maxGenerations,
    description: 'executions one chain may run: a safety net, not the stop signal (the work\'s `done` is)',
    ...integer(1, MAX_GENERATIONS_LIMIT),
  }),
  restartWith: setting({
    example: { value: 'function' },
    default: JOB_DEFAULTS.restartWith,
    description: "how an execution starts its successor: Step Functions' StartExecution integration, or a restart function",
    ...oneOf(RESTART_MODES),
  }),
  loop: setting({
    example: { value: 'express' },
    default: JOB_DEFAULTS.loop,
    description: `how the work is called: a Standard Task per call, or in batches on an Express state machine \`<job machine>-batch\` (workTimeoutSeconds at most ${MAX_EXPRESS_WORK_TIMEOUT_SECONDS}; deployed in both modes while workTimeoutSeconds allows, so a switch strands no running execution); see [Standard or Express](#standard-or-express)`,
    ...oneOf(LOOP_MODES),
  }),
  batchCalls: setting({
    example: { value: 10, with: { loop: 'express' } },
    default: undefined,
    defaultText: 'no cap but the batch\'s time',
    description: 'with `loop` express: at most this many work calls per batch',
    ...optional(integer(1, 1_000_000)),
  }),
};

export type JobSettingName = keyof typeof JOB_SETTINGS;
export type JobConfig = ValuesOf<typeof JOB_SETTINGS>;
/** The job the app runs when `jobs` is not set; its resources keep the names they always had. */
export const DEFAULT_JOB = 'continue-as-new';

/**
 * Why a job's settings break a rule no single setting can check, or undefined: the one
 * definition configuration and the construct (for a job added in code) both check.
 */
export function jobProblem(job: Pick<JobConfig, 'loop' | 'batchCalls' | 'workTimeoutSeconds' | 'iterationsPerExecution' | 'restartWith'>): { setting: JobSettingName; problem: string; because: readonly JobSettingName[] } | undefined {
  if (job.loop !== 'express' && job.batchCalls !== undefined) return { setting: 'batchCalls', problem: 'applies only with loop express', because: ['loop'] };
  if (job.loop === 'express' && job.workTimeoutSeconds > MAX_EXPRESS_WORK_TIMEOUT_SECONDS) {
    return {
      setting: 'workTimeoutSeconds',
      problem: `is too long for loop express: a whole call must fit in a batch's 5 minutes with room to spare, so at most ${MAX_EXPRESS_WORK_TIMEOUT_SECONDS}`,
      because: ['loop'],
    };
  }
  const problem = job.iterationsPerExecution === undefined ? undefined : iterationsProblem(job.iterationsPerExecution, job.restartWith, job.loop);
  return problem ? { setting: 'iterationsPerExecution', problem, because: job.loop === JOB_DEFAULTS.loop ? ['restartWith'] : ['restartWith', 'loop'] } : undefined;
}

/** Why one value of a job breaks its setting's own rule, or undefined: a construct checks its props with the settings' checks. */
export function jobSettingProblem<K extends JobSettingName>(key: K, value: unknown): string | undefined {
  const parsed = parseWith<z.ZodType>(JOB_SETTINGS[key], value);
  return 'problem' in parsed ? parsed.problem : undefined;
}

/** The kind's top-level settings: `jobs`, and the job keys (the default job's, or every job's defaults). */
export const CONTINUE_AS_NEW_SETTINGS = {
  jobs: setting({
    example: { value: { nightly: {} } },
    default: undefined,
    defaultText: `one job, \`${DEFAULT_JOB}\`, set by the keys below`,
    description: `the continue-as-new jobs by name (${WORKFLOW_NAME_RULE}), each with any of the keys below; each is a state machine \`<namePrefix>-<job>\`; \`{}\`: none`,
    mergedByKey: true,
    ...optional(namedSettings('job', '{"reindex": {"workEntry": "lambdas/reindex.ts"}, "backfill": {}}', entryShape(JOB_SETTINGS))),
  }),
  ...JOB_SETTINGS,
};

/** The kind's part of a stack's configuration. */
export interface ContinueAsNewConfig {
  /** Every job by name: `jobs` as configured, or the default job. */
  readonly jobs: Readonly<Record<string, JobConfig>>;
}

declare module '../../config/settings' {
  interface KindsConfig extends ContinueAsNewConfig {}
}

/**
 * The jobs: `jobs` as configured, or without it one job named `continue-as-new` set by the
 * top-level job keys. With `jobs` set, the top-level job keys are every job's defaults (an
 * environment's `maxGenerations` reaches all its jobs), and a job's own key wins.
 */
export const continueAsNewSettings: KindSettings<typeof CONTINUE_AS_NEW_SETTINGS, ContinueAsNewConfig> = {
  settings: CONTINUE_AS_NEW_SETTINGS,
  replaced: {
    loopThreshold: 'use iterationsPerExecution (its default is the most the history budget allows)',
    restartCount: 'a chain now runs until the work returns done: true; maxGenerations is its safety cap',
  },
  resolve: ({ values, entries }) => {
    if (values.jobs === undefined) return { jobs: { [DEFAULT_JOB]: Object.fromEntries(Object.keys(JOB_SETTINGS).map((key) => [key, values[key as JobSettingName]])) as unknown as JobConfig } };
    return { jobs: entries('jobs', 'job', JOB_SETTINGS, (key) => values[key]) };
  },
  workflows: ({ jobs }, { values, entryOrigin }) => Object.keys(jobs).map((id) => ({ id, at: values.jobs === undefined ? `job ${id}` : entryOrigin('jobs', id) })),
  crossChecks: ({ jobs }, { values, origins, entryOrigin, shared }) =>
    Object.entries(jobs).flatMap(([name, job]) => {
      const own = values.jobs?.[name];
      const originOf = (key: JobSettingName) => (own?.[key] !== undefined ? inside(entryOrigin('jobs', name), key) : origins[key]);
      const broken = jobProblem(job);
      return [
        ...(broken ? [`${said(originOf(broken.setting), job[broken.setting])}: ${broken.problem} (${broken.because.map(originOf).join(', ')})`] : []),
        ...addedStatementProblems(`job ${name}`, originOf('workPolicyStatements'), job.workPolicyStatements, shared.namePrefix),
      ];
    }),
};
