import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { closest, distance } from 'fastest-levenshtein';
import { TAG_KEYS } from '../lambdas/shared/snapshot-naming';
import { continueAsNewBudget } from './definitions';
import { rdsSnapshotHistory } from './history-budget';
import { PROJECT_DIR } from './paths';
import { SETTINGS, type SettingName, type WorkflowsConfig } from './settings';

/** The stack id without environments; with them, `<STACK_ID>-<environment>`. */
export const STACK_ID = 'long-running-workflows';

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Source = Readonly<Record<string, unknown>>;

const ENVIRONMENTS = 'environments';
const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];
const VARIABLES = new Map(SETTING_NAMES.map((name) => [SETTINGS[name].env, name]));
const VARIABLE_PREFIX = 'WORKFLOWS_';
/** Context CDKTF itself reads or adds (`cdktfRelativeModules`, `@cdktf/...`): not ours to check. */
const isCdktfKey = (key: string) => key.startsWith('cdktf') || key.startsWith('@cdktf/');

/**
 * The cdktf.json context: what the CDKTF CLI passes in CDKTF_CONTEXT_JSON, or, when a script
 * runs without the CLI, read from cdktf.json itself, so every tool sees the configuration synth sees.
 */
export function readContext(env: Source, projectDir = PROJECT_DIR): Source {
  const passed = env.CDKTF_CONTEXT_JSON;
  const context: unknown =
    typeof passed === 'string' && passed !== '' ? JSON.parse(passed) : JSON.parse(readFileSync(path.join(projectDir, 'cdktf.json'), 'utf8')).context;
  return context !== null && typeof context === 'object' && !Array.isArray(context) ? (context as Source) : {};
}

/** Settings this project had and replaced: a configuration that still names one is told what to do instead. */
const REPLACED: Readonly<Record<string, string>> = {
  dbInstanceIdentifier: 'use snapshotTargets, e.g. {"database-1": {"type": "instance"}}',
  loopThreshold: 'use iterationsPerExecution (its default is the most the history budget allows)',
  restartCount: 'a chain now runs until the work returns done: true; maxGenerations is its safety cap',
};

/** " (did you mean X?)" when one known name is close, else the list of known names. */
function suggestion(name: string, known: readonly string[], quote = (s: string) => `"${s}"`): string {
  const best = closest(name, known as string[]);
  return distance(name.toLowerCase(), best.toLowerCase()) <= Math.max(2, Math.floor(best.length / 4))
    ? `; did you mean ${quote(best)}?`
    : `; the settings are ${known.map(quote).join(', ')}`;
}

