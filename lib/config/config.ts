import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { z } from 'zod';
import { MAX_WORKFLOW_NAME_LENGTH, STACK_CONSTRUCT_IDS, WORKFLOW_NAME_PATTERN, WORKFLOW_NAME_RULE } from '../core/names';
import { PROJECT_DIR } from '../core/paths';
import { WORKFLOW_KINDS } from '../kinds';
import { inside, type ConfiguredWorkflow, type KindSettings, type Reading } from './kind-settings';
import { suggestion } from './nearest-name';
import { parseWith } from './parse';
import { SHARED_SETTINGS, variableOf, type SettingsTable, type SharedConfig, type ValuesOf, type WorkflowsConfig } from './settings';

/** Every kind's settings, from the registry: the configuration reads each kind's through its descriptor. */
const KINDS: readonly (KindSettings & { readonly kind: string })[] = WORKFLOW_KINDS.map((kind) => ({ ...(kind.settings as KindSettings), kind: kind.name }));

/** The shared settings listed before the kinds' (the rest follow them), as messages, the config and the docs have always listed them. */
const LEADING: readonly string[] = ['namePrefix', 'region'];
/** The shared settings in the order they are listed around the kinds'. */
const sharedIn = (leading: boolean) => Object.fromEntries(Object.entries(SHARED_SETTINGS).filter(([name]) => LEADING.includes(name) === leading));

/**
 * Every top-level setting: `namePrefix` and `region`, each kind's in the registry's order, the
 * other shared ones. A name is one setting: two kinds may not both take it.
 */
export const SETTINGS: SettingsTable = allSettings();

function allSettings(): SettingsTable {
  const all: Record<string, SettingsTable[string]> = { ...sharedIn(true) };
  const trailing = sharedIn(false);
  for (const { kind, settings } of KINDS) {
    for (const [name, setting] of Object.entries(settings)) {
      if (name in all || name in trailing) throw new Error(`lib/kinds/${kind}/settings.ts: the setting ${name} is already another's; a setting name is one setting`);
      all[name] = setting;
    }
  }
  return { ...all, ...trailing };
}

/** The docs' groups of settings: `all`, each kind's (by its name), `state`; each a `<!-- settings:GROUP -->` table. */
export function settingsGroups(): { group: string; settings: SettingsTable; perWorkflow?: KindSettings['perWorkflow'] }[] {
  const shared = (group: string) => Object.fromEntries(Object.entries(SHARED_SETTINGS).filter(([, setting]) => setting.group === group));
  return [{ group: 'all', settings: shared('all') }, ...KINDS.map(({ kind, settings, perWorkflow }) => ({ group: kind, settings, perWorkflow })), { group: 'state', settings: shared('state') }];
}

/** The stack id without environments; with them, `<STACK_ID>-<environment>`. */
export const STACK_ID = 'long-running-workflows';

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Source = Readonly<Record<string, unknown>>;

/** The context key of the environments: one stack each. */
export const ENVIRONMENTS = 'environments';
const SETTING_NAMES = Object.keys(SETTINGS);
const VARIABLES = new Map(SETTING_NAMES.map((name) => [variableOf(name), name]));
const VARIABLE_PREFIX = 'WORKFLOWS_';
/** Context CDKTF itself reads or adds (`cdktfRelativeModules`, `@cdktf/...`): not ours to check. */
const isCdktfKey = (key: string) => key.startsWith('cdktf') || key.startsWith('@cdktf/');

/**
 * The cdktf.json context: what the CDKTF CLI passes in CDKTF_CONTEXT_JSON, or, when a script
 * runs without the CLI, read from cdktf.json itself, so every tool sees the configuration synth sees.
 */
export function readContext(env: Source, projectDir = PROJECT_DIR): Source {
  const passed = env.CDKTF_CONTEXT_JSON;
  const context: unknown = typeof passed === 'string' && passed !== '' ? parseJson(passed, 'CDKTF_CONTEXT_JSON') : cdktfJson(projectDir).context;
  return context !== null && typeof context === 'object' && !Array.isArray(context) ? (context as Source) : {};
}

/**
 * cdktf.json's own top-level keys, as CDKTF reads them (@cdktf/commons' Config, the CLI's project
 * id and crash-report choice) and an editor's `$schema`, besides `context`.
 */
export const CDKTF_JSON_KEYS = ['$schema', 'app', 'language', 'output', 'codeMakerOutput', 'projectId', 'sendCrashReports', 'terraformProviders', 'terraformModules'] as const;

