import { TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import type { PolicyStatement } from './iam';

const keys = new WeakMap<TerraformStack, string>();

/**
 * The stack's customer managed KMS key (`kmsKeyArn`), looked up from any construct in it: every
 * state machine, log group, function and the alert topic use it, each from its own construct, so
 * no kind passes it on. Unset, each uses its AWS-owned key, and synth writes what it wrote before.
 */
export const StackKey = {
  /** Sets the key of the stack `scope` is in. */
  use(scope: IConstruct, kmsKeyArn: string | undefined): void {
    if (kmsKeyArn !== undefined) keys.set(TerraformStack.of(scope), kmsKeyArn);
  },
  /** The key of the stack `scope` is in, or undefined when it has none. */
  of(scope: IConstruct): string | undefined {
    return keys.get(TerraformStack.of(scope));
  },
};

/** The context Step Functions encrypts a state machine's definition and execution data with: its ARN. */
export const STATES_ENCRYPTION_CONTEXT = 'kms:EncryptionContext:aws:states:stateMachineArn';

/** The state machine an ARN of Step Functions names (a machine, an execution, an Express execution), or undefined. */
export function stateMachineOf(arn: string): string | undefined {
  const match = /^(arn:[^:]+:states:[^:]+:[^:]+:)(?:stateMachine|execution|express):([^:]+)/.exec(arn);
  return match ? `${match[1]}stateMachine:${match[2]}` : undefined;
}

/**
 * What a role needs of the key, and no more: `kms:Decrypt` and `kms:GenerateDataKey`, only within
 * the encryption context of the state machines it runs or calls (Step Functions' documented
 * condition), or nothing when it uses none.
 */
export function keyStatement(kmsKeyArn: string, stateMachineArns: readonly string[]): PolicyStatement | undefined {
  const contexts = [...new Set(stateMachineArns)];
  if (contexts.length === 0) return undefined;
  return {
    Sid: 'UseStackKeyForOwnStateMachines',
    Effect: 'Allow',
    Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
    Resource: [kmsKeyArn],
    Condition: { StringEquals: { [STATES_ENCRYPTION_CONTEXT]: contexts.length === 1 ? contexts[0] : contexts } },
  };
}
