import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { CLIENT_CONFIG } from '../shared/aws-clients';
import { isStartedBy, readLineage, readSelf, SuccessorNameTaken, successorInput, successorName } from './chain';
import { callAws, hasErrorName } from '../shared/errors';
import { RESTART_ENVIRONMENT } from '../shared/handler-environments';
import { requireObject } from '../shared/validate';
import { executionFields, loggedCall, type CallFields } from '../shared/call-log';

export interface RestartEvent {
  readonly state: unknown;
  readonly lineage: unknown;
  readonly self: unknown;
}

export interface RestartResult {
  readonly executionArn: string;
}

const sfn = new SFNClient(CLIENT_CONFIG);

const executionArnOf = (stateMachineArn: string, name: string) => `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

/**
 * The restart function's way to continue: starts the next execution of this state machine with the state
 * carried on, under a name derived from the chain, so a retried call never makes a second one.
 */
const restart = async (event: unknown, fields: CallFields): Promise<RestartResult> => {
  const { stateMachineArn } = RESTART_ENVIRONMENT.read(process.env);
  const body = requireObject(event, 'event');
  const lineage = readLineage(body.lineage, 'event.lineage');
  const self = readSelf(body.self, 'event.self');
  const name = successorName(lineage);
  const successorArn = executionArnOf(stateMachineArn, name);
  const input = JSON.stringify(successorInput(body.state ?? null, lineage, self));
  try {
    const { executionArn } = await callAws(() => sfn.send(new StartExecutionCommand({ stateMachineArn, name, input })));
    fields.outcome = 'started';
    return { executionArn: executionArn ?? successorArn };
  } catch (error) {
    if (!hasErrorName(error, 'ExecutionAlreadyExists')) throw error;
    // A successor with our name already finished: ours only if this very execution started it.
    const existing = await callAws(() => sfn.send(new DescribeExecutionCommand({ executionArn: successorArn })));
    if (!isStartedBy(JSON.parse(existing.input ?? 'null'), self)) throw new SuccessorNameTaken(name);
    fields.outcome = 'found';
    return { executionArn: existing.executionArn ?? successorArn };
  }
};

export const handler = (event: unknown) =>
  loggedCall('restart', executionFields((event as { self?: { executionArn?: unknown } } | null)?.self?.executionArn), (fields) => restart(event, fields));