const variableOf = (key: string) => `${VARIABLE_PREFIX}${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
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
  readonly config: WorkflowsConfig;
  /** Where each value came from, as messages name it: `WORKFLOWS_REGION`, `cdktf.json context "region"`, ... */
  readonly origins: Readonly<Record<SettingName, string>>;
}

/**
 * Reads every setting from the first place that has it: the environment's block, the WORKFLOWS_*
 * variable, cdktf.json context, the default. An environment's name prefix, unless its block
 * sets one, is the shared prefix plus `-<environment>`, so environments never share names.
 */
function settle(env: Source, context: Source, environment: Environment | undefined, problems: string[]): Settled {
  const config: Record<string, unknown> = {};
  const origins: Record<string, string> = {};
  const sharedValue = (name: SettingName): [unknown, string] => {
    const fromEnv = env[SETTINGS[name].env];
    if (fromEnv !== undefined && fromEnv !== '') return [fromEnv, SETTINGS[name].env];
    if (context[name] !== undefined) return [context[name], `cdktf.json context "${name}"`];
    return [SETTINGS[name].default, `the default ${name}`];
  };
  for (const name of SETTING_NAMES) {
    let [raw, origin] = sharedValue(name);
    if (environment && environment.values[name] !== undefined) {
      [raw, origin] = [environment.values[name], `cdktf.json context "${ENVIRONMENTS}.${environment.name}.${name}"`];
    } else if (environment && name === 'namePrefix') {
      [raw, origin] = [`${String(raw)}-${environment.name}`, `namePrefix of environment "${environment.name}" (${origin} + "-${environment.name}")`];
    }
    const parsed = SETTINGS[name].parser.parse(raw);
    origins[name] = origin;
    if ('problem' in parsed) {
      problems.push(`${origin} = ${JSON.stringify(raw)}: ${parsed.problem}`);
      config[name] = SETTINGS[name].default;
    } else {
      config[name] = parsed.value;
    }
  }
  return { config: config as WorkflowsConfig, origins: origins as Record<SettingName, string> };
}

function crossChecks({ config, origins }: Settled): string[] {
  const problems: string[] = [];
  const named = (name: SettingName) => `${origins[name]} = ${JSON.stringify(config[name])}`;
  if (config.maxPollIntervalSeconds < config.pollIntervalSeconds) {
    problems.push(`${named('maxPollIntervalSeconds')}: must be at least pollIntervalSeconds, ${named('pollIntervalSeconds')}`);
  }
  const { maxIterations } = continueAsNewBudget(config.restartWith);
  if (config.iterationsPerExecution !== undefined && config.iterationsPerExecution > maxIterations) {
    problems.push(`${named('iterationsPerExecution')}: must be at most ${maxIterations}, the history budget's limit with restartWith ${config.restartWith} (${origins.restartWith})`);
  }
  const reserved = Object.keys(config.tags).filter((key) => (Object.values(TAG_KEYS) as string[]).includes(key));
  if (reserved.length > 0) problems.push(`${named('tags')}: ${reserved.join(', ')} is the snapshot workflow's own tag; choose another key`);
  const polling = rdsSnapshotHistory(pollSchedule(config));
  if (polling.events > polling.budget) {
    problems.push(
      `${named('snapshotMaxWaitMinutes')}: polling for that long could write ${polling.events} history events, ` +
        `over the budget of ${polling.budget} (80% of the 25,000-event quota); raise maxPollIntervalSeconds, ${named('maxPollIntervalSeconds')}, or shorten the wait`,
    );
  }
  return problems;
}

/**
 * Reads and validates every setting; throws one ConfigError naming each bad value, where it
 * came from and the rule it breaks, before anything is synthesized.
 */
export function loadConfig(env: Source, context: Source = {}): WorkflowsConfig {
  const problems = unknownNames(env, context);
  const settled = settle(env, context, undefined, problems);
  if (problems.length === 0) problems.push(...crossChecks(settled));
  if (problems.length > 0) throw new ConfigError(problems);
  return settled.config;
}

export interface StackConfig {
  readonly stackId: string;
  /** The environment's name, when cdktf.json context defines `environments`. */
  readonly environment?: string;
  readonly config: WorkflowsConfig;
}

const ENVIRONMENT_NAME = /^[a-z][a-z0-9]{0,11}$/;

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
    const settled = settle(env, context, { name, values: values as Source }, own);
    if (own.length === 0) own.push(...crossChecks(settled));
    perEnvironment.push({ name, problems: own });
    stacks.push({ stackId: `${STACK_ID}-${name}`, environment: name, config: { ...settled.config, tags: { environment: name, ...settled.config.tags } } });
  }
  const shared = (problem: string) => perEnvironment.every((other) => other.problems.includes(problem));
  problems.push(...new Set(perEnvironment.flatMap((e) => e.problems.filter(shared))));
  for (const { name, problems: own } of perEnvironment) problems.push(...own.filter((p) => !shared(p)).map((p) => `[${name}] ${p}`));
  if (problems.length > 0) throw new ConfigError(problems);
  return stacks;
}

export function pollSchedule(config: WorkflowsConfig) {
  return {
    firstIntervalSeconds: config.pollIntervalSeconds,
    maxIntervalSeconds: config.maxPollIntervalSeconds,
    maxWaitSeconds: config.snapshotMaxWaitMinutes * 60,
  };
}
