import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Arns } from '../lib/core/arns';
import { WORKFLOWS_MANIFEST_FILE, type StackManifest, type WorkflowManifestEntry } from '../lib/core/workflow-manifest';

/** The account, region and partition the simulator (and the tests) put in place of the data sources. */
export const SIMULATED_AWS = { partition: 'aws', region: 'eu-west-1', accountId: '123456789012' } as const;
/** The simulated account's ARNs, built as the stack builds its own. */
export const SIMULATED_ARNS = new Arns(SIMULATED_AWS.partition, SIMULATED_AWS.region, SIMULATED_AWS.accountId);

/** Replaces the partition/region/account data-source references in synthesized text with SIMULATED_AWS. */
export function resolveAwsReferences(text: string): string {
  return text
    .replaceAll('${data.aws_partition.partition.partition}', SIMULATED_AWS.partition)
    .replaceAll('${data.aws_region.region.name}', SIMULATED_AWS.region)
    .replaceAll('${data.aws_caller_identity.account.account_id}', SIMULATED_AWS.accountId);
}

export interface DeployedFunction {
  readonly functionName: string;
  /** The zip Terraform would upload. */
  readonly zip: Uint8Array;
  readonly environment: Readonly<Record<string, string>>;
  /** How long one call may run before Lambda stops it (`timeout`), in seconds. */
  readonly timeoutSeconds: number;
  /** Its memory (`memory_size`), in MB. */
  readonly memoryMb: number;
}

/** Any state machine in the stack: a workflow's, or one a workflow starts (an Express loop's batch machine). */
export interface StateMachineArtifact {
  readonly name: string;
  readonly arn: string;
  readonly type: 'STANDARD' | 'EXPRESS';
  readonly definition: StateMachineDefinition;
}

export interface DeployedStateMachine extends StateMachineArtifact {
  /** The workflow it runs: its id in the stack and its kind. */
  readonly workflowId: string;
  readonly kind: string;
  /** The workflow as the stack's manifest describes it: its functions by role, what a local run needs. */
  readonly workflow: WorkflowManifestEntry;
}

export interface StateMachineDefinition {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, { readonly Type: string; readonly Resource?: string; readonly [key: string]: unknown }>>;
  readonly [key: string]: unknown;
}

/** The failure alert rule as deployed: its event pattern and the message its target builds. */
export interface DeployedAlertRule {
  readonly eventPattern: unknown;
  readonly inputTransformer: { readonly inputPaths: Record<string, string>; readonly inputTemplate: string };
}

export interface StackArtifacts {
  /** The stack's workflows.json. */
  readonly manifest: StackManifest;
  /** Each workflow's state machine, by workflow id, in the stack's order. */
  readonly stateMachines: Readonly<Record<string, DeployedStateMachine>>;
  /** Every state machine in the stack, by ARN: what a `startExecution.sync:2` Task may start. */
  readonly stateMachinesByArn: ReadonlyMap<string, StateMachineArtifact>;
  readonly functions: ReadonlyMap<string, DeployedFunction>;
  readonly outputs: Readonly<Record<string, string>>;
  /** The failure alert rules: one for a few dozen workflows, none when the stack has none. */
  readonly alertRules: readonly DeployedAlertRule[];
}

/** A synthesized stack directory without what a tool needs in it, named in the message. */
export class StackArtifactsError extends Error {}

/** Reads a synthesized stack directory's workflows manifest; a directory without one is refused, naming it. */
export function readStackManifest(stackDir: string): StackManifest {
  const file = path.join(stackDir, WORKFLOWS_MANIFEST_FILE);
  if (!existsSync(file)) {
    throw new StackArtifactsError(`${stackDir} has no ${WORKFLOWS_MANIFEST_FILE}: a stack directory synthesized by npm run synth (cdktf.out/stacks/<stack>) has one beside its cdk.tf.json`);
  }
  return JSON.parse(readFileSync(file, 'utf8')) as StackManifest;
}

