// Plain data only, no construct and no cdktf: the tools that read a synthesized stack
// (`npm run simulate -- --from`, `npm run execute`) import these types without loading the app.
import type { LoopMode, RestartWith } from './continue-as-new-defaults';
import type { WorkflowKindName } from './workflow-kinds';

/** The file synth writes beside each stack's cdk.tf.json: what each workflow is, by data. */
export const WORKFLOWS_MANIFEST_FILE = 'workflows.json';

/** What a local run of a continue-as-new job needs besides its definition and zips. */
export interface ContinueAsNewLocalRun {
  /** The work function's entry, from the project root. */
  readonly workEntry: string;
  readonly loop: LoopMode;
  readonly restartWith: RestartWith;
  /** With loop express: at most this many work calls per batch; absent, no cap but the batch's time budget. */
  readonly batchCalls?: number;
  /** Work calls (batches, with loop express) per execution, as synthesized. */
  readonly iterationsPerExecution: number;
  /** A state that finishes in a few executions, when the work is the example (lambdas/work.ts); absent for work of yours. */
  readonly exampleState?: unknown;
}

export interface RdsSnapshotLocalRun {
  /** The DB instances and clusters it may snapshot, in the order configured: the first is the example's. */
  readonly targets: Readonly<Record<string, 'instance' | 'cluster'>>;
  /** The tag value that marks a snapshot as made by this workflow (what retention may delete). */
  readonly createdBy: string;
}

export interface TaskLocalRun {
  /** The start and check functions' entries, from the project root. */
  readonly startEntry: string;
  readonly checkEntry: string;
}

/** What a workflow construct knows of itself that no Terraform resource says, by kind. */
export interface LocalRunOf {
  readonly 'continue-as-new': ContinueAsNewLocalRun;
  readonly 'rds-snapshot': RdsSnapshotLocalRun;
  readonly task: TaskLocalRun;
}

/** What a construct registers for the manifest beside its id, kind and example input. */
export interface WorkflowManifestDetails<Kind extends WorkflowKindName = WorkflowKindName> {
  /** State machines it starts besides its own, by role (an Express job's `batch`). */
  readonly otherStateMachines?: Readonly<Record<string, string>>;
  /** Its functions' names, by role (`checkInput`, `work`, `restart`; `start`, `check`; `create`, `describe`, `retention`). */
  readonly functions: Readonly<Record<string, string>>;
  readonly localRun: LocalRunOf[Kind];
}

/** One workflow of a synthesized stack. */
export interface WorkflowManifestEntry<Kind extends WorkflowKindName = WorkflowKindName> {
  readonly id: string;
  readonly kind: Kind;
  /** Its state machines' names by role: `workflow` (its own) first, then any it starts. */
  readonly stateMachines: Readonly<{ workflow: string } & Record<string, string>>;
  readonly exampleInput: unknown;
  readonly functions: Readonly<Record<string, string>>;
  readonly localRun: LocalRunOf[Kind];
}

/** The whole file: the stack, the environment it deploys (absent without environments), its workflows in the stack's order. */
export interface StackManifest {
  readonly stackId: string;
  readonly environment?: string;
  readonly workflows: readonly WorkflowManifestEntry[];
}

/** The manifest as written: two-space JSON, a final newline, keys in the order the constructs give them, so every synth writes the same bytes. */
export function manifestText(manifest: StackManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
