import { existsSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { partition } from '@aws-sdk/util-endpoints';
import { isRdsIdentifier } from '../../lambdas/rds-snapshot/rds-identifier';
import { TARGET_TYPES, type TargetType } from '../../lambdas/rds-snapshot/snapshot-naming';
import type { PolicyStatement } from '../core/iam';
import { suggestion } from './nearest-name';
import { scheduleExpression } from './schedule-expression';

/** A parsed setting, or why it was refused. */
export type Parsed<T> = { readonly value: T } | { readonly problem: string };

/** Reads one setting's raw value (JSON from cdktf.json, or the text of a variable). */
export interface Parser<T> {
  /** What a value must be, as the README and the messages say it: "a whole number from 1 to 60". */
  readonly rule: string;
  parse(raw: unknown): Parsed<T>;
}

const refuse = (problem: string) => ({ problem });
/** The usual refusal: the rule itself. */
const breaks = (rule: string) => refuse(`must be ${rule}`);

export function optional<T>(parser: Parser<T>): Parser<T | undefined> {
  return { rule: parser.rule, parse: (raw) => (raw === undefined ? { value: undefined } : parser.parse(raw)) };
}

export function text(pattern: RegExp, rule: string): Parser<string> {
  return { rule, parse: (raw) => (typeof raw === 'string' && pattern.test(raw) ? { value: raw } : breaks(rule)) };
}

/** Whole numbers, also from the text of an environment variable. */
export function integer(min: number, max: number): Parser<number> {
  const rule = `a whole number from ${min} to ${max}`;
  return {
    rule,
    parse: (raw) => {
      const value = typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
      return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? { value } : breaks(rule);
    },
  };
}

export function oneOf<T extends string | number>(values: readonly T[]): Parser<T> {
  const rule = `one of ${values.join(', ')}`;
  return {
    rule,
    parse: (raw) => {
      const value = typeof raw === 'string' && typeof values[0] === 'number' && /^\d+$/.test(raw) ? Number(raw) : raw;
      return values.includes(value as T) ? { value: value as T } : breaks(rule);
    },
  };
}

export const boolean: Parser<boolean> = {
  rule: 'true or false',
  parse: (raw) => (raw === true || raw === 'true' ? { value: true } : raw === false || raw === 'false' ? { value: false } : breaks('true or false')),
};

/** A JSON value, also from the text of an environment variable. */
export function json<T>(rule: string, check: (value: unknown) => Parsed<T>): Parser<T> {
  return {
    rule,
    parse: (raw) => {
      if (typeof raw !== 'string') return check(raw);
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        return breaks(rule);
      }
      return check(value);
    },
  };
}

const REGION_SHAPE = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * A region the AWS SDK's partition data lists (the data its endpoint resolution uses), not
 * only one shaped like a region: `us-east-99` is refused.
 */
export const region: Parser<string> = {
  rule: 'an AWS region the AWS SDK knows, such as us-east-1',
  parse: (raw) => {
    if (typeof raw !== 'string' || !REGION_SHAPE.test(raw)) return breaks('an AWS region code such as us-east-1');
    return (partition(raw) as { description?: string }).description === undefined
      ? refuse("is not an AWS region: the AWS SDK's partition data lists no such region")
      : { value: raw };
  },
};

/**
 * An RDS DB instance or cluster identifier. RDS stores identifiers in lowercase and IAM matches
 * ARNs case-sensitively, so an uppercase one would name resources the policies never match:
 * refused, with the lowercase spelling to use.
 */
export function rdsIdentifier(kind: string): Parser<string> {
  const rule = `an RDS ${kind} identifier: 1-63 lowercase letters, digits or hyphens, first a letter, no two hyphens in a row, no trailing hyphen`;
  return {
    rule,
    parse: (raw) => {
      if (typeof raw !== 'string' || !isRdsIdentifier(raw, 63)) return breaks(rule);
      if (raw !== raw.toLowerCase()) {
        return refuse(`must be lowercase: RDS stores identifiers in lowercase and IAM matches ARNs case-sensitively; write "${raw.toLowerCase()}"`);
      }
      return { value: raw };
    },
  };
}

/** Tags: a JSON object of string values that AWS accepts as tag keys and values. */
export const tags: Parser<Record<string, string>> = json('a JSON object of string values, e.g. {"team":"data"}', (value) => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return breaks('a JSON object of string values, e.g. {"team":"data"}');
  for (const [key, tag] of Object.entries(value)) {
    if (key.length < 1 || key.length > 128 || key.toLowerCase().startsWith('aws:')) {
      return refuse(`tag key "${key}" must be 1-128 characters and not start with "aws:"`);
    }
    if (typeof tag !== 'string' || tag.length > 256) return refuse(`tag "${key}" must have a string value of at most 256 characters`);
  }
  return { value: value as Record<string, string> };
});

