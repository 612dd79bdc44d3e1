import { existsSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { partition } from '@aws-sdk/util-endpoints';
import { z } from 'zod';
import type { PolicyStatement } from '../core/iam';
import { ACTION_PATTERNS_OPT_IN, statementProblems } from '../core/statement-rules';
import { WORKFLOW_NAME_PATTERN } from '../core/names';
import { DEFAULT_OVERLAP, OVERLAPS, type Overlap } from '../core/overlap';
import { suggestion } from './nearest-name';
import { scheduleExpression } from './schedule-expression';

/** A parsed setting, or why it was refused. */
export type Parsed<T> = { readonly value: T } | { readonly problem: string };

/**
 * One setting's check: a Zod schema that gives the value's type and refuses what breaks the rule,
 * with each refusal's message as the configuration reports it ("must be a whole number from 1 to
 * 60"); the rule in words, as the docs' tables and the messages say it; and how the text of a
 * `WORKFLOWS_*` variable becomes the value the schema reads (a number, a boolean, JSON).
 */
export interface Check<S extends z.ZodType = z.ZodType> {
  /** Reads the JSON value of cdktf.json (or a variable's text, after `fromText`): its output is the setting's value. */
  readonly schema: S;
  /** What a value must be: "a whole number from 1 to 60". */
  readonly rule: string;
  /** A variable's text as the value the schema reads; `NOT_READABLE` when it cannot be (bad JSON). @default the text itself */
  readonly fromText?: (text: string) => unknown;
}

/** What `fromText` returns for a text it cannot read: the setting's rule is the problem. */
export const NOT_READABLE: unique symbol = Symbol('not readable');

/** The usual refusal: the rule itself. */
const breaks = (rule: string) => ({ error: () => `must be ${rule}` });

/**
 * Reads one raw value with its check. A variable's text (`source` "text") goes through `fromText`
 * first; a JSON value (cdktf.json, an environment's block, a construct's prop) is read as the type
 * it is, so a number written as a string is refused as such. The first issue the schema finds is
 * the problem.
 */
export function parseWith<S extends z.ZodType>(check: Check<S>, raw: unknown, source: 'text' | 'json' = 'json'): Parsed<z.output<S>> {
  const value = source === 'text' && typeof raw === 'string' && check.fromText ? check.fromText(raw) : raw;
  if (value === NOT_READABLE) return { problem: `must be ${check.rule}` };
  const result = check.schema.safeParse(value);
  if (result.success) return { value: result.data };
  if (source === 'json' && typeof raw === 'string' && check.fromText) {
    // What the text would be as a variable's: said, when it is what JSON should hold instead.
    const asText = check.fromText(raw);
    if (asText !== NOT_READABLE && typeof asText !== 'string' && check.schema.safeParse(asText).success) {
      return { problem: `must be ${check.rule}, as JSON: write ${JSON.stringify(asText)}, not the string ${JSON.stringify(raw)}` };
    }
  }
  return { problem: result.error.issues[0].message };
}

export function optional<S extends z.ZodType>(check: Check<S>): Check<z.ZodOptional<S>> {
  return { ...check, schema: check.schema.optional() };
}

export function text(pattern: RegExp, rule: string): Check<z.ZodString> {
  return { rule, schema: z.string(breaks(rule)).regex(pattern, breaks(rule)) };
}

/** Whole numbers, also from the text of an environment variable. */
export function integer(min: number, max: number): Check<z.ZodNumber> {
  const rule = `a whole number from ${min} to ${max}`;
  return {
    rule,
    schema: z.int(breaks(rule)).min(min, breaks(rule)).max(max, breaks(rule)),
    fromText: (raw) => (/^-?\d+$/.test(raw.trim()) ? Number(raw) : raw),
  };
}

export function oneOf<const T extends readonly [string, ...string[]] | readonly [number, ...number[]]>(values: T): Check<z.ZodType<T[number]>> {
  const rule = `one of ${values.join(', ')}`;
  const numeric = typeof values[0] === 'number';
  return {
    rule,
    schema: z.literal(values as unknown as T[number][], breaks(rule)) as unknown as z.ZodType<T[number]>,
    fromText: numeric ? (raw) => (/^\d+$/.test(raw) ? Number(raw) : raw) : undefined,
  };
}

export const boolean: Check<z.ZodBoolean> = {
  rule: 'true or false',
  schema: z.boolean(breaks('true or false')),
  fromText: (raw) => (raw === 'true' ? true : raw === 'false' ? false : raw),
};

/** JSON, from the text of an environment variable. */
const fromJson = (raw: string): unknown => {
  try {
    return JSON.parse(raw);
  } catch {
    return NOT_READABLE;
  }
};

/** A JSON value's check: `schema` reads the value, also from the text of an environment variable. */
export function json<S extends z.ZodType>(rule: string, schema: S): Check<S> {
  return { rule, schema, fromText: fromJson };
}

/** An object (not null, not an array) with any keys, refused with `message` otherwise. */
const anObject = (message: string) => z.record(z.string(), z.unknown(), { error: () => message });

const REGION_SHAPE = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * A region the AWS SDK's partition data lists (the data its endpoint resolution uses), not
 * only one shaped like a region: `us-east-99` is refused.
 */
export const region: Check<z.ZodType<string>> = {
  rule: 'an AWS region the AWS SDK knows, such as us-east-1',
  schema: z
    .string(breaks('an AWS region code such as us-east-1'))
    .regex(REGION_SHAPE, breaks('an AWS region code such as us-east-1'))
    .refine((raw) => (partition(raw) as { description?: string }).description !== undefined, {
      error: () => "is not an AWS region: the AWS SDK's partition data lists no such region",
    }),
};

const TAGS_RULE = 'a JSON object of string values, e.g. {"team":"data"}';

/** Tags: a JSON object of string values that AWS accepts as tag keys and values. */
export const tags: Check<z.ZodType<Record<string, string>>> = json(
  TAGS_RULE,
  anObject(`must be ${TAGS_RULE}`).superRefine((value, ctx) => {
    for (const [key, tag] of Object.entries(value)) {
      if (key.length < 1 || key.length > 128 || key.toLowerCase().startsWith('aws:')) {
        ctx.addIssue({ code: 'custom', message: `tag key "${key}" must be 1-128 characters and not start with "aws:"` });
        return;
      }
      if (typeof tag !== 'string' || tag.length > 256) {
        ctx.addIssue({ code: 'custom', message: `tag "${key}" must have a string value of at most 256 characters` });
        return;
      }
    }
  }) as unknown as z.ZodType<Record<string, string>>,
);
/** The shape of tags, as JSON Schema shows it (the checks above say the rest). */
const TAGS_SHAPE = z.record(z.string().min(1).max(128), z.string().max(256));

/**
 * A file of this repository, as a path relative to its root: where a setting names code to bundle.
 * Refused when it leaves the repository, does not exist, or is not TypeScript or JavaScript.
 */
/**
 * A handler entry of this repository. `moved` names files this project moved, old path -> new: a
 * configuration that still names one is told where it went.
 */
export function repositoryFile(root: string, moved: Readonly<Record<string, string>> = {}): Check<z.ZodType<string>> {
  const rule = 'a .ts or .js file of this repository, as a path from its root such as "lambdas/work.ts"';
  const noFile = (raw: string) => (Object.prototype.hasOwnProperty.call(moved, raw) ? `names no file: this project moved it to ${moved[raw]}` : `names no file: ${rule}`);
  return {
    rule,
    schema: z
      .string(breaks(rule))
      .refine((raw) => !isAbsolute(raw) && /\.(ts|js|mts|mjs)$/.test(raw), { ...breaks(rule), abort: true })
      .refine((raw) => !relative(root, resolve(root, raw)).startsWith('..'), { error: () => `must stay inside this repository: ${rule}`, abort: true })
      .refine((raw) => existsSync(resolve(root, raw)) && statSync(resolve(root, raw)).isFile(), { error: (issue) => noFile(String(issue.input)) })
      .meta({ pattern: '\\.(ts|js|mts|mjs)$' }),
  };
}

const ACTION = /^[a-z0-9-]+:[A-Za-z0-9*]+$/;
const STATEMENTS_RULE = 'a JSON array of IAM Allow statements naming actions and resources, e.g. [{"Action":["s3:GetObject"],"Resource":["arn:aws:s3:::my-bucket/*"]}]';
const STATEMENT_KEYS = ['Sid', 'Effect', 'Action', 'Resource', 'Condition', ACTION_PATTERNS_OPT_IN];
const oneOrMore = (item: z.ZodString) => z.union([item, z.array(item).min(1)]);
const list = (value: unknown) => (typeof value === 'string' ? [value] : value);

/** Why one IAM statement is refused, or undefined. */
function statementProblem(raw: unknown, at: string): string | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return `${at} must be an object: ${STATEMENTS_RULE}`;
  const statement = raw as Record<string, unknown>;
  const extra = Object.keys(statement).filter((key) => !STATEMENT_KEYS.includes(key));
  if (extra.length > 0) return `${at} may hold only Sid, Effect, Action, Resource, Condition and ${ACTION_PATTERNS_OPT_IN}, not ${extra.join(', ')}`;
  if (statement.Effect !== undefined && statement.Effect !== 'Allow') return `${at}: Effect must be "Allow" (the role allows nothing else to deny)`;
  const actions = list(statement.Action);
  const resources = list(statement.Resource);
  if (!Array.isArray(actions) || actions.length === 0 || !actions.every((a) => typeof a === 'string' && ACTION.test(a))) {
    return `${at}: Action must name one or more actions such as "s3:GetObject"`;
  }
  const broad = actions.find((action) => action === '*' || action.endsWith(':*'));
  if (broad) return `${at}: Action "${broad}" allows a whole service; name the actions the work calls`;
  if (!Array.isArray(resources) || resources.length === 0 || !resources.every((r) => typeof r === 'string' && r.length > 0)) {
    return `${at}: Resource must name one or more resources (ARNs)`;
  }
  if (statement.Sid !== undefined && (typeof statement.Sid !== 'string' || !/^[A-Za-z0-9]+$/.test(statement.Sid))) return `${at}: Sid must be letters and digits`;
  if (statement.Condition !== undefined && (statement.Condition === null || typeof statement.Condition !== 'object')) return `${at}: Condition must be an object`;
  const optIn = statement[ACTION_PATTERNS_OPT_IN];
  if (optIn !== undefined && typeof optIn !== 'boolean') return `${at}: ${ACTION_PATTERNS_OPT_IN} must be true or false`;
  return undefined;
}

