import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The account, region and partition the simulator (and the tests) put in place of the data sources. */
export const SIMULATED_AWS = { partition: 'aws', region: 'eu-west-1', accountId: '123456789012' } as const;

/** Replaces the partition/region/account data-source references in synthesized text with SIMULATED_AWS. */
export function resolveAwsReferences(text: string): string {
  return text
    .replaceAll('${data.aws_partition.partition.partition}', SIMULATED_AWS.partition)
    .replaceAll('${data.aws_region.region.name}', SIMULATED_AWS.region)
    .replaceAll('${data.aws_caller_identity.account.account_id}', SIMULATED_AWS.accountId);
}

export type WorkflowName = 'continue-as-new' | 'rds-snapshot';

export interface DeployedFunction {
  readonly functionName: string;
  /** The zip Terraform would upload. */
  readonly zip: Uint8Array;
  readonly environment: Readonly<Record<string, string>>;
}

export interface DeployedStateMachine {
  readonly name: string;
  readonly arn: string;
  readonly definition: StateMachineDefinition;
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
  readonly stateMachines: Readonly<Record<WorkflowName, DeployedStateMachine>>;
  readonly functions: ReadonlyMap<string, DeployedFunction>;
  readonly outputs: Readonly<Record<string, string>>;
  readonly alertRule: DeployedAlertRule;
}

const STATE_MACHINE_ADDRESSES: Record<WorkflowName, string> = {
  'continue-as-new': 'continue_as_new_workflow_state_machine',
  'rds-snapshot': 'rds_snapshot_workflow_state_machine',
};

/**
 * Reads what Terraform would deploy from a synthesized stack directory: each rendered
 * definition and each function's zip and environment, with the data sources resolved.
 */
export function loadStackArtifacts(stackDir: string): StackArtifacts {
  const stack = JSON.parse(resolveAwsReferences(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')));
  const stateMachines = Object.fromEntries(
    Object.entries(STATE_MACHINE_ADDRESSES).map(([workflow, address]) => {
      const resource = stack.resource.aws_sfn_state_machine[address];
      const arn = `arn:${SIMULATED_AWS.partition}:states:${SIMULATED_AWS.region}:${SIMULATED_AWS.accountId}:stateMachine:${resource.name}`;
      return [workflow, { name: resource.name, arn, definition: JSON.parse(resource.definition) }];
    }),
  ) as Record<WorkflowName, DeployedStateMachine>;
  const functions = new Map<string, DeployedFunction>();
  for (const fn of Object.values<Record<string, any>>(stack.resource.aws_lambda_function)) {
    functions.set(fn.function_name, {
      functionName: fn.function_name,
      zip: readFileSync(path.join(stackDir, fn.filename)),
      environment: fn.environment?.variables ?? {},
    });
  }
  const outputs = Object.fromEntries(Object.entries<{ value: string }>(stack.output).map(([name, output]) => [name, output.value]));
  const [rule] = Object.values<{ event_pattern: string }>(stack.resource.aws_cloudwatch_event_rule);
  const [target] = Object.values<{ input_transformer: { input_paths: Record<string, string>; input_template: string } }>(stack.resource.aws_cloudwatch_event_target);
  const alertRule = {
    eventPattern: JSON.parse(rule.event_pattern),
    inputTransformer: { inputPaths: target.input_transformer.input_paths, inputTemplate: target.input_transformer.input_template },
  };
  return { stateMachines, functions, outputs, alertRule };
}
