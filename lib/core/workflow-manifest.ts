// Plain data only, no construct and no cdktf: the tools that read a synthesized stack
// (`npm run simulate -- --from`, `npm run execute`) import these types without loading the app.

/** The file synth writes beside each stack's cdk.tf.json: what each workflow is, by data. */
export const WORKFLOWS_MANIFEST_FILE = 'workflows.json';

/** What a construct registers for the manifest beside its id, kind and example input. */
export interface WorkflowManifestDetails<LocalRun = unknown> {
  /** State machines it starts or may start besides its own, by role (a job's `batch`, deployed in either loop mode: a kind's `localRun` says which mode runs). */
  readonly otherStateMachines?: Readonly<Record<string, string>>;
  /** Its functions' names, by role (`checkInput`, `work`, `restart`; `start`, `check`; `create`, `describe`, `retention`). */
  readonly functions: Readonly<Record<string, string>>;
  /** What its kind's local run needs that no Terraform resource says (plain JSON, defined by the kind). */
  readonly localRun: LocalRun;
}

/** One workflow of a synthesized stack. */
export interface WorkflowManifestEntry<LocalRun = unknown> {
  readonly id: string;
  /** Its kind's name: the kind's descriptor in lib/kinds/ knows how to run it. */
  readonly kind: string;
  /** Its state machines' names by role: `workflow` (its own) first, then any it starts. */
  readonly stateMachines: Readonly<{ workflow: string } & Record<string, string>>;
  readonly exampleInput: unknown;
  readonly functions: Readonly<Record<string, string>>;
  /** What its kind's local run needs that no Terraform resource says (plain JSON, defined by the kind). */
  readonly localRun: LocalRun;
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