/** One IAM statement as written: what JSON Schema shows an editor. */
const STATEMENT_SHAPE = z
  .object({
    Sid: z.string().regex(/^[A-Za-z0-9]+$/).optional(),
    Effect: z.literal('Allow').optional(),
    Action: oneOrMore(z.string().regex(ACTION)),
    Resource: oneOrMore(z.string().min(1)),
    Condition: z.record(z.string(), z.unknown()).optional(),
    [ACTION_PATTERNS_OPT_IN]: z.boolean().describe('lets this statement use action patterns such as "s3:Get*", each action they match still held to the statement rules').optional(),
  })
  .strict();

/**
 * IAM statements for a role: Allow only, named actions (no `*` or `service:*`), resources
 * given, nothing but Sid, Effect, Action, Resource and Condition. Sids default to `<sidPrefix><n>`.
 */
export function policyStatements(sidPrefix: string): Check<z.ZodType<PolicyStatement[]>> {
  const schema = z
    .array(z.unknown(), breaks(STATEMENTS_RULE))
    .superRefine((value, ctx) => {
      const problem = value.map((statement, i) => statementProblem(statement, `statement ${i}`)).find((found) => found !== undefined);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .transform((value) =>
      (value as Record<string, unknown>[]).map(
        (statement, i): PolicyStatement => ({
          Sid: (statement.Sid as string | undefined) ?? `${sidPrefix}${i}`,
          Effect: 'Allow',
          Action: list(statement.Action) as string[],
          Resource: list(statement.Resource) as string[],
          ...(statement.Condition ? { Condition: statement.Condition as PolicyStatement['Condition'] } : {}),
          ...(statement[ACTION_PATTERNS_OPT_IN] === true ? { [ACTION_PATTERNS_OPT_IN]: true } : {}),
        }),
      ),
    );
  return json(STATEMENTS_RULE, withShape(schema, z.array(STATEMENT_SHAPE)));
}

/**
 * A workflow's configured statements held to the statement rules (lib/core/statement-rules.ts),
 * one line per problem naming the workflow, where the statement is, which one, and the rule. The
 * stack's own resources are those named `<namePrefix>-*`, as every configured workflow's are.
 */
export function addedStatementProblems(workflow: string, at: string, statements: readonly PolicyStatement[], namePrefix: string): string[] {
  return statements.flatMap((statement, i) => statementProblems(statement, { names: [`${namePrefix}-*`] }).map((problem) => `${workflow}: ${at} statement ${i} (Sid ${statement.Sid}): ${problem}`));
}

/** When EventBridge Scheduler starts a workflow. */
export interface StartSchedule {
  /** An EventBridge Scheduler expression: `cron(...)`, `rate(...)` or `at(...)`. */
  readonly expression: string;
  /** An IANA time zone, e.g. `Europe/Berlin`. */
  readonly timezone: string;
  /** A start while a run it started is still running: `skip` ends it at once, succeeded (the default); `allow` runs both. */
  readonly overlap?: Overlap;
}

/** The time zone as the IANA database spells it, or undefined when it names none (Node's ICU carries the database). */
function ianaZone(zone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

const SCHEDULE_RULE = '{"expression": "cron(...)", "rate(...)" or "at(...)", "timezone": "<IANA time zone>" (default UTC), "overlap": "skip" (default) or "allow"}';

/** A schedule, read: its expression and time zone, or why not. */
export function readSchedule(raw: unknown): Parsed<StartSchedule> {
  const schedule = raw as Record<string, unknown> | null;
  if (schedule === null || typeof schedule !== 'object' || Array.isArray(schedule)) return { problem: `must be ${SCHEDULE_RULE}` };
  const expression = scheduleExpression(schedule.expression);
  if ('problem' in expression) return { problem: `"schedule": ${expression.problem}` };
  const extra = Object.keys(schedule).filter((key) => key !== 'expression' && key !== 'timezone' && key !== 'overlap');
  if (extra.length > 0) return { problem: `"schedule": "${extra[0]}" is not a schedule setting${suggestion(extra[0], ['expression', 'timezone', 'overlap'])}` };
  const overlap = schedule.overlap ?? DEFAULT_OVERLAP;
  if (!OVERLAPS.includes(overlap as Overlap)) return { problem: `"overlap" must be one of ${OVERLAPS.join(', ')}, got ${JSON.stringify(overlap)}` };
  const timezone = schedule.timezone ?? 'UTC';
  const zone = typeof timezone === 'string' ? ianaZone(timezone) : undefined;
  if (typeof timezone !== 'string' || zone === undefined) return { problem: `"timezone" must be an IANA time zone such as "Europe/Berlin", got ${JSON.stringify(timezone)}` };
  // ICU reads zones in any case; Scheduler wants the database's spelling.
  if (zone !== timezone && zone.toLowerCase() === timezone.toLowerCase()) return { problem: `"timezone" ${JSON.stringify(timezone)} must be spelled as the IANA database does: "${zone}"` };
  return { value: { expression: expression.value, timezone, overlap: overlap as Overlap } };
}

/** A schedule as written: what JSON Schema shows an editor. */
export const SCHEDULE_SHAPE = z
  .object({
    expression: z.string().regex(/^(cron|rate|at)\(.*\)$/).describe('an EventBridge Scheduler expression: cron(...), rate(...) or at(...)'),
    timezone: z.string().describe('an IANA time zone such as Europe/Berlin').optional(),
    overlap: z.enum(['skip', 'allow']).describe('a start while a run this schedule started still runs: skip ends it at once, succeeded (default); allow runs both').optional(),
  })
  .strict();

/** The check `schema` makes, with `shape` as the JSON Schema of its input: what an editor is shown of a value the checks read by hand. */
export function withShape<S extends z.ZodType>(schema: S, shape: z.ZodType): S {
  SHAPES.set(schema, shape);
  return schema;
}
/** The input shapes of schemas whose checks are written out (read by `inputShape`). */
const SHAPES = new WeakMap<z.ZodType, z.ZodType>();

/** The JSON Schema input shape of a setting's schema: its own, or the one `withShape` gave it. */
export const inputShape = (schema: z.ZodType): z.ZodType => {
  const inner = schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
  const shape = SHAPES.get(inner);
  return shape ? (schema instanceof z.ZodOptional ? shape.optional() : shape) : schema;
};

/** An EventBridge Scheduler schedule: its expression and time zone. */
export const startSchedule: Check<z.ZodType<StartSchedule>> = json(
  SCHEDULE_RULE,
  withShape(
    z.unknown().transform((raw, ctx) => {
      const read = readSchedule(raw);
      if ('value' in read) return read.value;
      ctx.addIssue({ code: 'custom', message: read.problem });
      return z.NEVER;
    }),
    SCHEDULE_SHAPE,
  ),
);

const VARIABLES_RULE = 'a JSON object of environment variable names (letters, digits, underscores; not AWS_...) -> string values, e.g. {"EXPORT_BUCKET": "acme-exports"}';

/** A function's environment variables, as Lambda accepts them; the `AWS_` names are Lambda's own. */
export const environmentVariables: Check<z.ZodType<Record<string, string>>> = json(
  VARIABLES_RULE,
  withShape(
    anObject(`must be ${VARIABLES_RULE}`).superRefine((value, ctx) => {
      for (const [name, text] of Object.entries(value)) {
        if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name) || name.startsWith('AWS_')) return ctx.addIssue({ code: 'custom', message: `variable "${name}": ${VARIABLES_RULE}` });
        if (typeof text !== 'string') return ctx.addIssue({ code: 'custom', message: `variable "${name}" must have a string value, got ${JSON.stringify(text)}` });
      }
    }) as unknown as z.ZodType<Record<string, string>>,
    z.record(z.string().regex(/^(?!AWS_)[A-Za-z][A-Za-z0-9_]*$/), z.string()),
  ),
);
withShape(tags.schema, TAGS_SHAPE);

/**
 * Named workflows' shape, such as the jobs': name -> that one's settings, which are then read one
 * by one with `entry`'s checks. `entry` is the JSON Schema of one's settings, as an editor is shown it.
 */
export function namedSettings(noun: string, example: string, entry: z.ZodType): Check<z.ZodType<Record<string, Record<string, unknown>>>> {
  const rule = `a JSON object of ${noun} name -> that ${noun}'s settings, e.g. ${example}`;
  return json(
    rule,
    withShape(
      anObject(`must be ${rule}`).superRefine((value, ctx) => {
        const found = Object.entries(value).find(([, settings]) => settings === null || typeof settings !== 'object' || Array.isArray(settings));
        if (found) ctx.addIssue({ code: 'custom', message: `${noun} "${found[0]}" must be an object of its settings (${JSON.stringify(found[1])}): ${rule}` });
      }) as unknown as z.ZodType<Record<string, Record<string, unknown>>>,
      z.record(z.string().regex(WORKFLOW_NAME_PATTERN), entry),
    ),
  );
}
