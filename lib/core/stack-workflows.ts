import { TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import type { Arns } from './arns';
import { NodejsFunction } from './nodejs-function';
import { statementProblems } from './statement-rules';
import type { AslStateMachine, WorkflowLogging } from './asl-state-machine';
import { WORKFLOW_NAME_PATTERN, WORKFLOW_NAME_RULE } from './names';
import { ValidationError } from './validation-error';
import type { WorkflowManifestDetails, WorkflowManifestEntry } from './workflow-manifest';

/** What every consumer of a workflow needs: the alert rule, the outputs, simulate, execute, the tests. */
export interface Workflow {
  /** Its id in the stack: names its outputs (`<id>_state_machine_arn`, `-` as `_`), `simulate --workflow <id>` and `execute <id>`. */
  readonly workflowId: string;
  /** Which kind it is: how it is run locally and which diagram draws it. */
  readonly kind: string;
  readonly stateMachine: AslStateMachine;
  /** What to start an execution with. */
  readonly exampleInput: unknown;
  /** The most history events one execution can write, from its definition's graph and settings: at most HISTORY_BUDGET. */
  readonly worstCaseHistoryEvents: number;
  /** What the stack's workflows manifest (workflows.json) says of it besides the above: its functions by role, what a local run needs. */
  readonly manifest: WorkflowManifestDetails;
}

export interface StackWorkflowsProps {
  readonly arns: Arns;
  readonly logging: WorkflowLogging;
  /** Prefixes the name of each workflow that does not name itself: `<namePrefix>-<id>`. */
  readonly namePrefix: string;
}

/**
 * A stack's workflows and what they share (ARNs from its partition, region and account; how they
 * log), looked up from any scope inside the stack as `StackWorkflows.of(this)`. Each workflow
 * construct registers itself, so every consumer iterates one list and none names a workflow.
 */
export class StackWorkflows {
  private static readonly byStack = new WeakMap<TerraformStack, StackWorkflows>();

  /**
   * The id a new workflow construct may take under `scope`: refused, with a message to act on,
   * when a configured job or task (or any construct) already has it.
   */
  static freeId(scope: IConstruct, id: string): string {
    const taken = scope.node.tryFindChild(id);
    if (taken) throw new ValidationError(scope, `a workflow "${id}" is already in the stack (${taken.node.path}): a configured job or task is named by its id; give each an id of its own`);
    return id;
  }

  /** The workflows of the stack `scope` is in; a workflow construct outside a WorkflowsStack is refused. */
  static of(scope: IConstruct): StackWorkflows {
    const found = StackWorkflows.byStack.get(TerraformStack.of(scope));
    if (!found) throw new ValidationError(scope, 'a workflow must be created inside a WorkflowsStack (lib/workflows-stack.ts), which provides its ARNs and logging');
    return found;
  }

  readonly arns: Arns;
  readonly logging: WorkflowLogging;
  readonly namePrefix: string;
  private readonly registered = new Map<string, Workflow>();

  constructor(stack: TerraformStack, props: StackWorkflowsProps) {
    if (StackWorkflows.byStack.has(stack)) throw new ValidationError(stack, 'the stack already has its workflows');
    StackWorkflows.byStack.set(stack, this);
    ({ arns: this.arns, logging: this.logging, namePrefix: this.namePrefix } = props);
  }

  /** A workflow's name: its own, or `<namePrefix>-<id>`. */
  nameFor(id: string, name?: string): string {
    return name ?? `${this.namePrefix}-${id}`;
  }

  /** Adds a workflow; its id must be unique in the stack, since its outputs and the tools name it by id. */
  register(scope: IConstruct, workflow: Workflow): void {
    if (!WORKFLOW_NAME_PATTERN.test(workflow.workflowId)) {
      throw new ValidationError(scope, `workflow id "${workflow.workflowId}" must be ${WORKFLOW_NAME_RULE}: it names the workflow's outputs and resources`);
    }
    if (this.registered.has(workflow.workflowId)) {
      throw new ValidationError(scope, `a workflow "${workflow.workflowId}" is already in the stack (${this.registered.get(workflow.workflowId)!.stateMachine.node.path}): give each an id of its own`);
    }
    this.registered.set(workflow.workflowId, workflow);
  }

  /** Each workflow as the manifest describes it, in the order they were added. */
  get manifestEntries(): WorkflowManifestEntry[] {
    return this.all.map(({ workflowId, kind, stateMachine, exampleInput, manifest }) => ({
      id: workflowId,
      kind,
      stateMachines: { workflow: stateMachine.stateMachineName, ...manifest.otherStateMachines },
      exampleInput,
      functions: manifest.functions,
      localRun: manifest.localRun,
    }));
  }

  /**
   * Refuses, one line each, every problem of the statements users added to the functions under
   * `scope` (lib/core/statement-rules.ts): run at synth, when every workflow, configured or added
   * in code, and every `addToRolePolicy` is known. This stack's own resources are those named
   * `<namePrefix>-*`, each workflow's and `<workflow name>-*`.
   */
  refuseEscalation(scope: IConstruct): void {
    const names = [...new Set([`${this.namePrefix}-*`, ...this.all.flatMap(({ stateMachine: { stateMachineName: name } }) => [name, `${name}-*`])])];
    const problems = scope.node
      .findAll()
      .filter((found): found is NodejsFunction => found instanceof NodejsFunction)
      .flatMap((fn) => fn.addedStatements.flatMap((statement) => statementProblems(statement, { names }).map((problem) => `${fn.node.path} statement ${statement.Sid}: ${problem}`)));
    if (problems.length > 0) throw new ValidationError(scope, `statements added to a role must not let it escalate:\n  - ${problems.join('\n  - ')}`);
  }

  /** Every workflow, in the order they were added. */
  get all(): readonly Workflow[] {
    return [...this.registered.values()];
  }
}
