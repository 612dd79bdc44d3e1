import { createHash } from 'node:crypto';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { InvalidInput, hasErrorName } from './shared/errors';
import { EXECUTION_ARN_RULE, EXECUTION_ARN_TEXT } from './shared/execution-arn';
import { type JsonObject, requireEnv, requireInteger, requireObject, requireString } from './shared/validate';

/** Where an execution stands in its chain; absent on the first execution. */
export interface Lineage {
  readonly rootExecutionArn: string;
  readonly rootExecutionName: string;
  readonly generation: number;
  readonly parentExecutionArn: string;
}

export interface ChainInput {
  readonly restart: { readonly executionCount: number };
  readonly state?: unknown;
  readonly lineage?: Lineage;
}

export interface RestartEvent {
  /** The execution's state data (`$`). */
  readonly input: ChainInput;
  /** From the context object (`$$.Execution`). */
  readonly execution: { readonly id: string; readonly name: string };
}

export interface RestartResult {
  readonly executionArn: string;
  readonly executionName: string;
  readonly generation: number;
  /** False when a retried call found the successor it had already started. */
  readonly started: boolean;
}

export const MAX_PAYLOAD_BYTES = 256 * 1024;
const MAX_EXECUTION_NAME = 80;
const NAME_RULE = /^[0-9A-Za-z_-]{1,80}$/;

const sfn = new SFNClient({});
const stateMachineArn = requireEnv('STATE_MACHINE_ARN');

/**
 * The same name for the same root and generation, so StartExecution's idempotency (same name,
 * same input) turns a retried call into a no-op. Names longer than 80 characters, or with
 * characters CloudWatch Logs dislikes, are shortened and made unique again with a hash.
 */
export function successorName(rootName: string, rootArn: string, generation: number): string {
  const suffix = `-g${generation}`;
  if (NAME_RULE.test(rootName) && rootName.length + suffix.length <= MAX_EXECUTION_NAME) {
    return rootName + suffix;
  }
  const hash = createHash('sha256').update(rootArn).digest('hex').slice(0, 8);
  const base = rootName.replace(/[^0-9A-Za-z_-]/g, '_').slice(0, MAX_EXECUTION_NAME - suffix.length - hash.length - 1);
  return `${base}-${hash}${suffix}`;
}

function readLineage(input: JsonObject): Lineage | undefined {
  if (input.lineage === undefined) return undefined;
  const lineage = requireObject(input.lineage, 'input.lineage');
  return {
    rootExecutionArn: requireString(lineage, 'rootExecutionArn', EXECUTION_ARN_RULE, EXECUTION_ARN_TEXT, 'input.lineage.rootExecutionArn'),
    rootExecutionName: requireString(lineage, 'rootExecutionName', /^.{1,80}$/, '1 to 80 characters', 'input.lineage.rootExecutionName'),
    generation: requireInteger(lineage, 'generation', 1, 'input.lineage.generation'),
    parentExecutionArn: requireString(lineage, 'parentExecutionArn', EXECUTION_ARN_RULE, EXECUTION_ARN_TEXT, 'input.lineage.parentExecutionArn'),
  };
}

function executionArnOf(name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

export const handler = async (event: unknown): Promise<RestartResult> => {
  const body = requireObject(event, 'event');
  const input = requireObject(body.input, 'input');
  const restart = requireObject(input.restart, 'input.restart');
  const executionCount = requireInteger(restart, 'executionCount', 1, 'input.restart.executionCount');
  const execution = requireObject(body.execution, 'execution');
  const executionId = requireString(execution, 'id', EXECUTION_ARN_RULE, EXECUTION_ARN_TEXT, 'execution.id');
  const executionName = requireString(execution, 'name', /^.{1,80}$/, '1 to 80 characters', 'execution.name');
  const parent = readLineage(input);

  const lineage: Lineage = {
    rootExecutionArn: parent?.rootExecutionArn ?? executionId,
    rootExecutionName: parent?.rootExecutionName ?? executionName,
    generation: (parent?.generation ?? 0) + 1,
    parentExecutionArn: executionId,
  };
  const successor: ChainInput & { AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: string } = {
    restart: { executionCount: executionCount - 1 },
    ...(input.state === undefined ? {} : { state: input.state }),
    lineage,
    AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: executionId,
  };
  const successorInput = JSON.stringify(successor);
  const size = Buffer.byteLength(successorInput, 'utf8');
  if (size > MAX_PAYLOAD_BYTES) {
    throw new InvalidInput(
      `the carried state makes the next execution's input ${size} bytes; Step Functions accepts at most ${MAX_PAYLOAD_BYTES}`,
    );
  }
  const name = successorName(lineage.rootExecutionName, lineage.rootExecutionArn, lineage.generation);
  const result = { executionName: name, generation: lineage.generation };
  try {
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: successorInput }));
    return { ...result, executionArn: executionArn ?? executionArnOf(name), started: true };
  } catch (error) {
    if (!hasErrorName(error, 'ExecutionAlreadyExists')) throw error;
    // The successor finished before this retry: ours only if it was started with the same input.
    const existing = await sfn.send(new DescribeExecutionCommand({ executionArn: executionArnOf(name) }));
    if (existing.input !== successorInput) throw error;
    return { ...result, executionArn: existing.executionArn ?? executionArnOf(name), started: false };
  }
};
