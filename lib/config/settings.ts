import { z } from 'zod';
import { WORKFLOW_NAME_PATTERN, WORKFLOW_NAME_RULE } from '../core/names';
import { boolean, inputShape, oneOf, optional, region, tags, text, type Check } from './parse';

export const LOG_LEVELS = ['ALL', 'ERROR', 'FATAL', 'OFF'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** The retention periods CloudWatch Logs accepts (0: never expire). */
export const LOG_RETENTION_DAYS = [0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** Where the docs list a shared setting (`<!-- settings:GROUP -->`); a kind's are listed under the kind's name. */
export type SettingGroup = 'all' | 'state';

/** One setting: its check (a Zod schema: the type and the rule), its default, and what the docs say of it. */
export interface Setting<S extends z.ZodType = z.ZodType> extends Check<S> {
  readonly default: z.output<S>;
  /** Must be given: no default stands in. @default false */
  readonly required?: boolean;
  /**
   * A map (name -> value) an environment's block merges key by key into the shared value given
   * (variable or context), a key set to `null` removed, instead of replacing it. @default false
   */
  readonly mergedByKey?: boolean;
  /** The default as the docs show it, where the value alone would not say it. */
  readonly defaultText?: string;
  readonly description: string;
  /** A shared setting's docs group. */
  readonly group?: SettingGroup;
  /**
   * Another valid value than the default, with any settings it needs beside it: what shows this
   * setting reaches the synthesized stack (`__tests__/settings-consumed.test.ts`), so one defined
   * but read by no construct fails a test.
   */
  readonly example: SettingExample;
}

/** A setting's sample value, and the settings it needs beside it (a batch cap needs the Express loop). */
export interface SettingExample {
  readonly value: unknown;
  readonly with?: Readonly<Record<string, unknown>>;
}

export const setting = <S extends z.ZodType>(definition: Setting<S>): Setting<S> => definition;

/**
 * A setting whose check works its rule out when first read (a getter, say from the definitions):
 * the rule is passed through, not copied, so loading the settings computes nothing.
 */
export function withCheck<S extends z.ZodType>(check: Check<S>, definition: Omit<Setting<S>, keyof Check<S>>): Setting<S> {
  const made = { ...definition, schema: check.schema, fromText: check.fromText } as Omit<Setting<S>, 'rule'>;
  return Object.defineProperty(made, 'rule', { get: () => check.rule, enumerable: true }) as Setting<S>;
}

/** A table of settings by name: the top-level ones, a kind's, one job's or task's. */
export type SettingsTable = Readonly<Record<string, Setting>>;

/** What a value of `setting` looks like in cdktf.json, for JSON Schema: its input shape, described. */
export const shapeOf = (setting: Setting, optional = !setting.required): z.ZodType => {
  const shape = inputShape(setting.schema);
  return (optional && !(shape instanceof z.ZodOptional) ? shape.optional() : shape).describe(setting.description);
};

/** One named entry's settings (a job's, a task's) as cdktf.json holds them: only its keys, the required ones given. */
export const entryShape = (table: SettingsTable): z.ZodType => z.strictObject(Object.fromEntries(Object.entries(table).map(([key, setting]) => [key, shapeOf(setting)])));

/** The values a table of settings yields: each setting's type, as its schema gives it. */
export type ValuesOf<Table extends SettingsTable> = { readonly [K in keyof Table]: z.output<Table[K]['schema']> };

/** The environment variable of a setting: `WORKFLOWS_` and its name in upper snake case (`workMemoryMb` -> `WORKFLOWS_WORK_MEMORY_MB`). */
export const variableOf = (name: string) => `WORKFLOWS_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

/** The settings every stack has, whatever its kinds: its names, region, logging, tags, alerts and state. Each kind's own are in its folder (`lib/kinds/<kind>/settings.ts`). */
export const SHARED_SETTINGS = {
  namePrefix: setting({
    example: { value: 'acme' },
    default: 'long-running',
    description: 'prefixes every resource name',
    group: 'all',
    ...text(WORKFLOW_NAME_PATTERN, WORKFLOW_NAME_RULE),
  }),
  region: setting({ example: { value: 'eu-west-1' }, default: 'us-east-1', description: 'region to deploy to', group: 'all', ...region }),
  logRetentionDays: setting({
    example: { value: 30 },
    default: 14,
    description: 'retention of every log group (0: never expire)',
    group: 'all',
    ...oneOf(LOG_RETENTION_DAYS),
  }),
  stateMachineLogLevel: setting({
    example: { value: 'ALL' },
    default: 'ERROR',
    description: 'what the state machines log',
    group: 'all',
    ...oneOf(LOG_LEVELS),
  }),
  logExecutionData: setting({
    example: { value: true },
    default: false,
    description: 'include inputs and outputs in the state machine logs',
    group: 'all',
    ...boolean,
  }),
  xrayTracing: setting({ example: { value: true }, default: false, description: 'X-Ray tracing of every state machine', group: 'all', ...boolean }),
  kmsKeyArn: setting({
    example: { value: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' },
    default: undefined,
    defaultText: 'unset (AWS-owned keys)',
    description: 'a customer managed KMS key for every state machine, log group, function and the alert topic; see [Your own KMS key](../README.md#your-own-kms-key) for the key policy it needs',
    group: 'all',
    ...optional(text(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/, 'a KMS key ARN, arn:<partition>:kms:<region>:<account>:key/<key id> (not an alias)')),
  }),
  tags: setting({
    example: { value: { team: 'data' } },
    default: {},
    description: 'applied to every resource (provider default tags) and every snapshot',
    group: 'all',
    mergedByKey: true,
    ...tags,
  }),
  alertEmail: setting({
    example: { value: 'ops@example.com' },
    default: undefined,
    defaultText: 'unset (the topic only)',
    description: 'subscribed to the failure alerts topic (AWS mails a confirmation link first)',
    group: 'all',
    ...optional(text(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'an email address')),
  }),
  stateBucket: setting({
    example: { value: 'acme-terraform-state' },
    default: undefined,
    defaultText: 'unset (local state)',
    description: 'S3 bucket for Terraform state; see [Remote state](#remote-state)',
    group: 'state',
    ...optional(text(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name: 3-63 lowercase letters, digits, dots or hyphens')),
  }),
  stateKeyPrefix: setting({
    example: { value: 'teams/data', with: { stateBucket: 'acme-terraform-state' } },
    default: 'long-running-workflows',
    description: 'state object key: `<prefix>/<stack>.tfstate`',
    group: 'state',
    ...text(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, 'an S3 key prefix such as "teams/data", without leading or trailing "/"'),
  }),
  stateRegion: setting({
    example: { value: 'eu-central-1', with: { stateBucket: 'acme-terraform-state' } },
    default: undefined,
    defaultText: 'the deployment region',
    description: 'region of the state bucket',
    group: 'state',
    ...optional(region),
  }),
};

/** The shared settings, read. */
export type SharedConfig = ValuesOf<typeof SHARED_SETTINGS>;

/**
 * Each kind's part of a stack's configuration, as its resolver makes it: declared by the kind's
 * own settings module (`declare module '../../config/settings'` in lib/kinds/<kind>/settings.ts),
 * so the configuration's type grows with the registry and this module names no kind.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface KindsConfig {}

/** One stack's configuration: the shared settings and every kind's part. */
export type WorkflowsConfig = SharedConfig & KindsConfig;
