import { DescribeExecutionCommand, ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../lambdas/continue-as-new/restart';
import { RESTART_ENVIRONMENT } from '../../../lambdas/shared/handler-environments';
import { setEnvironment, sfnError } from '../../support/sdk-errors';

const stateMachineArn = 'arn:aws:states:eu-west-1:123456789012:stateMachine:jobs-continue-as-new';
setEnvironment(RESTART_ENVIRONMENT, { stateMachineArn });

const sfn = mockClient(SFNClient);
const arnOf = (name: string) => `arn:aws:states:eu-west-1:123456789012:execution:jobs-continue-as-new:${name}`;
const self = { executionArn: arnOf('nightly-g2'), startTime: '2026-03-01T02:00:00.000Z' };
const lineage = { rootExecutionArn: arnOf('nightly'), rootExecutionName: 'nightly', generation: 2 };
const event = { state: { cursor: 42 }, lineage, self };
const successorInput = {
  state: { cursor: 42 },
  lineage: { ...lineage, generation: 3, parentExecutionArn: self.executionArn, parentStartTime: self.startTime },
  AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: self.executionArn,
};
const alreadyExists = () => new ExecutionAlreadyExists({ message: `Execution Already Exists: '${arnOf('nightly-g3')}'`, $metadata: { httpStatusCode: 400 } });

beforeEach(() => sfn.reset());

describe('restart handler', () => {
  test('starts the next generation of its own state machine, named after the root, carrying the state and the lineage', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: arnOf('nightly-g3'), startDate: new Date(0) });
    await expect(handler(event)).resolves.toEqual({ executionArn: arnOf('nightly-g3') });
    const { input } = sfn.commandCalls(StartExecutionCommand)[0].args[0];
    expect({ ...input, input: JSON.parse(input.input!) }).toEqual({ stateMachineArn, name: 'nightly-g3', input: successorInput });
  });

  test('a retry that finds the successor it started, already finished, succeeds without starting another', async () => {
    sfn.on(StartExecutionCommand).rejects(alreadyExists());
    sfn.on(DescribeExecutionCommand).resolves({ executionArn: arnOf('nightly-g3'), input: JSON.stringify(successorInput) });
    await expect(handler(event)).resolves.toEqual({ executionArn: arnOf('nightly-g3') });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
    expect(sfn.commandCalls(DescribeExecutionCommand)[0].args[0].input).toEqual({ executionArn: arnOf('nightly-g3') });
  });

  test.each([
    ['another chain', { ...successorInput, lineage: { ...successorInput.lineage, parentExecutionArn: arnOf('other') } }],
    ['the same name 90 days earlier (same parent ARN, another start time)', { ...successorInput, lineage: { ...successorInput.lineage, parentStartTime: '2025-11-01T02:00:00.000Z' } }],
    ['an execution with no lineage', { state: 1 }],
  ])('a successor name held by %s is not ours: SuccessorNameTaken', async (_, existingInput) => {
    sfn.on(StartExecutionCommand).rejects(alreadyExists());
    sfn.on(DescribeExecutionCommand).resolves({ executionArn: arnOf('nightly-g3'), input: JSON.stringify(existingInput) });
    await expect(handler(event)).rejects.toMatchObject({ name: 'SuccessorNameTaken', message: expect.stringContaining('an execution named nightly-g3 exists and was not started by this execution') });
  });

  test.each([
    ['throttled', sfnError('ThrottlingException', 400)],
    ["Step Functions' 500", sfnError('InternalFailure', 500)],
    ['unavailable', sfnError('ServiceUnavailable', 503)],
  ])('StartExecution %s comes out as TransientAwsError, which the state machine retries', async (_, error) => {
    sfn.on(StartExecutionCommand).rejects(error);
    await expect(handler(event)).rejects.toMatchObject({ name: 'TransientAwsError', message: `${error.name}: ${error.message}` });
  });

  test('an error that is not transient propagates unchanged', async () => {
    const denied = sfnError('AccessDeniedException', 400);
    sfn.on(StartExecutionCommand).rejects(denied);
    await expect(handler(event)).rejects.toBe(denied);
  });

  test.each([
    ['no lineage', { state: 1, self }, 'event.lineage must be a JSON object, got nothing'],
    ['a fractional generation', { state: 1, self, lineage: { ...lineage, generation: 0.5 } }, 'event.lineage.generation must be an integer >= 0, got 0.5'],
    ['no start time', { state: 1, lineage, self: { executionArn: self.executionArn } }, 'event.self.startTime must be an ISO 8601 UTC time, got nothing'],
  ])('rejects %s with InvalidInput before calling AWS', async (_, badEvent, message) => {
    await expect(handler(badEvent)).rejects.toMatchObject({ name: 'InvalidInput', message });
    expect(sfn.calls()).toHaveLength(0);
  });
});
