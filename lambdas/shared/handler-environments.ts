import { DeploymentError } from './errors';
import { STATE_MACHINE_ARN_RULE, STATE_MACHINE_ARN_TEXT } from './execution-arn';
import { isRdsIdentifier } from '../rds-snapshot/rds-identifier';
import { TARGET_TYPES, type TargetType } from '../rds-snapshot/snapshot-naming';

/**
 * Each handler's environment, declared once: its construct writes it (`write`), the handler reads
 * and checks it (`read`) at each call. No SDK here, so the constructs can import it at synth.
 */

/** How one value travels in a function's environment: written as a string by its construct, read back and checked by its handler. */
interface Variable<T> {
  /** What a valid value is, as an error about it says. */
  readonly rule: string;
  write(value: T): string;
  /** The value, or undefined when the text breaks the rule. */
  read(text: string): T | undefined;
  /** Unset or empty means no value, not a deployment error. @default false */
  readonly optional?: boolean;
}

/** A handler's environment: its variables, each declared once with its rule. */
export interface HandlerEnvironment<Values> {
  /** The variables a construct sets on the function, from typed values. */
  write(values: Values): Record<string, string>;
  /** Every variable, checked: a missing or malformed one is a DeploymentError naming each such variable and its rule. */
  read(env: Readonly<Record<string, string | undefined>>): Values;
}

/** `keepLast` is `KEEP_LAST`: the variable is named after the value it holds. */
const variableName = (key: string) => key.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase();

