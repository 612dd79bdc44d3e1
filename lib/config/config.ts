import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { TAG_KEYS } from '../../lambdas/rds-snapshot/snapshot-naming';
import { suggestion } from './nearest-name';
import type { z } from 'zod';
import { parseWith } from './parse';
import { MAX_WORKFLOW_NAME_LENGTH, STACK_CONSTRUCT_IDS, WORKFLOW_NAME_PATTERN, WORKFLOW_NAME_RULE } from '../core/names';
import { PROJECT_DIR } from '../core/paths';
import { SNAPSHOT_WORKFLOW_ID } from '../kinds/rds-snapshot/defaults';
import { pollScheduleOf, pollScheduleProblems } from '../core/polling';
import { rdsSnapshotHistory } from '../kinds/rds-snapshot/defaults';
import { TASK_SUCCESS_TAIL } from '../kinds/task/defaults';
import {
  DEFAULT_JOB,
  JOB_SETTINGS,
  jobProblem,
  SETTINGS,
  TASK_SETTINGS,
  variableOf,
  type JobConfig,
  type Setting,
  type TaskConfig,
  type ValuesOf,
  type JobSettingName,
  type SettingName,
  type SettingValues,
  type WorkflowsConfig,
} from './settings';

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
const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];
const VARIABLES = new Map(SETTING_NAMES.map((name) => [variableOf(name), name]));
const JOB_SETTING_NAMES = Object.keys(JOB_SETTINGS) as JobSettingName[];
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
    typeof passed === 'string' && passed !== '' ? parseJson(passed, 'CDKTF_CONTEXT_JSON') : (parseJson(readFileSync(path.join(projectDir, 'cdktf.json'), 'utf8'), 'cdktf.json') as { context?: unknown }).context;
  return context !== null && typeof context === 'object' && !Array.isArray(context) ? (context as Source) : {};
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

/** Settings this project had and replaced: a configuration that still names one is told what to do instead. */
const REPLACED: Readonly<Record<string, string>> = {
  dbInstanceIdentifier: 'use snapshotTargets, e.g. {"database-1": {"type": "instance"}}',
  loopThreshold: 'use iterationsPerExecution (its default is the most the history budget allows)',
  restartCount: 'a chain now runs until the work returns done: true; maxGenerations is its safety cap',
};

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
  readonly values: SettingValues;
  /** Where each value came from, as messages name it: `WORKFLOWS_REGION`, `cdktf.json context "region"`, ... */
  readonly origins: Readonly<Record<SettingName, string>>;
}

/** Where a value inside a structured setting came from: `cdktf.json context "jobs.reindex.workEntry"`, `WORKFLOWS_JOBS.reindex.workEntry`. */
const inside = (origin: string, at: string) => (origin.endsWith('"') ? `${origin.slice(0, -1)}.${at}"` : `${origin}.${at}`);

/**
 * Reads every setting from the first place that has it: the environment's block, the WORKFLOWS_*
 * variable, cdktf.json context, the default. An environment's name prefix, unless its block
 * sets one, is the shared prefix plus `-<environment>`, so environments never share names.
 */
function settle(env: Source, context: Source, environment: Environment | undefined, problems: string[]): Settled {
  const values: Record<string, unknown> = {};
  const origins: Record<string, string> = {};
  const sharedValue = (name: SettingName): [unknown, string] => {
    const fromEnv = env[variableOf(name)];
    if (fromEnv !== undefined && fromEnv !== '') return [fromEnv, variableOf(name)];
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
    const parsed = parseWith<z.ZodType>(SETTINGS[name], raw);
    origins[name] = origin;
    if ('problem' in parsed) {
      problems.push(`${origin} = ${JSON.stringify(raw)}: ${parsed.problem}`);
      values[name] = SETTINGS[name].default;
    } else {
      values[name] = parsed.value;
    }
  }
  return { values: values as SettingValues, origins: origins as Record<SettingName, string> };
}

/**
 * One named entry's settings (a job's, a task's), each read with its rule from `table`; a key it
 * leaves out takes `fallback`'s value, and a required one missing is a problem.
 */
