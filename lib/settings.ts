import { continueAsNewBudget, DEFAULT_MAX_GENERATIONS, MAX_GENERATIONS_LIMIT, RESTART_MODES, type RestartWith } from './definitions';
import type { PolicyStatement } from './iam';
import { boolean, integer, oneOf, optional, policyStatements, region, repositoryFile, snapshotTargets, tags, text, type Parser, type SnapshotTarget } from './parse';
import { PROJECT_DIR } from './paths';

export const LOG_LEVELS = ['ALL', 'ERROR', 'FATAL', 'OFF'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** The retention periods CloudWatch Logs accepts (0: never expire). */
export const LOG_RETENTION_DAYS = [0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export interface Setting<T> {
  /** The environment variable that sets it (context key: the setting's own name). */
  readonly env: string;
  readonly default: T;
  /** The default as the README shows it, where the value alone would not say it. */
  readonly defaultText?: string;
  readonly description: string;
  /** Where the README lists it. */
  readonly group: 'all' | 'continue-as-new' | 'rds-snapshot' | 'state';
  readonly parser: Parser<T>;
}

const setting = <T>(definition: Setting<T>): Setting<T> => definition;

/** Iterations per execution: at most what the history budget derived from each restart mode's definition allows. */
function iterationLimit(): Parser<number> {
  const limits = RESTART_MODES.map((mode) => `${continueAsNewBudget(mode).maxIterations} with restartWith ${mode}`);
  const most = Math.max(...RESTART_MODES.map((mode) => continueAsNewBudget(mode).maxIterations));
  return { rule: `a whole number from 1 to the history budget's limit: ${limits.join(', ')}`, parse: integer(1, most).parse };
}

/**
 * Every setting: its variable, default, rule and meaning. The configuration's type, the loader,
 * the messages and the README's settings table all come from here.
 */
export const SETTINGS = {
  namePrefix: setting({
    env: 'WORKFLOWS_NAME_PREFIX',
    default: 'long-running',
    description: 'prefixes every resource name',
    group: 'all',
    parser: text(/^[a-z](?!.*--)[a-z0-9-]{0,31}(?<!-)$/, '1-32 lowercase letters, digits or single hyphens, starting with a letter and not ending with a hyphen'),
  }),
  region: setting({ env: 'WORKFLOWS_REGION', default: 'us-east-1', description: 'region to deploy to', group: 'all', parser: region }),
  workEntry: setting({
    env: 'WORKFLOWS_WORK_ENTRY',
    default: 'lambdas/work.ts',
    description: 'the work handler continue-as-new calls (exports `handler`); see [Run your own job](#run-your-own-job)',
    group: 'continue-as-new',
    parser: repositoryFile(PROJECT_DIR),
  }),
  workTimeoutSeconds: setting({
    env: 'WORKFLOWS_WORK_TIMEOUT_SECONDS',
    default: 60,
    description: 'timeout of one work call',
    group: 'continue-as-new',
    parser: integer(1, 900),
  }),
  workMemoryMb: setting({ env: 'WORKFLOWS_WORK_MEMORY_MB', default: 256, description: 'memory of the work function', group: 'continue-as-new', parser: integer(128, 10_240) }),
  workPolicyStatements: setting<readonly PolicyStatement[]>({
    env: 'WORKFLOWS_WORK_POLICY_STATEMENTS',
    default: [],
    defaultText: '`[]` (logs only)',
    description: "what the work function may call, added to its role's policy",
    group: 'continue-as-new',
    parser: policyStatements('Work'),
  }),
  iterationsPerExecution: setting<number | undefined>({
    env: 'WORKFLOWS_ITERATIONS_PER_EXECUTION',
    default: undefined,
    defaultText: 'the most the history budget allows',
    description: 'work calls per execution before a successor takes over; the budget is derived from the definition',
    group: 'continue-as-new',
    parser: optional(iterationLimit()),
  }),
  maxGenerations: setting({
    env: 'WORKFLOWS_MAX_GENERATIONS',
    default: DEFAULT_MAX_GENERATIONS,
    description: 'executions one chain may run: a safety net, not the stop signal (the work\'s `done` is)',
    group: 'continue-as-new',
    parser: integer(1, MAX_GENERATIONS_LIMIT),
  }),
  restartWith: setting<RestartWith>({
    env: 'WORKFLOWS_RESTART_WITH',
    default: 'integration',
    description: "how an execution starts its successor: Step Functions' StartExecution integration, or the seed's restart function",
    group: 'continue-as-new',
    parser: oneOf(RESTART_MODES),
  }),
  snapshotTargets: setting<Readonly<Record<string, SnapshotTarget>>>({
    env: 'WORKFLOWS_SNAPSHOT_TARGETS',
    default: { 'database-1': { type: 'instance' } },
    description: 'the DB instances and Aurora clusters to snapshot, each optionally on an EventBridge Scheduler schedule; an execution names its target (`{"target": "<identifier>"}`)',
    group: 'rds-snapshot',
    parser: snapshotTargets,
  }),
  snapshotKeepLast: setting({
    env: 'WORKFLOWS_SNAPSHOT_KEEP_LAST',
    default: 7,
    description: "after each snapshot, this workflow's snapshots of the target beyond the newest this many are deleted (0: no count limit)",
    group: 'rds-snapshot',
    parser: integer(0, 100),
  }),
  snapshotMaxAgeDays: setting({
    env: 'WORKFLOWS_SNAPSHOT_MAX_AGE_DAYS',
    default: 0,
    description: "after each snapshot, this workflow's snapshots of the target older than this are deleted (0: no age limit; both 0: retention off)",
    group: 'rds-snapshot',
    parser: integer(0, 3650),
  }),
  pollIntervalSeconds: setting({
    env: 'WORKFLOWS_POLL_INTERVAL_SECONDS',
    default: 60,
    description: 'first wait before describing the snapshot; each later wait doubles',
    group: 'rds-snapshot',
    parser: integer(1, 3600),
  }),
  maxPollIntervalSeconds: setting({
    env: 'WORKFLOWS_MAX_POLL_INTERVAL_SECONDS',
    default: 300,
    description: 'cap of the doubling poll interval; at least pollIntervalSeconds',
    group: 'rds-snapshot',
    parser: integer(1, 3600),
  }),
  snapshotMaxWaitMinutes: setting({
    env: 'WORKFLOWS_SNAPSHOT_MAX_WAIT_MINUTES',
    default: 720,
    description: 'polling gives up (`SnapshotTimeout`) after this long; the whole poll schedule must fit the history budget',
    group: 'rds-snapshot',
    parser: integer(1, 7 * 24 * 60),
  }),
  logRetentionDays: setting({
    env: 'WORKFLOWS_LOG_RETENTION_DAYS',
    default: 14,
    description: 'retention of every log group (0: never expire)',
    group: 'all',
    parser: oneOf(LOG_RETENTION_DAYS),
  }),
  stateMachineLogLevel: setting<LogLevel>({
    env: 'WORKFLOWS_STATE_MACHINE_LOG_LEVEL',
    default: 'ERROR',
    description: 'what the state machines log',
    group: 'all',
    parser: oneOf(LOG_LEVELS),
  }),
  logExecutionData: setting({
    env: 'WORKFLOWS_LOG_EXECUTION_DATA',
    default: false,
    description: 'include inputs and outputs in the state machine logs',
    group: 'all',
    parser: boolean,
  }),
  xrayTracing: setting({ env: 'WORKFLOWS_XRAY_TRACING', default: false, description: 'X-Ray tracing of both state machines', group: 'all', parser: boolean }),
  tags: setting<Readonly<Record<string, string>>>({
    env: 'WORKFLOWS_TAGS',
    default: {},
    description: 'applied to every resource (provider default tags) and every snapshot',
    group: 'all',
    parser: tags,
  }),
  alertEmail: setting<string | undefined>({
    env: 'WORKFLOWS_ALERT_EMAIL',
    default: undefined,
    defaultText: 'unset (the topic only)',
    description: 'subscribed to the failure alerts topic (AWS mails a confirmation link first)',
    group: 'all',
    parser: optional(text(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'an email address')),
  }),
  stateBucket: setting<string | undefined>({
    env: 'WORKFLOWS_STATE_BUCKET',
    default: undefined,
    defaultText: 'unset (local state)',
    description: 'S3 bucket for Terraform state; see [Remote state](#remote-state)',
    group: 'state',
    parser: optional(text(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name: 3-63 lowercase letters, digits, dots or hyphens')),
  }),
  stateKeyPrefix: setting({
    env: 'WORKFLOWS_STATE_KEY_PREFIX',
    default: 'long-running-workflows',
    description: 'state object key: `<prefix>/<stack>.tfstate`',
    group: 'state',
    parser: text(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, 'an S3 key prefix such as "teams/data", without leading or trailing "/"'),
  }),
  stateRegion: setting<string | undefined>({
    env: 'WORKFLOWS_STATE_REGION',
    default: undefined,
    defaultText: 'the deployment region',
    description: 'region of the state bucket',
    group: 'state',
    parser: optional(region),
  }),
};

export type SettingName = keyof typeof SETTINGS;
export type WorkflowsConfig = { readonly [K in SettingName]: (typeof SETTINGS)[K]['default'] };