const quote = (text: string) => JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}...` : text);

// The builders are marked free of side effects, so a bundle keeps only the environment its
// handler reads, not every handler's: esbuild honours the mark only within this module.

/* @__NO_SIDE_EFFECTS__ */
function handlerEnvironment<Values extends object>(variables: { readonly [Key in keyof Values]: Variable<Values[Key]> }): HandlerEnvironment<Values> {
  const entries = (Object.keys(variables) as (keyof Values & string)[]).map((key) => [key, variableName(key), variables[key]] as const);
  return {
    // Not checked here: at synth a value may still hold Terraform references (an ARN built from the
    // account), which only the deployed function sees resolved.
    // An optional variable without a value is left out, not set empty.
    write: (values) =>
      Object.fromEntries(entries.flatMap(([key, name, variable]) => (variable.optional && values[key] === undefined ? [] : [[name, variable.write(values[key])]]))),
    read: (env) => {
      const problems: string[] = [];
      const values = Object.fromEntries(
        entries.map(([key, name, variable]) => {
          const text = env[name];
          if (variable.optional && (text === undefined || text === '')) return [key, undefined];
          const value = text === undefined ? undefined : variable.read(text);
          if (value === undefined) problems.push(`environment variable ${name} must be ${variable.rule}, ${text === undefined ? 'but it is not set' : `got ${quote(text)}`}`);
          return [key, value];
        }),
      );
      if (problems.length > 0) throw new DeploymentError(`the function is deployed wrong: ${problems.join('; ')}`);
      return values as Values;
    },
  };
}

/** A variable that may be unset (or empty): its value is then undefined. */
/* @__NO_SIDE_EFFECTS__ */
function optional<T>(variable: Variable<T>): Variable<T | undefined> {
  return { ...variable, rule: `${variable.rule}, or unset for none`, optional: true, write: (value) => (value === undefined ? '' : variable.write(value)) };
}

/** A whole number at least `min`, written in decimal. */
/* @__NO_SIDE_EFFECTS__ */
function wholeNumber(min: number): Variable<number> {
  return {
    rule: `a whole number >= ${min}`,
    write: String,
    read: (text) => (/^\d+$/.test(text) && Number.isSafeInteger(Number(text)) && Number(text) >= min ? Number(text) : undefined),
  };
}

/* @__NO_SIDE_EFFECTS__ */
function text(pattern: RegExp, rule: string): Variable<string> {
  return { rule, write: (value) => value, read: (value) => (pattern.test(value) ? value : undefined) };
}

/** A JSON object whose entries each pass `isEntry`, written with `JSON.stringify` in the order given. */
/* @__NO_SIDE_EFFECTS__ */
function jsonObject<Value>(
  rule: string,
  isEntry: (key: string, value: unknown) => value is Value,
  minEntries = 0,
): Variable<Readonly<Record<string, Value>>> {
  return {
    rule,
    write: (value) => JSON.stringify(value),
    read: (text) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return undefined;
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
      const entries = Object.entries(parsed);
      return entries.length >= minEntries && entries.every(([key, value]) => isEntry(key, value)) ? (parsed as Record<string, Value>) : undefined;
    },
  };
}

/** The targets a snapshot function may act on, by identifier. */
export type SnapshotTargets = Readonly<Record<string, TargetType>>;

const snapshotTargets = jsonObject(
  'a JSON object of at least one DB instance or cluster identifier -> "instance" or "cluster"',
  (identifier, type): type is TargetType => isRdsIdentifier(identifier, 63) && TARGET_TYPES.includes(type as TargetType),
  1,
);
/** The polling workflow's state machine name, which tags its snapshots as its own. */
const createdBy = text(/^[0-9A-Za-z_-]{1,80}$/, 'a state machine name');

export const CHECK_INPUT_ENVIRONMENT = handlerEnvironment<{
  readonly maxGenerations: number;
  /** Set for a job whose loop runs in Express batches, whose state is bounded tighter; unset for a Standard loop. */
  readonly loop?: 'express';
}>({ maxGenerations: wholeNumber(1), loop: optional(text(/^express$/, 'express') as Variable<'express'>) });

export const RESTART_ENVIRONMENT = handlerEnvironment<{ readonly stateMachineArn: string }>({
  stateMachineArn: text(STATE_MACHINE_ARN_RULE, STATE_MACHINE_ARN_TEXT),
});

export const CREATE_SNAPSHOT_ENVIRONMENT = handlerEnvironment<{
  readonly snapshotTargets: SnapshotTargets;
  readonly createdBy: string;
  /** Tags every snapshot gets beside the workflow's own. */
  readonly snapshotTags: Readonly<Record<string, string>>;
}>({
  snapshotTargets,
  createdBy,
  snapshotTags: jsonObject('a JSON object of tag key -> value', (_, value): value is string => typeof value === 'string'),
});

export const DESCRIBE_SNAPSHOT_ENVIRONMENT = handlerEnvironment<{ readonly snapshotTargets: SnapshotTargets }>({ snapshotTargets });

export const APPLY_RETENTION_ENVIRONMENT = handlerEnvironment<{
  readonly snapshotTargets: SnapshotTargets;
  readonly createdBy: string;
  /** Keep the newest this many of a target's snapshots, the new one included; 0: no count limit. */
  readonly keepLast: number;
  /** Delete snapshots older than this; 0: no age limit. */
  readonly maxAgeDays: number;
}>({ snapshotTargets, createdBy, keepLast: wholeNumber(0), maxAgeDays: wholeNumber(0) });

/**
 * The example export task's start function (set through the task's `environment` setting). The
 * rules are DynamoDB's own, so a value it would refuse fails at the first call as a deployment
 * error instead of as a ValidationException.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExportTableToPointInTime.html
 */
export const EXPORT_TABLE_ENVIRONMENT = handlerEnvironment<{ readonly exportTableArn: string; readonly exportBucket: string; readonly exportPrefix: string | undefined }>({
  // Table names: 3 to 255 of A-Z a-z 0-9 _ - . (DynamoDB's naming rules).
  exportTableArn: text(
    /^arn:aws(?:-[a-z]+)*:dynamodb:[a-z]+(?:-[a-z]+)+-\d+:\d{12}:table\/[A-Za-z0-9_.-]{3,255}$/,
    'a DynamoDB table ARN, arn:<partition>:dynamodb:<region>:<account>:table/<name>',
  ),
  exportBucket: text(/^(?=.{1,255}$)[a-z0-9A-Z]+[.\-\w]*[a-z0-9A-Z]+$/, 'an S3 bucket name (at most 255 letters, digits, ".", "-" or "_", starting and ending with a letter or digit)'),
  exportPrefix: optional(text(/^[\s\S]{1,1024}$/, 'an S3 key prefix of at most 1024 characters')),
});
