// What every kind's local run shares: how it declares its flags and runs one workflow, and the
// lines simulate prints. Nothing here loads the app: `simulate --from` runs on artifacts alone.
import type { WorkflowsConfig } from '../lib/config/settings';
import type { WorkflowManifestEntry } from '../lib/core/workflow-manifest';
import type { ExecutionResult } from './run-execution';
import type { DeployedStateMachine, StackArtifacts } from './stack-artifacts';

/** A flag or argument the user can fix: printed with a pointer to --help, exit 2. */
export class UsageError extends Error {}

/** What parseArgs read: a string for a flag that takes a value, true for a switch, undefined when not given. */
export type FlagValues = Readonly<Record<string, string | boolean | undefined>>;

export interface KindFlags<Options> {
  /** Its section of --help. */
  readonly help: string;
  /** Each flag by name (without `--`): one that takes a value, or a switch. */
  readonly options: Readonly<Record<string, { readonly type: 'string' | 'boolean' }>>;
  /** The options the flags ask for, checked; a bad value is a UsageError naming the flag and its rule. */
  readonly read: (values: FlagValues) => Options;
  /** Refuses, before any workflow runs, what this workflow cannot take (a target it does not have). */
  readonly check?: (machine: DeployedStateMachine, options: Options) => void;
  /**
   * Flags that change what is synthesized, and how: honoured only when simulate synthesizes
   * (no --from), since a synthesized stack's artifacts are what they are.
   */
  readonly resynthesize?: {
    readonly flags: readonly string[];
    readonly configure: (config: WorkflowsConfig, options: Options) => WorkflowsConfig;
  };
}

/** What a local run works with. */
export interface RunContext<Options> {
  readonly artifacts: StackArtifacts;
  /** The workflow to run, with its manifest entry (`machine.workflow`). */
  readonly machine: DeployedStateMachine;
  /** The same workflow as deployed: differs from `machine.workflow` only when simulate re-synthesized it for a flag (--iterations). */
  readonly deployed: WorkflowManifestEntry;
  readonly options: Options;
  /** Print the summaries, not each state. */
  readonly quiet: boolean;
  readonly print: (line: string) => void;
}

/** How simulate runs one kind of workflow: its flags, and a run that prints what happens and returns the executions it ran. */
export interface LocalRun<Options> {
  readonly flags: KindFlags<Options>;
  readonly run: (context: RunContext<Options>) => Promise<readonly ExecutionResult[]>;
}

/** A whole-number flag: its value, or the fallback when not given. */
export function wholeNumber(flag: string, raw: string | boolean | undefined, fallback: number, min: number): number;
export function wholeNumber(flag: string, raw: string | boolean | undefined, fallback: undefined, min: number): number | undefined;
export function wholeNumber(flag: string, raw: string | boolean | undefined, fallback: number | undefined, min: number): number | undefined {
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || Number(raw) < min) throw new UsageError(`--${flag} must be a whole number >= ${min}, got "${String(raw)}"`);
  return Number(raw);
}

/** A JSON flag: its value parsed, or undefined when not given. */
export function jsonFlag(flag: string, raw: string | boolean | undefined): unknown {
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(String(raw));
  } catch (error) {
    throw new UsageError(`--${flag} must be JSON: ${(error as Error).message}`);
  }
}

export function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h ? `${h}h` : '', m ? `${m}m` : '', `${s}s`].filter(Boolean).join(' ');
}

/** Real seconds as a run's line says them: tenths under a minute. */
const realTime = (seconds: number) => (seconds < 60 ? `${seconds.toFixed(1)}s` : duration(Math.round(seconds)));

/** An execution's outcome and its counts, in two lines: its waits as simulated (they take no time here), the run's own time as real. */
export function summary(execution: ExecutionResult): string {
  const outcome = execution.status === 'SUCCEEDED' ? 'SUCCEEDED' : `FAILED ${execution.error}: ${execution.cause}`;
  return `${execution.name}: ${outcome}\n    ${execution.states.length} states, ${execution.historyEvents} history events, ${execution.stateTransitions} state transitions, waits ${duration(execution.simulatedSeconds)} (simulated), ran ${realTime(execution.realSeconds)} (real time)`;
}

/** Prints each state as it is entered, numbered per execution; nothing when quiet. */
export function printStates(quiet: boolean, print: (line: string) => void) {
  if (quiet) return undefined;
  let step = 0;
  let current = '';
  return (execution: string, state: string) => {
    step = execution === current ? step + 1 : 1;
    current = execution;
    print(`  ${execution.padEnd(24)} ${String(step).padStart(4)}  ${state}`);
  };
}

/** "1 execution", "4 executions"; "1 batch", "2 batches" with the plural given. */
export const count = (n: number, noun: string, plural = `${noun}s`) => `${n} ${n === 1 ? noun : plural}`;