/**
 * A file of this repository, as a path relative to its root: where a setting names code to bundle.
 * Refused when it leaves the repository, does not exist, or is not TypeScript or JavaScript.
 */
export function repositoryFile(root: string): Parser<string> {
  const rule = 'a .ts or .js file of this repository, as a path from its root such as "lambdas/work.ts"';
  return {
    rule,
    parse: (raw) => {
      if (typeof raw !== 'string' || isAbsolute(raw) || !/\.(ts|js|mts|mjs)$/.test(raw)) return breaks(rule);
      const resolved = resolve(root, raw);
      if (relative(root, resolved).startsWith('..')) return refuse(`must stay inside this repository: ${rule}`);
      return existsSync(resolved) && statSync(resolved).isFile() ? { value: raw } : refuse(`names no file: ${rule}`);
    },
  };
}

const ACTION = /^[a-z0-9-]+:[A-Za-z0-9*]+$/;
const STATEMENTS_RULE = 'a JSON array of IAM Allow statements naming actions and resources, e.g. [{"Action":["s3:GetObject"],"Resource":["arn:aws:s3:::my-bucket/*"]}]';

/**
 * IAM statements for a role: Allow only, named actions (no `*` or `service:*`), resources
 * given, nothing but Sid, Effect, Action, Resource and Condition. Sids default to `<sidPrefix><n>`.
 */
export function policyStatements(sidPrefix: string): Parser<PolicyStatement[]> {
  return json(STATEMENTS_RULE, (value) => {
    if (!Array.isArray(value)) return breaks(STATEMENTS_RULE);
    const statements: PolicyStatement[] = [];
    for (const [i, raw] of value.entries()) {
      const at = `statement ${i}`;
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return refuse(`${at} must be an object: ${STATEMENTS_RULE}`);
      const statement = raw as Record<string, unknown>;
      const extra = Object.keys(statement).filter((key) => !['Sid', 'Effect', 'Action', 'Resource', 'Condition'].includes(key));
      if (extra.length > 0) return refuse(`${at} may hold only Sid, Effect, Action, Resource and Condition, not ${extra.join(', ')}`);
      if (statement.Effect !== undefined && statement.Effect !== 'Allow') return refuse(`${at}: Effect must be "Allow" (the role allows nothing else to deny)`);
      const list = (field: string) => (typeof statement[field] === 'string' ? [statement[field] as string] : statement[field]);
      const actions = list('Action');
      const resources = list('Resource');
      if (!Array.isArray(actions) || actions.length === 0 || !actions.every((a) => typeof a === 'string' && ACTION.test(a))) {
        return refuse(`${at}: Action must name one or more actions such as "s3:GetObject"`);
      }
      const broad = actions.find((action) => action === '*' || action.endsWith(':*'));
      if (broad) return refuse(`${at}: Action "${broad}" allows a whole service; name the actions the work calls`);
      if (!Array.isArray(resources) || resources.length === 0 || !resources.every((r) => typeof r === 'string' && r.length > 0)) {
        return refuse(`${at}: Resource must name one or more resources (ARNs)`);
      }
      const sid = statement.Sid ?? `${sidPrefix}${i}`;
      if (typeof sid !== 'string' || !/^[A-Za-z0-9]+$/.test(sid)) return refuse(`${at}: Sid must be letters and digits`);
      if (statement.Condition !== undefined && (statement.Condition === null || typeof statement.Condition !== 'object')) {
        return refuse(`${at}: Condition must be an object`);
      }
      statements.push({
        Sid: sid,
        Effect: 'Allow',
        Action: actions as string[],
        Resource: resources as string[],
        ...(statement.Condition ? { Condition: statement.Condition as PolicyStatement['Condition'] } : {}),
      });
    }
    return { value: statements };
  });
}

/** When EventBridge Scheduler starts a workflow. */
export interface StartSchedule {
  /** An EventBridge Scheduler expression: `cron(...)`, `rate(...)` or `at(...)`. */
  readonly expression: string;
  /** An IANA time zone, e.g. `Europe/Berlin`. */
  readonly timezone: string;
}

export interface SnapshotTarget {
  readonly type: TargetType;
  readonly schedule?: StartSchedule;
}

export const MAX_SNAPSHOT_TARGETS = 20;
const TARGETS_RULE =
  'a JSON object of DB instance or Aurora cluster identifiers, each {"type": "instance" or "cluster"}, optionally with ' +
  '"schedule": {"expression": "cron(...)", "rate(...)" or "at(...)", "timezone": "<IANA time zone>"}, e.g. {"database-1": {"type": "instance"}}';

