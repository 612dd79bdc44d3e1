import { JOB_DEFAULTS, LOOP_MODES, MAX_EXPRESS_WORK_TIMEOUT_SECONDS, MAX_GENERATIONS_LIMIT, RESTART_MODES } from '../kinds/continue-as-new/defaults';
import { z } from 'zod';
import { WORKFLOW_NAME_PATTERN, WORKFLOW_NAME_RULE } from '../core/names';
import { TASK_DEFAULTS } from '../kinds/task/defaults';
import {
  boolean,
  environmentVariables,
  integer,
  namedSettings,
  oneOf,
  optional,
  policyStatements,
  region,
  repositoryFile,
  snapshotTargets,
  startSchedule,
  tags,
  text,
  inputShape,
  type Check,
} from './parse';
import { PROJECT_DIR } from '../core/paths';
import { SNAPSHOT_DEFAULTS } from '../kinds/rds-snapshot/defaults';
import { continueAsNewBudget } from '../kinds/continue-as-new/definitions';
import { iterationsProblem } from '../kinds/continue-as-new/definitions';

export const LOG_LEVELS = ['ALL', 'ERROR', 'FATAL', 'OFF'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** The retention periods CloudWatch Logs accepts (0: never expire). */
export const LOG_RETENTION_DAYS = [0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** Where the README lists a setting. */
export type SettingGroup = 'all' | 'continue-as-new' | 'rds-snapshot' | 'task' | 'state';

/** One setting: its check (a Zod schema: the type and the rule), its default, and what the docs say of it. */
export interface Setting<S extends z.ZodType = z.ZodType> extends Check<S> {
  readonly default: z.output<S>;
  /** Must be given: no default stands in. @default false */
  readonly required?: boolean;
  /** The default as the README shows it, where the value alone would not say it. */
  readonly defaultText?: string;
  readonly description: string;
  readonly group: SettingGroup;
}

const setting = <S extends z.ZodType>(definition: Setting<S>): Setting<S> => definition;

/** What a value of `setting` looks like in cdktf.json, for JSON Schema: its input shape, described. */
export const shapeOf = (setting: Setting, optional = !setting.required): z.ZodType => {
  const shape = inputShape(setting.schema);
  return (optional && !(shape instanceof z.ZodOptional) ? shape.optional() : shape).describe(setting.description);
};

/** One named entry's settings (a job's, a task's) as cdktf.json holds them: only its keys, the required ones given. */
export const entryShape = (table: Readonly<Record<string, Setting>>): z.ZodType => z.strictObject(Object.fromEntries(Object.entries(table).map(([key, setting]) => [key, shapeOf(setting)])));

/** The values a table of settings yields: each setting's type, as its schema gives it. */
export type ValuesOf<Table extends Readonly<Record<string, Setting>>> = { readonly [K in keyof Table]: z.output<Table[K]['schema']> };

/** The environment variable of a setting: `WORKFLOWS_` and its name in upper snake case (`workMemoryMb` -> `WORKFLOWS_WORK_MEMORY_MB`). */
export const variableOf = (name: string) => `WORKFLOWS_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

/** Iterations per execution: at most what the history budget derived from each restart and loop mode's definition allows. */
function iterationLimit(): Check<z.ZodNumber> {
  const budgets = LOOP_MODES.flatMap((loop) => RESTART_MODES.map((mode) => ({ loop, mode, most: continueAsNewBudget(mode, loop).maxIterations })));
  const limits = budgets.map(({ loop, mode, most }) => `${most} with restartWith ${mode}${loop === JOB_DEFAULTS.loop ? '' : ` and loop ${loop}`}`);
  const most = Math.max(...budgets.map((budget) => budget.most));
  return { ...integer(1, most), rule: `a whole number from 1 to the history budget's limit: ${limits.join(', ')}` };
}

/**
 * What one continue-as-new job may set: at the top level for the default job, or per job
 * under `jobs`. The defaults are the construct's own.
 */
export const JOB_SETTINGS = {
  workEntry: setting({
    default: JOB_DEFAULTS.workEntry,
    description: 'the work handler the job calls (exports `handler`); see [Run your own job](#run-your-own-job)',
    group: 'continue-as-new',
    ...repositoryFile(PROJECT_DIR),
  }),
  workTimeoutSeconds: setting({
    default: JOB_DEFAULTS.workTimeoutSeconds,
    description: 'timeout of one work call',
    group: 'continue-as-new',
    ...integer(1, 900),
  }),
  workMemoryMb: setting({ default: JOB_DEFAULTS.workMemoryMb, description: 'memory of the work function', group: 'continue-as-new', ...integer(128, 10_240) }),
  workPolicyStatements: setting({
    default: [],
    defaultText: '`[]` (logs only)',
    description: "what the work function may call, added to its role's policy",
    group: 'continue-as-new',
    ...policyStatements('Work'),
  }),
  iterationsPerExecution: setting({
    default: undefined,
    defaultText: 'the most the history budget allows',
    description: 'work calls (with `loop` express: batches) per execution before a successor takes over; the budget is derived from the definition',
    group: 'continue-as-new',
    ...optional(iterationLimit()),
  }),
  maxGenerations: setting({
    default: JOB_DEFAULTS.maxGenerations,
    description: 'executions one chain may run: a safety net, not the stop signal (the work\'s `done` is)',
    group: 'continue-as-new',
    ...integer(1, MAX_GENERATIONS_LIMIT),
  }),
  restartWith: setting({
    default: JOB_DEFAULTS.restartWith,
    description: "how an execution starts its successor: Step Functions' StartExecution integration, or a restart function",
    group: 'continue-as-new',
    ...oneOf(RESTART_MODES),
  }),
  loop: setting({
    default: JOB_DEFAULTS.loop,
    description: `how the work is called: a Standard Task per call, or in batches on an Express state machine \`<job machine>-batch\` (workTimeoutSeconds at most ${MAX_EXPRESS_WORK_TIMEOUT_SECONDS}); see [Standard or Express](#standard-or-express)`,
    group: 'continue-as-new',
    ...oneOf(LOOP_MODES),
  }),
  batchCalls: setting({
    default: undefined,
    defaultText: 'no cap but the batch\'s time',
    description: 'with `loop` express: at most this many work calls per batch',
    group: 'continue-as-new',
    ...optional(integer(1, 1_000_000)),
  }),
};

/** What one long-running task sets, under its name in `tasks`. The defaults are the construct's own. */
export const TASK_SETTINGS = {
  startEntry: setting({
    default: '',
    defaultText: 'required',
    required: true,
    description: 'your start function (exports `handler`, a `TaskStartHandler`); see [Run your own task](#run-your-own-task)',
    group: 'task',
    ...repositoryFile(PROJECT_DIR),
  }),
  checkEntry: setting({
    default: '',
    defaultText: 'required',
    required: true,
    description: 'your check function (exports `handler`, a `TaskCheckHandler`)',
    group: 'task',
    ...repositoryFile(PROJECT_DIR),
  }),
  policyStatements: setting({
    default: [],
    defaultText: '`[]` (logs only)',
    description: "what both functions may call, added to each one's role policy",
    group: 'task',
    ...policyStatements('Task'),
  }),
  environment: setting({
    default: {},
    description: "variables both functions get: the job's table, bucket, and the like",
    group: 'task',
    ...environmentVariables,
  }),
  pollIntervalSeconds: setting({ default: TASK_DEFAULTS.pollIntervalSeconds, description: 'first wait before check; each later wait doubles', group: 'task', ...integer(1, 3600) }),
  maxPollIntervalSeconds: setting({
    default: TASK_DEFAULTS.maxPollIntervalSeconds,
    description: 'cap of the doubling poll interval; at least pollIntervalSeconds',
    group: 'task',
    ...integer(1, 3600),
  }),
  maxWaitMinutes: setting({
    default: TASK_DEFAULTS.maxWaitMinutes,
    description: 'polling gives up (`TaskTimeout`) after this long; the whole poll schedule must fit the history budget',
    group: 'task',
    ...integer(1, 7 * 24 * 60),
  }),
  timeoutSeconds: setting({ default: TASK_DEFAULTS.timeoutSeconds, description: 'timeout of one call of start or check', group: 'task', ...integer(1, 900) }),
  schedule: setting({
    default: undefined,
    defaultText: 'unset (started by hand)',
    description: 'an EventBridge Scheduler schedule starting an execution with the input `{}`',
    group: 'task',
    ...optional(startSchedule),
  }),
};

export type TaskConfig = ValuesOf<typeof TASK_SETTINGS>;

export type JobSettingName = keyof typeof JOB_SETTINGS;
export type JobConfig = ValuesOf<typeof JOB_SETTINGS>;
/** The job the app runs when `jobs` is not set; its resources keep the names they always had. */
export const DEFAULT_JOB = 'continue-as-new';
/** Why a job's settings break a rule no single setting can check, or undefined. */
export function jobProblem(job: JobConfig): { setting: JobSettingName; problem: string; because: readonly JobSettingName[] } | undefined {
  if (job.loop !== 'express' && job.batchCalls !== undefined) return { setting: 'batchCalls', problem: 'applies only with loop express', because: ['loop'] };
  if (job.loop === 'express' && job.workTimeoutSeconds > MAX_EXPRESS_WORK_TIMEOUT_SECONDS) {
    return {
      setting: 'workTimeoutSeconds',
      problem: `must be at most ${MAX_EXPRESS_WORK_TIMEOUT_SECONDS} with loop express: a whole call must fit in a batch's 5 minutes with room to spare`,
      because: ['loop'],
    };
  }
  const problem = job.iterationsPerExecution === undefined ? undefined : iterationsProblem(job.iterationsPerExecution, job.restartWith, job.loop);
  return problem ? { setting: 'iterationsPerExecution', problem, because: job.loop === JOB_DEFAULTS.loop ? ['restartWith'] : ['restartWith', 'loop'] } : undefined;
}

export const SETTINGS = {
  namePrefix: setting({
    default: 'long-running',
    description: 'prefixes every resource name',
    group: 'all',
    ...text(WORKFLOW_NAME_PATTERN, WORKFLOW_NAME_RULE),
  }),
  region: setting({ default: 'us-east-1', description: 'region to deploy to', group: 'all', ...region }),
  jobs: setting({
    default: undefined,
    defaultText: `one job, \`${DEFAULT_JOB}\`, set by the keys below`,
    description: `the continue-as-new jobs by name (${WORKFLOW_NAME_RULE}), each with any of the keys below; each is a state machine \`<namePrefix>-<job>\`; \`{}\`: none`,
    group: 'continue-as-new',
    ...optional(namedSettings('job', '{"reindex": {"workEntry": "lambdas/reindex.ts"}, "backfill": {}}', entryShape(JOB_SETTINGS))),
  }),
  ...JOB_SETTINGS,
  tasks: setting({
    default: {},
    defaultText: '`{}` (none)',
    description: `your long-running tasks by name (${WORKFLOW_NAME_RULE}), each with the keys below; each is a state machine \`<namePrefix>-<task>\``,
    group: 'task',
    ...namedSettings('task', '{"export-orders": {"startEntry": "lambdas/task/export-table-start.ts", "checkEntry": "lambdas/task/export-table-check.ts"}}', entryShape(TASK_SETTINGS)),
  }),
  snapshotTargets: setting({
    default: { 'database-1': { type: 'instance' } },
    description: 'the DB instances and Aurora clusters to snapshot, each optionally on an EventBridge Scheduler schedule; an execution names its target (`{"target": "<identifier>"}`); `{}`: no snapshot workflow',
    group: 'rds-snapshot',
    ...snapshotTargets,
  }),
  snapshotKeepLast: setting({
    default: SNAPSHOT_DEFAULTS.keepLast,
    description: "after each snapshot, this workflow's snapshots of the target beyond the newest this many are deleted (0: no count limit)",
    group: 'rds-snapshot',
    ...integer(0, 100),
  }),
  snapshotMaxAgeDays: setting({
    default: SNAPSHOT_DEFAULTS.maxAgeDays,
    description: "after each snapshot, this workflow's snapshots of the target older than this are deleted (0: no age limit; both 0: retention off)",
    group: 'rds-snapshot',
    ...integer(0, 3650),
  }),
  pollIntervalSeconds: setting({
    default: SNAPSHOT_DEFAULTS.pollIntervalSeconds,
    description: 'first wait before describing the snapshot; each later wait doubles',
    group: 'rds-snapshot',
    ...integer(1, 3600),
  }),
  maxPollIntervalSeconds: setting({
    default: SNAPSHOT_DEFAULTS.maxPollIntervalSeconds,
    description: 'cap of the doubling poll interval; at least pollIntervalSeconds',
    group: 'rds-snapshot',
    ...integer(1, 3600),
  }),
  snapshotMaxWaitMinutes: setting({
    default: SNAPSHOT_DEFAULTS.maxWaitMinutes,
    description: 'polling gives up (`SnapshotTimeout`) after this long; the whole poll schedule must fit the history budget',
    group: 'rds-snapshot',
    ...integer(1, 7 * 24 * 60),
  }),
  logRetentionDays: setting({
    default: 14,
    description: 'retention of every log group (0: never expire)',
    group: 'all',
    ...oneOf(LOG_RETENTION_DAYS),
  }),
  stateMachineLogLevel: setting({
    default: 'ERROR',
    description: 'what the state machines log',
    group: 'all',
    ...oneOf(LOG_LEVELS),
  }),
  logExecutionData: setting({
    default: false,
    description: 'include inputs and outputs in the state machine logs',
    group: 'all',
    ...boolean,
  }),
  xrayTracing: setting({ default: false, description: 'X-Ray tracing of every state machine', group: 'all', ...boolean }),
  tags: setting({
    default: {},
    description: 'applied to every resource (provider default tags) and every snapshot',
    group: 'all',
    ...tags,
  }),
  alertEmail: setting({
    default: undefined,
    defaultText: 'unset (the topic only)',
    description: 'subscribed to the failure alerts topic (AWS mails a confirmation link first)',
    group: 'all',
    ...optional(text(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'an email address')),
  }),
  stateBucket: setting({
    default: undefined,
    defaultText: 'unset (local state)',
    description: 'S3 bucket for Terraform state; see [Remote state](#remote-state)',
    group: 'state',
    ...optional(text(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name: 3-63 lowercase letters, digits, dots or hyphens')),
  }),
  stateKeyPrefix: setting({
    default: 'long-running-workflows',
    description: 'state object key: `<prefix>/<stack>.tfstate`',
    group: 'state',
    ...text(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, 'an S3 key prefix such as "teams/data", without leading or trailing "/"'),
  }),
  stateRegion: setting({
    default: undefined,
    defaultText: 'the deployment region',
    description: 'region of the state bucket',
    group: 'state',
    ...optional(region),
  }),
};

export type SettingName = keyof typeof SETTINGS;
/** The settings as read, before the jobs are resolved. */
export type SettingValues = ValuesOf<typeof SETTINGS>;
/** One stack's configuration: every setting, with the jobs resolved (the default job included). */
export type WorkflowsConfig = Omit<SettingValues, JobSettingName | 'jobs' | 'tasks'> & {
  readonly jobs: Readonly<Record<string, JobConfig>>;
  readonly tasks: Readonly<Record<string, TaskConfig>>;
};
