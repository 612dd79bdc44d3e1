import { isRdsIdentifier } from '../lambdas/shared/rds-identifier';
import { continueAsNewHistory, rdsSnapshotHistory } from './history-budget';

export const LOG_LEVELS = ['ALL', 'ERROR', 'FATAL', 'OFF'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** The retention periods CloudWatch Logs accepts (0: never expire). */
export const LOG_RETENTION_DAYS = [0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export interface WorkflowsConfig {
  readonly namePrefix: string;
  readonly region: string;
  readonly dbInstanceIdentifier: string;
  readonly loopThreshold: number;
  readonly restartCount: number;
  readonly pollIntervalSeconds: number;
  readonly maxPollIntervalSeconds: number;
  readonly snapshotMaxWaitMinutes: number;
  readonly logRetentionDays: number;
  readonly stateMachineLogLevel: LogLevel;
  readonly logExecutionData: boolean;
  readonly xrayTracing: boolean;
  readonly tags: Readonly<Record<string, string>>;
  /** Keep Terraform state in this S3 bucket; unset keeps it in a local file. */
  readonly stateBucket: string | undefined;
  readonly stateKeyPrefix: string;
  /** Region of the state bucket; unset means `region`. */
  readonly stateRegion: string | undefined;
}

/** Where each setting comes from: environment variable first, then cdktf.json context, then the default. */
export const SETTINGS: { readonly [K in keyof WorkflowsConfig]: { readonly env: string; readonly default: WorkflowsConfig[K] } } = {
  namePrefix: { env: 'WORKFLOWS_NAME_PREFIX', default: 'long-running' },
  region: { env: 'WORKFLOWS_REGION', default: 'us-east-1' },
  dbInstanceIdentifier: { env: 'WORKFLOWS_DB_INSTANCE_IDENTIFIER', default: 'database-1' },
  loopThreshold: { env: 'WORKFLOWS_LOOP_THRESHOLD', default: 100 },
  restartCount: { env: 'WORKFLOWS_RESTART_COUNT', default: 4 },
  pollIntervalSeconds: { env: 'WORKFLOWS_POLL_INTERVAL_SECONDS', default: 60 },
  maxPollIntervalSeconds: { env: 'WORKFLOWS_MAX_POLL_INTERVAL_SECONDS', default: 300 },
  snapshotMaxWaitMinutes: { env: 'WORKFLOWS_SNAPSHOT_MAX_WAIT_MINUTES', default: 720 },
  logRetentionDays: { env: 'WORKFLOWS_LOG_RETENTION_DAYS', default: 14 },
  stateMachineLogLevel: { env: 'WORKFLOWS_STATE_MACHINE_LOG_LEVEL', default: 'ERROR' },
  logExecutionData: { env: 'WORKFLOWS_LOG_EXECUTION_DATA', default: false },
  xrayTracing: { env: 'WORKFLOWS_XRAY_TRACING', default: false },
  tags: { env: 'WORKFLOWS_TAGS', default: {} },
  stateBucket: { env: 'WORKFLOWS_STATE_BUCKET', default: undefined },
  stateKeyPrefix: { env: 'WORKFLOWS_STATE_KEY_PREFIX', default: 'long-running-workflows' },
  stateRegion: { env: 'WORKFLOWS_STATE_REGION', default: undefined },
};

/** The stack id without environments; with them, `<STACK_ID>-<environment>`. */
export const STACK_ID = 'long-running-workflows';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Source = Readonly<Record<string, unknown>>;

/** The context cdktf passes from cdktf.json to the app. */
export function contextFromEnv(env: Source): Source {
  const json = env.CDKTF_CONTEXT_JSON;
  if (typeof json !== 'string' || json === '') return {};
  const context: unknown = JSON.parse(json);
  return context !== null && typeof context === 'object' ? (context as Source) : {};
}

/** Settings one environment block overrides, and its path in cdktf.json context (for messages). */
export interface Overrides {
  readonly values: Source;
  readonly path: string;
}

/**
 * Reads and validates every setting; throws one ConfigError naming each bad value and the rule
 * it breaks, before anything is synthesized. Precedence: `overrides` (an environment's block),
 * then the WORKFLOWS_* variable, then cdktf.json context, then the default.
 */
export function loadConfig(env: Source, context: Source = {}, overrides?: Overrides): WorkflowsConfig {
  const problems: string[] = [];
  const read = <K extends keyof WorkflowsConfig>(key: K, parse: (raw: unknown) => Parsed<WorkflowsConfig[K]>): WorkflowsConfig[K] => {
    const setting = SETTINGS[key];
    const fromEnv = env[setting.env];
    const [raw, origin] =
      overrides?.values[key] !== undefined
        ? [overrides.values[key], `context "${overrides.path}.${key}"`]
        : fromEnv !== undefined && fromEnv !== ''
          ? [fromEnv, setting.env]
          : context[key] !== undefined
            ? [context[key], `context "${key}"`]
            : [setting.default, `default of ${key}`];
    const parsed = parse(raw);
    if ('rule' in parsed) {
      problems.push(`${origin} = ${JSON.stringify(raw)}: ${parsed.rule}`);
      return setting.default;
    }
    return parsed.value;
  };

  const config: WorkflowsConfig = {
    namePrefix: read('namePrefix', (raw) =>
      text(raw, /^[a-z](?!.*--)[a-z0-9-]{0,31}(?<!-)$/, 'must be 1-32 lowercase letters, digits or single hyphens, starting with a letter and not ending with a hyphen'),
    ),
    region: read('region', (raw) => text(raw, REGION_RULE, REGION_TEXT)),
    dbInstanceIdentifier: read('dbInstanceIdentifier', (raw) =>
      typeof raw === 'string' && isRdsIdentifier(raw, 63)
        ? { value: raw }
        : { rule: 'must be an RDS DB instance identifier: 1-63 letters, digits or hyphens, first a letter, no two hyphens in a row, no trailing hyphen' },
    ),
    loopThreshold: read('loopThreshold', (raw) => integer(raw, 1, 100_000)),
    restartCount: read('restartCount', (raw) => integer(raw, 0, 1_000_000)),
    pollIntervalSeconds: read('pollIntervalSeconds', (raw) => integer(raw, 1, 3600)),
    maxPollIntervalSeconds: read('maxPollIntervalSeconds', (raw) => integer(raw, 1, 3600)),
    snapshotMaxWaitMinutes: read('snapshotMaxWaitMinutes', (raw) => integer(raw, 1, 7 * 24 * 60)),
    logRetentionDays: read('logRetentionDays', (raw) => {
      const days = integer(raw, 0, 3653);
      return 'value' in days && !LOG_RETENTION_DAYS.includes(days.value) ? { rule: `must be one of ${LOG_RETENTION_DAYS.join(', ')}` } : days;
    }),
    stateMachineLogLevel: read('stateMachineLogLevel', (raw) =>
      LOG_LEVELS.includes(raw as LogLevel) ? { value: raw as LogLevel } : { rule: `must be one of ${LOG_LEVELS.join(', ')}` },
    ),
    logExecutionData: read('logExecutionData', boolean),
    xrayTracing: read('xrayTracing', boolean),
    tags: read('tags', tags),
    stateBucket: read('stateBucket', optional((raw) => text(raw, /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name: 3-63 lowercase letters, digits, dots or hyphens'))),
    stateKeyPrefix: read('stateKeyPrefix', (raw) => text(raw, /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, 'must be an S3 key prefix such as "teams/data", without leading or trailing "/"')),
    stateRegion: read('stateRegion', optional((raw) => text(raw, REGION_RULE, REGION_TEXT))),
  };
  if (problems.length === 0) problems.push(...crossChecks(config));
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

const label = (key: keyof WorkflowsConfig) => `${key} (${SETTINGS[key].env})`;

function crossChecks(config: WorkflowsConfig): string[] {
  const problems: string[] = [];
  if (config.maxPollIntervalSeconds < config.pollIntervalSeconds) {
    problems.push(
      `${label('maxPollIntervalSeconds')} = ${config.maxPollIntervalSeconds}: must be at least ${label('pollIntervalSeconds')} = ${config.pollIntervalSeconds}`,
    );
  }
  const loop = continueAsNewHistory(config.loopThreshold);
  if (loop.events > loop.budget) {
    problems.push(
      `${label('loopThreshold')} = ${config.loopThreshold}: one continue-as-new execution could write ${loop.events} history events, ` +
        `over the budget of ${loop.budget} (80% of the 25,000-event quota); lower the threshold and raise restartCount`,
    );
  }
  const polling = rdsSnapshotHistory(pollSchedule(config));
  if (polling.events > polling.budget) {
    problems.push(
      `${label('snapshotMaxWaitMinutes')} = ${config.snapshotMaxWaitMinutes}: polling for that long could write ${polling.events} history events, ` +
        `over the budget of ${polling.budget} (80% of the 25,000-event quota); raise maxPollIntervalSeconds or shorten the wait`,
    );
  }
  return problems;
}

export function pollSchedule(config: WorkflowsConfig) {
  return {
    firstIntervalSeconds: config.pollIntervalSeconds,
    maxIntervalSeconds: config.maxPollIntervalSeconds,
    maxWaitSeconds: config.snapshotMaxWaitMinutes * 60,
  };
}

type Parsed<T> = { readonly value: T } | { readonly rule: string };

const REGION_RULE = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const REGION_TEXT = 'must be an AWS region code such as us-east-1';

function optional<T>(parse: (raw: unknown) => Parsed<T>): (raw: unknown) => Parsed<T | undefined> {
  return (raw) => (raw === undefined ? { value: undefined } : parse(raw));
}

function text(raw: unknown, pattern: RegExp, rule: string): Parsed<string> {
  return typeof raw === 'string' && pattern.test(raw) ? { value: raw } : { rule };
}

function integer(raw: unknown, min: number, max: number): Parsed<number> {
  const value = typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
    ? { value }
    : { rule: `must be a whole number from ${min} to ${max}` };
}

function boolean(raw: unknown): Parsed<boolean> {
  if (raw === true || raw === 'true') return { value: true };
  if (raw === false || raw === 'false') return { value: false };
  return { rule: 'must be true or false' };
}

const TAGS_RULE = 'must be a JSON object of string values, e.g. {"team":"data"}';

function tags(raw: unknown): Parsed<Record<string, string>> {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return { rule: TAGS_RULE };
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { rule: TAGS_RULE };
  for (const [key, tag] of Object.entries(value)) {
    if (key.length < 1 || key.length > 128 || key.toLowerCase().startsWith('aws:')) {
      return { rule: `tag key "${key}" must be 1-128 characters and not start with "aws:"` };
    }
    if (typeof tag !== 'string' || tag.length > 256) {
      return { rule: `tag "${key}" must have a string value of at most 256 characters` };
    }
  }
  return { value: value as Record<string, string> };
}

export interface StackConfig {
  readonly stackId: string;
  /** The environment's name, when cdktf.json context defines `environments`. */
  readonly environment?: string;
  readonly config: WorkflowsConfig;
}

const ENVIRONMENT_NAME = /^[a-z][a-z0-9]{0,11}$/;

/**
 * One stack, or with `environments` in context one stack per environment: each environment's
 * block overrides the shared settings, its name prefix defaults to `<shared prefix>-<name>` so
 * environments never share resource names, and an `environment` tag is added.
 */
export function loadStacks(env: Source, context: Source = {}): StackConfig[] {
  const environments = context.environments;
  if (environments === undefined) return [{ stackId: STACK_ID, config: loadConfig(env, context) }];
  if (environments === null || typeof environments !== 'object' || Array.isArray(environments) || Object.keys(environments).length === 0) {
    throw new ConfigError(['context "environments" must be an object of environment name -> settings, e.g. {"dev": {}, "prod": {"restartCount": 10}}']);
  }
  const problems: string[] = [];
  const stacks: StackConfig[] = [];
  const sharedPrefix = env[SETTINGS.namePrefix.env] || context.namePrefix || SETTINGS.namePrefix.default;
  for (const [name, block] of Object.entries(environments as Source)) {
    const label = `context "environments.${name}"`;
    if (!ENVIRONMENT_NAME.test(name)) {
      problems.push(`${label}: the name must be 1-12 lowercase letters or digits, starting with a letter`);
      continue;
    }
    if (block === null || typeof block !== 'object' || Array.isArray(block)) {
      problems.push(`${label}: must be an object of settings`);
      continue;
    }
    const unknown = Object.keys(block).filter((key) => !(key in SETTINGS));
    if (unknown.length > 0) {
      problems.push(`${label}: unknown setting ${unknown.map((key) => `"${key}"`).join(', ')} (known: ${Object.keys(SETTINGS).join(', ')})`);
      continue;
    }
    const values = { namePrefix: `${sharedPrefix}-${name}`, ...(block as Source) };
    try {
      const config = loadConfig(env, context, { values, path: `environments.${name}` });
      stacks.push({ stackId: `${STACK_ID}-${name}`, environment: name, config: { ...config, tags: { environment: name, ...config.tags } } });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems.map((problem) => `[${name}] ${problem}`));
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return stacks;
}