/** The time zone as the IANA database spells it, or undefined when it names none (Node's ICU carries the database). */
function ianaZone(zone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** The DB instances and clusters to snapshot, each with its kind and, optionally, a schedule; none for no snapshot workflow. */
export const snapshotTargets: Parser<Record<string, SnapshotTarget>> = json(TARGETS_RULE, (value) => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return breaks(TARGETS_RULE);
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_SNAPSHOT_TARGETS) return refuse(`may name at most ${MAX_SNAPSHOT_TARGETS} targets (each adds to the functions' policies), got ${entries.length}`);
  const targets: Record<string, SnapshotTarget> = {};
  for (const [identifier, raw] of entries) {
    const at = `target "${identifier}"`;
    const id = rdsIdentifier('DB instance or cluster').parse(identifier);
    if ('problem' in id) return refuse(`${at}: ${id.problem}`);
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return refuse(`${at} must be an object such as {"type": "instance"}`);
    const target = raw as Record<string, unknown>;
    const extra = Object.keys(target).filter((key) => key !== 'type' && key !== 'schedule');
    if (extra.length > 0) return refuse(`${at}: "${extra[0]}" is not a target setting${suggestion(extra[0], ['type', 'schedule'])}`);
    if (!TARGET_TYPES.includes(target.type as TargetType)) return refuse(`${at}: "type" must be "instance" or "cluster", got ${JSON.stringify(target.type)}`);
    if (target.schedule === undefined) {
      targets[identifier] = { type: target.type as TargetType };
      continue;
    }
    const schedule = startSchedule.parse(target.schedule);
    if ('problem' in schedule) return refuse(`${at}: ${schedule.problem}`);
    targets[identifier] = { type: target.type as TargetType, schedule: schedule.value };
  }
  return { value: targets };
});

const SCHEDULE_RULE = '{"expression": "cron(...)", "rate(...)" or "at(...)", "timezone": "<IANA time zone>" (default UTC)}';

/** An EventBridge Scheduler schedule: its expression and time zone. */
export const startSchedule: Parser<StartSchedule> = json(SCHEDULE_RULE, (raw) => {
  const schedule = raw as Record<string, unknown> | null;
  if (schedule === null || typeof schedule !== 'object' || Array.isArray(schedule)) return breaks(SCHEDULE_RULE);
  const expression = scheduleExpression(schedule.expression);
  if ('problem' in expression) return refuse(`"schedule": ${expression.problem}`);
  const extra = Object.keys(schedule).filter((key) => key !== 'expression' && key !== 'timezone');
  if (extra.length > 0) return refuse(`"schedule": "${extra[0]}" is not a schedule setting${suggestion(extra[0], ['expression', 'timezone'])}`);
  const timezone = schedule.timezone ?? 'UTC';
  const zone = typeof timezone === 'string' ? ianaZone(timezone) : undefined;
  if (typeof timezone !== 'string' || zone === undefined) return refuse(`"timezone" must be an IANA time zone such as "Europe/Berlin", got ${JSON.stringify(timezone)}`);
  // ICU reads zones in any case; Scheduler wants the database's spelling.
  if (zone !== timezone && zone.toLowerCase() === timezone.toLowerCase()) return refuse(`"timezone" ${JSON.stringify(timezone)} must be spelled as the IANA database does: "${zone}"`);
  return { value: { expression: expression.value, timezone } };
});

const VARIABLES_RULE = 'a JSON object of environment variable names (letters, digits, underscores; not AWS_...) -> string values, e.g. {"EXPORT_BUCKET": "acme-exports"}';

/** A function's environment variables, as Lambda accepts them; the `AWS_` names are Lambda's own. */
export const environmentVariables: Parser<Record<string, string>> = json(VARIABLES_RULE, (value) => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return breaks(VARIABLES_RULE);
  for (const [name, text] of Object.entries(value)) {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name) || name.startsWith('AWS_')) return refuse(`variable "${name}": ${VARIABLES_RULE}`);
    if (typeof text !== 'string') return refuse(`variable "${name}" must have a string value, got ${JSON.stringify(text)}`);
  }
  return { value: value as Record<string, string> };
});

/**
 * Named workflows' shape, such as the jobs': name -> that one's settings, which are then read one
 * by one like the top-level ones.
 */
export function namedSettings(noun: string, example: string): Parser<Record<string, Record<string, unknown>>> {
  const rule = `a JSON object of ${noun} name -> that ${noun}'s settings, e.g. ${example}`;
  return json(rule, (value) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return breaks(rule);
    const entry = Object.entries(value).find(([, settings]) => settings === null || typeof settings !== 'object' || Array.isArray(settings));
    if (entry) return refuse(`${noun} "${entry[0]}" must be an object of its settings (${JSON.stringify(entry[1])}): ${rule}`);
    return { value: value as Record<string, Record<string, unknown>> };
  });
}