/** cdktf.json, its top-level keys checked: a misspelled one (`"contxt"`) would leave every setting at its default without a word. */
function cdktfJson(projectDir: string): { context?: unknown } {
  const json = parseJson(readFileSync(path.join(projectDir, 'cdktf.json'), 'utf8'), 'cdktf.json');
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new ConfigError(['cdktf.json must be a JSON object, as cdktf init writes it']);
  const known: readonly string[] = [...CDKTF_JSON_KEYS, 'context'];
  const unknown = Object.keys(json).filter((key) => !known.includes(key));
  if (unknown.length > 0) throw new ConfigError(unknown.map((key) => `cdktf.json "${key}" is not a key of cdktf.json${suggestion(key, known, (s) => `"${s}"`)}`));
  return json as { context?: unknown };
}

/** JSON, or a ConfigError naming the file and the line and column where it breaks. */
function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const at = /at position (\d+)/.exec(message);
    const before = at ? text.slice(0, Number(at[1])).split('\n') : undefined;
    const where = before ? ` at line ${before.length}, column ${before[before.length - 1].length + 1}` : '';
    throw new ConfigError([`${file} is not valid JSON${where}: ${message.replace(/ in JSON at position \d+.*$/, '')}`]);
  }
}

/** Settings this project had and replaced, each kind's own: a configuration that still names one is told what to do instead. */
const REPLACED: Readonly<Record<string, string>> = Object.assign({}, ...KINDS.map((kind) => kind.replaced ?? {}));

const REPLACED_VARIABLES = new Map(Object.keys(REPLACED).map((key) => [variableOf(key), key]));

/** Why a name is not a setting: replaced (and by what), or misspelled (and the nearest valid name). */
function notASetting(where: string, key: string, known: readonly string[], quote?: (s: string) => string): string {
  const replaced = REPLACED[key] ?? REPLACED[REPLACED_VARIABLES.get(key) ?? ''];
  return replaced ? `${where} is no longer a setting: ${replaced}` : `${where} is not a setting${suggestion(key, known, quote)}`;
}

function unknownNames(env: Source, context: Source): string[] {
  const problems: string[] = [];
  for (const variable of Object.keys(env).filter((name) => name.startsWith(VARIABLE_PREFIX) && !VARIABLES.has(name))) {
    problems.push(notASetting(variable, variable, [...VARIABLES.keys()], (s) => s));
  }
  for (const key of Object.keys(context).filter((key) => !(key in SETTINGS) && key !== ENVIRONMENTS && !isCdktfKey(key))) {
    problems.push(notASetting(`cdktf.json context "${key}"`, key, [...SETTING_NAMES, ENVIRONMENTS]));
  }
  return problems;
}

/** One environment of cdktf.json's `environments`: its own settings, and where they are written. */
interface Environment {
  readonly name: string;
  readonly values: Source;
}

interface Settled {
  readonly values: Readonly<Record<string, unknown>>;
  /** Where each value came from, as messages name it: `WORKFLOWS_REGION`, `cdktf.json context "region"`, ... */
  readonly origins: Readonly<Record<string, string>>;
  /** For a map an environment merged into the shared value: where each key came from. */
  readonly keyOrigins: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A map setting's shared value as an object to merge into, when it is one (a variable's text read as JSON). */