/**
 * Reads what Terraform would deploy from a synthesized stack directory: its workflows as its
 * manifest lists them, each one's rendered definition (found by its state machine's name) and
 * each function's zip and environment, with the data sources resolved.
 */
export function loadStackArtifacts(stackDir: string): StackArtifacts {
  const manifest = readStackManifest(stackDir);
  const stack = JSON.parse(resolveAwsReferences(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')));
  const resources = Object.values<{ name: string; type: StateMachineArtifact['type']; definition: string }>(stack.resource.aws_sfn_state_machine ?? {});
  const stateMachinesByArn = new Map<string, StateMachineArtifact>(
    resources.map((resource) => {
      const arn = SIMULATED_ARNS.stateMachine(resource.name);
      return [arn, { name: resource.name, arn, type: resource.type, definition: JSON.parse(resource.definition) }];
    }),
  );
  const stateMachines = Object.fromEntries(
    manifest.workflows.map((workflow) => {
      const machine = stateMachinesByArn.get(SIMULATED_ARNS.stateMachine(workflow.stateMachines.workflow));
      if (!machine) throw new StackArtifactsError(`no state machine ${workflow.stateMachines.workflow} (workflow ${workflow.id}) in ${stackDir}/cdk.tf.json`);
      return [workflow.id, { ...machine, workflowId: workflow.id, kind: workflow.kind, workflow }];
    }),
  );
  const functions = new Map<string, DeployedFunction>();
  for (const fn of Object.values<Record<string, any>>(stack.resource.aws_lambda_function ?? {})) {
    functions.set(fn.function_name, {
      functionName: fn.function_name,
      zip: readFileSync(path.join(stackDir, fn.filename)),
      environment: fn.environment?.variables ?? {},
      // Lambda's defaults when the resource leaves them out.
      timeoutSeconds: fn.timeout ?? 3,
      memoryMb: fn.memory_size ?? 128,
    });
  }
  const outputs = Object.fromEntries(Object.entries<{ value: string }>(stack.output ?? {}).map(([name, output]) => [name, output.value]));
  const targets = Object.values<{ rule: string; input_transformer: { input_paths: Record<string, string>; input_template: string } }>(stack.resource.aws_cloudwatch_event_target ?? {});
  const alertRules = Object.entries<{ event_pattern: string }>(stack.resource.aws_cloudwatch_event_rule ?? {}).map(([address, rule]) => {
    const target = targets.find((candidate) => candidate.rule === `\${aws_cloudwatch_event_rule.${address}.name}`);
    if (!target) throw new Error(`the alert rule ${address} has no target in ${stackDir}`);
    return {
      eventPattern: JSON.parse(rule.event_pattern),
      inputTransformer: { inputPaths: target.input_transformer.input_paths, inputTemplate: target.input_transformer.input_template },
    };
  });
  return { manifest, stateMachines, stateMachinesByArn, functions, outputs, alertRules };
}

/**
 * A polling definition's schedule as deployed (asl/polling.asl.json): the first interval, the cap
 * and the maximum wait, read back from the rendered states.
 */
export function deployedPollSchedule(definition: StateMachineDefinition): { firstIntervalSeconds: number; maxIntervalSeconds: number; maxWaitSeconds: number } {
  const start = definition.States.StartPolling as { Result?: { intervalSeconds?: number } };
  const budget = definition.States.CheckPollBudget as { Choices?: { Variable?: string; NumericGreaterThanEquals?: number; NumericGreaterThan?: number }[] };
  const rule = (variable: string) => budget.Choices?.find((choice) => choice.Variable === variable);
  const [wait, cap] = [rule('$.poll.waitedSeconds'), rule('$.poll.intervalSeconds')];
  if (start?.Result?.intervalSeconds === undefined || wait?.NumericGreaterThanEquals === undefined || cap?.NumericGreaterThan === undefined) {
    throw new Error('the definition has no polling (StartPolling, CheckPollBudget) to read the schedule from');
  }
  return { firstIntervalSeconds: start.Result.intervalSeconds, maxIntervalSeconds: cap.NumericGreaterThan, maxWaitSeconds: wait.NumericGreaterThanEquals };
}
