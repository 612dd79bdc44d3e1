import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { CLIENT_CONFIG } from './shared/aws-clients';
import { isStartedBy, readLineage, readSelf, SuccessorNameTaken, successorInput, successorName } from './shared/chain';
import { callAws, hasErrorName } from './shared/errors';
import { requireEnv, requireObject } from './shared/validate';

export interface RestartEvent {
  readonly state: unknown;
  readonly lineage: unknown;
  readonly self: unknown;
}

export interface RestartResult {
  readonly executionArn: string;
}

const sfn = new SFNClient(CLIENT_CONFIG);
const stateMachineArn = requireEnv('STATE_MACHINE_ARN');

const executionArnOf = (name: string) => `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

/**
 * The seed's way to continue: starts the next execution of this state machine with the state
 * carried on, under a name derived from the chain, so a retried call never makes a second one.
 */
export const handler = async (event: unknown): Promise<RestartResult> => {
  const body = requireObject(event, 'event');
  const lineage = readLineage(body.lineage, 'event.lineage');
  const self = readSelf(body.self, 'event.self');
  const name = successorName(lineage);
  const input = JSON.stringify(successorInput(body.state ?? null, lineage, self));
  try {
    const { executionArn } = await callAws(() => sfn.send(new StartExecutionCommand({ stateMachineArn, name, input })));
    return { executionArn: executionArn ?? executionArnOf(name) };
  } catch (error) {
    if (!hasErrorName(error, 'ExecutionAlreadyExists')) throw error;
    // A successor with our name already finished: ours only if this very execution started it.
    const existing = await callAws(() => sfn.send(new DescribeExecutionCommand({ executionArn: executionArnOf(name) })));
    if (!isStartedBy(JSON.parse(existing.input ?? 'null'), self)) throw new SuccessorNameTaken(name);
    return { executionArn: existing.executionArn ?? executionArnOf(name) };
  }
};