function sharedMap(raw: unknown, isText: boolean): Record<string, unknown> | undefined {
  if (!isText) return isPlainObject(raw) ? raw : undefined;
  try {
    const parsed: unknown = JSON.parse(String(raw));
    return isPlainObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads every setting from the first place that has it: the environment's block, the WORKFLOWS_*
 * variable, cdktf.json context, the default. A map setting (`mergedByKey`: tags, jobs, tasks,
 * snapshotTargets) in an environment's block is merged key by key into the shared value given (a
 * variable or context, not the default), a key set to `null` removed. An environment's name
 * prefix, unless its block sets one, is the shared prefix plus `-<environment>`, so environments
 * never share names. A variable's text is read as text; every other value as the JSON it is.
 */
function settle(env: Source, context: Source, environment: Environment | undefined, problems: string[]): Settled {
  const values: Record<string, unknown> = {};
  const origins: Record<string, string> = {};
  const keyOrigins: Record<string, Record<string, string>> = {};
  const sharedValue = (name: string): [unknown, string, 'text' | 'json' | 'default'] => {
    const fromEnv = env[variableOf(name)];
    if (fromEnv !== undefined && fromEnv !== '') return [fromEnv, variableOf(name), 'text'];
    if (context[name] !== undefined) return [context[name], `cdktf.json context "${name}"`, 'json'];
    return [SETTINGS[name].default, `the default ${name}`, 'default'];
  };
  for (const name of SETTING_NAMES) {
    let [raw, origin, source] = sharedValue(name);
    const own = environment?.values[name];
    if (environment && own !== undefined) {
      const ownOrigin = `cdktf.json context "${ENVIRONMENTS}.${environment.name}.${name}"`;
      if (SETTINGS[name].mergedByKey && isPlainObject(own)) {
        const base = source === 'default' ? undefined : sharedMap(raw, source === 'text');
        const merged: Record<string, unknown> = { ...base };
        const from: Record<string, string> = Object.fromEntries(Object.keys(merged).map((key) => [key, origin]));
        for (const [key, value] of Object.entries(own)) {
          if (value === null) {
            if (!(key in merged)) problems.push(`${inside(ownOrigin, key)} = null removes a key the shared value does not have (${base === undefined ? `there is none: ${origin}` : `${origin} has ${Object.keys(base).join(', ') || 'none'}`})`);
            delete merged[key];
            delete from[key];
          } else {
            merged[key] = value;
            from[key] = ownOrigin;
          }
        }
        keyOrigins[name] = from;
        // A problem in the block's own keys is the block's; one only the merge makes, both places'.
        const ownKeys = Object.fromEntries(Object.entries(own).filter(([, value]) => value !== null));
        const ownParsed = parseWith<z.ZodType>(SETTINGS[name], ownKeys);
        [raw, origin, source] = 'problem' in ownParsed || base === undefined ? [ownKeys, ownOrigin, 'json'] : [merged, `${ownOrigin} merged into ${origin}`, 'json'];
      } else {
        [raw, origin, source] = [own, ownOrigin, 'json'];
      }
    } else if (environment && name === 'namePrefix') {
      [raw, origin] = [`${String(raw)}-${environment.name}`, `namePrefix of environment "${environment.name}" (${origin} + "-${environment.name}")`];
    }
    const parsed = parseWith<z.ZodType>(SETTINGS[name], raw, source === 'text' ? 'text' : 'json');
    origins[name] = origin;
    if ('problem' in parsed) {
      problems.push(`${origin} = ${JSON.stringify(raw)}: ${parsed.problem}`);
      values[name] = SETTINGS[name].default;
    } else {
      values[name] = parsed.value;
    }
  }
  return { values, origins, keyOrigins };
}

/**
 * One named entry's settings (a job's, a task's), each read with its rule from `table`; a key it
 * leaves out takes `fallback`'s value, and a required one missing is a problem.
 */
function readEntry<Table extends SettingsTable>(table: Table, noun: string, at: string, raw: Readonly<Record<string, unknown>>, fallback: (key: keyof Table & string) => unknown, problems: string[]): ValuesOf<Table> {
  const keys = Object.keys(table) as (keyof Table & string)[];
  for (const key of Object.keys(raw).filter((key) => !(key in table))) {
    problems.push(`${inside(at, key)} is not a ${noun} setting${suggestion(key, keys)}`);
  }
  const entry: Record<string, unknown> = {};
  for (const key of keys) {
    if (raw[key] === undefined) {
      if (table[key].required) problems.push(`${inside(at, key)} is required: ${table[key].rule}`);
      entry[key] = fallback(key);
      continue;
    }
    const parsed = parseWith<z.ZodType>(table[key], raw[key]);
    if ('problem' in parsed) problems.push(`${inside(at, key)} = ${JSON.stringify(raw[key])}: ${parsed.problem}`);
    entry[key] = 'problem' in parsed ? table[key].default : parsed.value;
  }
  return entry as ValuesOf<Table>;
}

/** Ids the stack gives its own constructs and the kinds' fixed workflows: a configured workflow may not take one. */
const TAKEN_IDS: readonly string[] = [...KINDS.flatMap((kind) => kind.fixedIds ?? []), ...Object.values(STACK_CONSTRUCT_IDS)];

/** Why a configured workflow's name cannot be a workflow id, or nothing. */
function nameProblem(name: string, at: string, noun: string): string | undefined {
  if (!WORKFLOW_NAME_PATTERN.test(name)) return `${at}: a ${noun} name must be ${WORKFLOW_NAME_RULE}`;
  if (TAKEN_IDS.includes(name)) return `${at}: "${name}" is taken by the stack itself (${TAKEN_IDS.join(', ')}); choose another ${noun} name`;
  return undefined;
}

/** One kind's settings as read from the settled values, with what its resolver may use. */
function readingOf(kind: KindSettings, { values, origins, keyOrigins }: Settled, problems: string[]): Reading<SettingsTable> {
  const pick = <T>(table: object, from: Readonly<Record<string, T>>) => Object.fromEntries(Object.keys(table).map((name) => [name, from[name]]));
  const entryOrigin = (key: string, name: string) => inside(keyOrigins[key]?.[name] ?? origins[key], name);
  return {
    entryOrigin,
    values: pick(kind.settings, values) as ValuesOf<SettingsTable>,
    origins: pick(kind.settings, origins),
    shared: pick(SHARED_SETTINGS, values) as SharedConfig,
    sharedOrigins: pick(SHARED_SETTINGS, origins) as Reading<SettingsTable>['sharedOrigins'],
    problems,
    entries: (key, noun, table, fallback) => {
      const entries: Record<string, ValuesOf<typeof table>> = {};
      for (const [name, raw] of Object.entries(values[key] as Readonly<Record<string, Readonly<Record<string, unknown>>>>)) {
        const at = entryOrigin(key, name);
        const problem = nameProblem(name, at, noun);
        if (problem) problems.push(problem);
        entries[name] = readEntry(table, noun, at, raw, fallback, problems);
      }
      return entries;
    },
  };
}

/** The rules every configured workflow keeps, whatever its kind: an id no other workflow has, and a name `<namePrefix>-<id>` short enough. */
function workflowProblems(workflows: readonly ConfiguredWorkflow[], { values, origins }: Settled): { ids: string[]; names: string[] } {
  const first = new Map<string, string>();
  const ids: string[] = [];
  const names: string[] = [];
  for (const { id, at } of workflows) {
    const earlier = first.get(id);
    // A fixed id taken again is already refused by name (`nameProblem`).
    if (earlier !== undefined && !TAKEN_IDS.includes(id)) ids.push(`${at}: "${id}" is already the id of ${earlier}; every workflow needs an id of its own, whatever its kind`);
    else first.set(id, at);
    const workflowName = `${values.namePrefix}-${id}`;
    if (workflowName.length > MAX_WORKFLOW_NAME_LENGTH) {
      names.push(
        `${at}: its name "${workflowName}" (${origins.namePrefix} + "-${id}") has ${workflowName.length} characters; ` +
          `namePrefix and the name together may have at most ${MAX_WORKFLOW_NAME_LENGTH}, so its role names fit IAM's 64`,
      );
    }
  }
  return { ids, names };
}

/**
 * The stack's configuration from the settled values: the shared settings, and each kind's part as
 * its resolver makes it. The rules settings keep together (each kind's, and the workflows') are
 * checked once every value has passed its own.
 */
function configure(settled: Settled, problems: string[]): WorkflowsConfig {
  const parts = KINDS.map((kind) => {
    const reading = readingOf(kind, settled, problems);
    const own = kind.resolve(reading);
    return { kind, reading, own, workflows: kind.workflows(own, reading) };
  });
  const { ids, names } = workflowProblems(
    parts.flatMap((part) => part.workflows),
    settled,
  );
  problems.push(...ids);
  if (problems.length === 0) problems.push(...parts.flatMap(({ kind, own, reading }) => kind.crossChecks?.(own, reading) ?? []), ...names);
  const shared = (leading: boolean) => Object.fromEntries(Object.keys(sharedIn(leading)).map((name) => [name, settled.values[name]]));
  return Object.assign(shared(true), ...parts.map((part) => part.own), shared(false)) as WorkflowsConfig;
}

/**
 * Reads and validates every setting; throws one ConfigError naming each bad value, where it
 * came from and the rule it breaks, before anything is synthesized.
 */
export function loadConfig(env: Source, context: Source = {}): WorkflowsConfig {
  const problems = unknownNames(env, context);
  const config = configure(settle(env, context, undefined, problems), problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

export interface StackConfig {
  readonly stackId: string;
  /** The environment's name, when cdktf.json context defines `environments`. */
  readonly environment?: string;
  readonly config: WorkflowsConfig;
}

/** An environment's name: short, since it joins the name prefix and the stack id. */
export const ENVIRONMENT_NAME = /^[a-z][a-z0-9]{0,11}$/;

/**
 * One stack, or with `environments` in context one stack per environment, each with its own
 * settings, name prefix and an `environment` tag. A problem every environment shares (a bad
 * variable, say) is reported once; one of an environment's own, with its name.
 */
export function loadStacks(env: Source, context: Source = {}): StackConfig[] {
  const environments = context[ENVIRONMENTS];
  if (environments === undefined) return [{ stackId: STACK_ID, config: loadConfig(env, context) }];
  if (environments === null || typeof environments !== 'object' || Array.isArray(environments) || Object.keys(environments).length === 0) {
    throw new ConfigError([`cdktf.json context "${ENVIRONMENTS}" must be an object of environment name -> settings, e.g. {"dev": {}, "prod": {"logRetentionDays": 90}}`]);
  }
  const problems = unknownNames(env, context);
  // Every value given at the top level, checked with its own rule even where every environment
  // overrides it: the next environment added would inherit it.
  const shared: string[] = [];
  const settled = settle(env, context, undefined, shared);
  for (const kind of KINDS) kind.resolve(readingOf(kind, settled, shared));
  problems.push(...new Set(shared));
  const perEnvironment: { name: string; problems: string[] }[] = [];
  const stacks: StackConfig[] = [];
  for (const [name, values] of Object.entries(environments as Source)) {
    const label = `cdktf.json context "${ENVIRONMENTS}.${name}"`;
    if (!ENVIRONMENT_NAME.test(name)) {
      problems.push(`${label}: the name must be 1-12 lowercase letters or digits, starting with a letter`);
      continue;
    }
    if (values === null || typeof values !== 'object' || Array.isArray(values)) {
      problems.push(`${label}: must be an object of settings`);
      continue;
    }
    const own = Object.keys(values)
      .filter((key) => !(key in SETTINGS))
      .map((key) => notASetting(`cdktf.json context "${ENVIRONMENTS}.${name}.${key}"`, key, SETTING_NAMES));
    const config = configure(settle(env, context, { name, values: values as Source }, own), own);
    perEnvironment.push({ name, problems: own });
    stacks.push({ stackId: `${STACK_ID}-${name}`, environment: name, config: { ...config, tags: { environment: name, ...config.tags } } });
  }
  const everywhere = (problem: string) => perEnvironment.every((other) => other.problems.includes(problem));
  const reported = (problem: string) => shared.includes(problem);
  problems.push(...new Set(perEnvironment.flatMap((e) => e.problems.filter((p) => everywhere(p) && !reported(p)))));
  for (const { name, problems: own } of perEnvironment) problems.push(...own.filter((p) => !everywhere(p) && !reported(p)).map((p) => `[${name}] ${p}`));
  if (problems.length > 0) throw new ConfigError(problems);
  return stacks;
}

/**
 * Why `chosen` does not pick one of the configured environments (none configured: only
 * `undefined` does; some: one must be named), or undefined when it does. The tools say it alike.
 */
export function environmentProblem(environments: readonly string[], chosen: string | undefined): string | undefined {
  if (chosen === undefined) return environments.length === 0 ? undefined : `cdktf.json defines environments; choose one with --environment (${environments.join(', ')})`;
  if (environments.includes(chosen)) return undefined;
  return `--environment ${chosen}: ${environments.length === 0 ? 'cdktf.json defines no environments' : `the environments are ${environments.join(', ')}`}`;
}

/** The name prefix and every setting that differs from the defaults, as one line: what a stack runs with, environments' merges done. */
export function settingsLine(config: WorkflowsConfig): string {
  const defaults = loadConfig({}, {}) as unknown as Record<string, unknown>;
  const changed = Object.entries(config as unknown as Record<string, unknown>)
    .filter(([key, value]) => key !== 'namePrefix' && JSON.stringify(value) !== JSON.stringify(defaults[key]))
    .map(([key, value]) => `${key} ${JSON.stringify(value)}`);
  return [`namePrefix ${config.namePrefix}`, ...changed].join(', ');
}

/** An ARN with a region: `arn:<partition>:<service>:<region>:...` (S3's and IAM's have none). */
const REGIONAL_ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:([a-z]{2}(?:-[a-z]+)+-\d+):/;

/**
 * One line for each ARN the configuration names in a region other than the stack's (in a policy
 * statement, a function's environment): the call that names it must go to that region, which a
 * client made in the function's own region does not.
 */
export function otherRegionArns(config: WorkflowsConfig, stackId: string): string[] {
  const places = new Map<string, string[]>();
  const walk = (value: unknown, at: string): void => {
    if (typeof value === 'string') {
      const region = REGIONAL_ARN.exec(value)?.[1];
      if (region !== undefined && region !== config.region) places.set(value, [...(places.get(value) ?? []), at]);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, `${at}[${i}]`));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) walk(item, at === '' ? key : `${at}.${key}`);
    }
  };
  walk(config, '');
  return [...places].map(([arn, at]) => {
    const region = REGIONAL_ARN.exec(arn)![1];
    return `${stackId}: ${arn} (${at.join(', ')}) is in ${region}, while the stack deploys to ${config.region}: a call that uses it must be made in ${region}`;
  });
}
