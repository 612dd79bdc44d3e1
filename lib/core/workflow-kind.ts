import type { Construct } from 'constructs';
import type { KindSettings } from '../config/kind-settings';
import type { SharedConfig } from '../config/settings';
import type { AslValues } from './render-asl';

/** A diagram of a kind's definition: the `asl/` files it draws, and the values that decide its shape (see `symbolicDefinition`). */
export interface Diagram {
  readonly files: readonly string[];
  readonly shape?: AslValues;
}

/**
 * What the app knows of one kind of workflow besides its construct, in one place: the registry
 * (`lib/kinds/index.ts`) lists one of these per kind, and every consumer asks it rather than
 * naming the kind. `Own` is the kind's part of a stack's configuration, as its settings' resolver
 * makes it; `LocalRun` how `npm run simulate` runs a workflow of the kind (simulator/local-run.ts);
 * `IamCases` what the IAM simulation checks of it (simulator/iam-cases.ts).
 */
export interface WorkflowKind<Own, LocalRun = unknown, IamCases = unknown> {
  /** The kind's name, as workflows of it carry it (`Workflow.kind`) and the manifest and tools show it. */
  readonly name: string;
  /** The docs' diagrams of it, by name; each name is a `<!-- diagram:NAME -->` block. */
  readonly diagrams: Readonly<Record<string, Diagram>>;
  /**
   * Its settings (`lib/kinds/<kind>/settings.ts`): the context keys and `WORKFLOWS_*` variables it
   * reads, how its part of the configuration is made, and the rules its settings keep together.
   */
  readonly settings: KindSettings<any, Own>;
  /** Adds the workflows of this kind that its part of the configuration asks for (none is fine), with the shared settings beside it. */
  readonly fromConfig: (stack: Construct, config: Own & SharedConfig) => void;
  /** Its local run and flags, loaded when asked: synth never loads the simulator. */
  readonly localRun: () => LocalRun;
  /** Its IAM simulation cases (`lib/kinds/<kind>/iam-cases.ts`), loaded when asked: the stacks they synthesize, the calls their local runs make, what its roles must be denied. */
  readonly iamCases: () => IamCases;
}