function readEntry<Table extends Readonly<Record<string, Setting>>>(
  table: Table,
  noun: string,
  at: string,
  raw: Readonly<Record<string, unknown>>,
  fallback: (key: keyof Table & string) => unknown,
  problems: string[],
): ValuesOf<Table> {
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

/** Ids the stack gives its own constructs and fixed workflows: a job or task may not take one. */
const TAKEN_IDS: readonly string[] = [SNAPSHOT_WORKFLOW_ID, ...Object.values(STACK_CONSTRUCT_IDS)];

/** Why a job's or task's name cannot be a workflow id, or nothing. */
function nameProblem(name: string, at: string, noun: string, taken: readonly string[]): string | undefined {
  if (!WORKFLOW_NAME_PATTERN.test(name)) return `${at}: a ${noun} name must be ${WORKFLOW_NAME_RULE}`;
  if (TAKEN_IDS.includes(name)) return `${at}: "${name}" is taken by the stack itself (${TAKEN_IDS.join(', ')}); choose another ${noun} name`;
  if (taken.includes(name)) return `${at}: "${name}" is already a job; a task needs a name of its own`;
  return undefined;
}

/** The tasks, each read with its rules; a task may not take a job's name, since both name workflows. */
function resolveTasks({ values, origins }: Settled, jobs: Readonly<Record<string, JobConfig>>, problems: string[]): Record<string, TaskConfig> {
  const tasks: Record<string, TaskConfig> = {};
  for (const [name, raw] of Object.entries(values.tasks)) {
    const at = inside(origins.tasks, name);
    const problem = nameProblem(name, at, 'task', Object.keys(jobs));
    if (problem) problems.push(problem);
    tasks[name] = readEntry(TASK_SETTINGS, 'task', at, raw, (key) => TASK_SETTINGS[key].default, problems);
  }
  return tasks;
}

/**
 * The jobs: `jobs` as configured, or without it one job named `continue-as-new` set by the
 * top-level job keys. With `jobs` set, the top-level job keys are every job's defaults (an
 * environment's `maxGenerations` reaches all its jobs), and a job's own key wins.
 */
function resolveJobs(settled: Settled, problems: string[]): Record<string, JobConfig> {
  const { values, origins } = settled;
  if (values.jobs === undefined) return { [DEFAULT_JOB]: Object.fromEntries(JOB_SETTING_NAMES.map((key) => [key, values[key]])) as unknown as JobConfig };
  const jobs: Record<string, JobConfig> = {};
  for (const [name, raw] of Object.entries(values.jobs)) {
    const at = inside(origins.jobs, name);
    const problem = nameProblem(name, at, 'job', []);
    if (problem) problems.push(problem);
    jobs[name] = readEntry(JOB_SETTINGS, 'job', at, raw, (key) => values[key], problems);
  }
  return jobs;
}

function crossChecks({ values, origins }: Settled, jobs: Readonly<Record<string, JobConfig>>, tasks: Readonly<Record<string, TaskConfig>>): string[] {
  const problems: string[] = [];
  const tooLong = (name: string, at: string) => {
    const workflowName = `${values.namePrefix}-${name}`;
    if (workflowName.length <= MAX_WORKFLOW_NAME_LENGTH) return;
    problems.push(
      `${at}: its name "${workflowName}" (${origins.namePrefix} + "-${name}") has ${workflowName.length} characters; ` +
        `namePrefix and the name together may have at most ${MAX_WORKFLOW_NAME_LENGTH}, so its role names fit IAM's 64`,
    );
  };
  for (const [name, task] of Object.entries(tasks)) {
    const at = (key: string) => inside(origins.tasks, `${name}.${key}`);
    tooLong(name, inside(origins.tasks, name));
    for (const { setting, problem } of pollScheduleProblems(pollScheduleOf(task), TASK_SUCCESS_TAIL)) {
      const key = setting === 'maxWait' ? 'maxWaitMinutes' : setting;
      problems.push(`${at(key)} = ${JSON.stringify(task[key])}: ${problem}`);
    }
  }
  const named = (name: SettingName) => `${origins[name]} = ${JSON.stringify(values[name])}`;
  if (values.maxPollIntervalSeconds < values.pollIntervalSeconds) {
    problems.push(`${named('maxPollIntervalSeconds')}: must be at least pollIntervalSeconds, ${named('pollIntervalSeconds')}`);
  }
  for (const [name, job] of Object.entries(jobs)) {
    const own = values.jobs?.[name];
    const originOf = (key: JobSettingName) => (own?.[key] !== undefined ? inside(origins.jobs, `${name}.${key}`) : origins[key]);
    const broken = jobProblem(job);
    if (broken) {
      const because = broken.because.map(originOf).join(', ');
      problems.push(`${originOf(broken.setting)} = ${JSON.stringify(job[broken.setting])}: ${broken.problem} (${because})`);
    }
    tooLong(name, own ? inside(origins.jobs, name) : `job ${name}`);
  }
  const reserved = Object.keys(values.tags).filter((key) => (Object.values(TAG_KEYS) as string[]).includes(key));
  if (reserved.length > 0) problems.push(`${named('tags')}: ${reserved.join(', ')} is the snapshot workflow's own tag; choose another key`);
  const polling = rdsSnapshotHistory(pollSchedule(values));
  if (polling.events > polling.budget) {
    problems.push(
      `${named('snapshotMaxWaitMinutes')}: polling for that long could write ${polling.events} history events, ` +
        `over the budget of ${polling.budget} (80% of the 25,000-event quota); raise maxPollIntervalSeconds, ${named('maxPollIntervalSeconds')}, or shorten the wait`,
    );
  }
  return problems;
}

/** The stack's configuration from the settled values: jobs resolved, the top-level job keys folded into them. */
function configure(settled: Settled, problems: string[]): WorkflowsConfig {
  const jobs = resolveJobs(settled, problems);
  const tasks = resolveTasks(settled, jobs, problems);
  if (problems.length === 0) problems.push(...crossChecks(settled, jobs, tasks));
  const rest = Object.fromEntries(Object.entries(settled.values).filter(([key]) => !(key in JOB_SETTINGS) && key !== 'jobs' && key !== 'tasks'));
  return { ...(rest as Omit<WorkflowsConfig, 'jobs' | 'tasks'>), jobs, tasks };
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
  const shared = (problem: string) => perEnvironment.every((other) => other.problems.includes(problem));
  problems.push(...new Set(perEnvironment.flatMap((e) => e.problems.filter(shared))));
  for (const { name, problems: own } of perEnvironment) problems.push(...own.filter((p) => !shared(p)).map((p) => `[${name}] ${p}`));
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

/** The snapshot workflow's poll schedule, in seconds, from its settings. */
export function pollSchedule(config: Pick<WorkflowsConfig, 'pollIntervalSeconds' | 'maxPollIntervalSeconds' | 'snapshotMaxWaitMinutes'>) {
  return pollScheduleOf({ ...config, maxWaitMinutes: config.snapshotMaxWaitMinutes });
}
