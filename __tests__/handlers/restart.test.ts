import { DescribeExecutionCommand, ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';

const stateMachineArn = 'arn:aws:states:eu-west-1:123456789012:stateMachine:long-running-continue-as-new';
process.env.STATE_MACHINE_ARN = stateMachineArn;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { handler, successorName, MAX_PAYLOAD_BYTES } = require('../../lambdas/restart') as typeof import('../../lambdas/restart');

const sfn = mockClient(SFNClient);
const executionArn = (name: string) => `arn:aws:states:eu-west-1:123456789012:execution:long-running-continue-as-new:${name}`;
const root = { id: executionArn('nightly'), name: 'nightly' };
const event = {
  input: { restart: { executionCount: 3 }, state: { cursor: 42 }, iterator: { index: 100 } },
  execution: root,
};

beforeEach(() => sfn.reset());

describe('restart handler', () => {
  test('starts the next generation on its own state machine with the state carried and the count decremented', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: executionArn('nightly-g1'), startDate: new Date(0) });
    await expect(handler(event)).resolves.toEqual({
      executionArn: executionArn('nightly-g1'),
      executionName: 'nightly-g1',
      generation: 1,
      started: true,
    });
    const [call] = sfn.commandCalls(StartExecutionCommand);
    expect(call.args[0].input.stateMachineArn).toBe(stateMachineArn);
    expect(call.args[0].input.name).toBe('nightly-g1');
    expect(JSON.parse(call.args[0].input.input!)).toEqual({
      restart: { executionCount: 2 },
      state: { cursor: 42 },
      lineage: { rootExecutionArn: root.id, rootExecutionName: 'nightly', generation: 1, parentExecutionArn: root.id },
      AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: root.id,
    });
  });

  test('names later generations after the root, not the parent', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: executionArn('nightly-g3') });
    const lineage = { rootExecutionArn: root.id, rootExecutionName: 'nightly', generation: 2, parentExecutionArn: executionArn('nightly-g1') };
    await handler({ input: { restart: { executionCount: 1 }, lineage }, execution: { id: executionArn('nightly-g2'), name: 'nightly-g2' } });
    const input = sfn.commandCalls(StartExecutionCommand)[0].args[0].input;
    expect(input.name).toBe('nightly-g3');
    expect(JSON.parse(input.input!).lineage).toEqual({ ...lineage, generation: 3, parentExecutionArn: executionArn('nightly-g2') });
  });

  test('execution names stay valid: at most 80 safe characters, unique per root', () => {
    expect(successorName('a'.repeat(80), executionArn('x'), 12)).toMatch(/^[0-9A-Za-z_-]{1,80}$/);
    expect(successorName('a'.repeat(80), executionArn('x'), 12)).toHaveLength(80);
    expect(successorName('job:1 2', executionArn('job:1 2'), 1)).toMatch(/^job_1_2-[0-9a-f]{8}-g1$/);
    expect(successorName('job:1 2', executionArn('job:1 2'), 1)).not.toBe(successorName('job_1_2', executionArn('job_1_2'), 1));
  });

  test('a retry that finds its successor already finished with the same input succeeds without starting another', async () => {
    sfn.on(StartExecutionCommand).resolvesOnce({ executionArn: executionArn('nightly-g1') });
    await handler(event);
    const sentInput = sfn.commandCalls(StartExecutionCommand)[0].args[0].input.input;
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    sfn.on(DescribeExecutionCommand).resolves({ executionArn: executionArn('nightly-g1'), input: sentInput });
    await expect(handler(event)).resolves.toMatchObject({ executionName: 'nightly-g1', started: false });
    expect(sfn.commandCalls(DescribeExecutionCommand)[0].args[0].input).toEqual({ executionArn: executionArn('nightly-g1') });
  });

  test('ExecutionAlreadyExists for an execution with other input is not ours: it propagates', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    sfn.on(DescribeExecutionCommand).resolves({ executionArn: executionArn('nightly-g1'), input: '{"other":true}' });
    await expect(handler(event)).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
  });

  test('propagates other Step Functions errors unchanged', async () => {
    sfn.on(StartExecutionCommand).rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    await expect(handler(event)).rejects.toMatchObject({ name: 'ThrottlingException' });
  });

  test('refuses, before calling AWS, carried state that would exceed the 256 KiB payload limit', async () => {
    const big = { ...event, input: { ...event.input, state: 'x'.repeat(MAX_PAYLOAD_BYTES) } };
    await expect(handler(big)).rejects.toMatchObject({
      name: 'InvalidInput',
      message: expect.stringMatching(/next execution's input \d+ bytes; Step Functions accepts at most 262144/),
    });
    expect(sfn.calls()).toHaveLength(0);
  });

  test.each([
    ['no input', { execution: root }, 'input must be a JSON object, got nothing'],
    ['no restart', { input: {}, execution: root }, 'input.restart must be a JSON object, got nothing'],
    ['a zero count', { input: { restart: { executionCount: 0 } }, execution: root }, 'input.restart.executionCount must be an integer >= 1, got 0'],
    ['a text count', { input: { restart: { executionCount: '2' } }, execution: root }, 'input.restart.executionCount must be an integer >= 1, got "2"'],
    ['no execution', { input: { restart: { executionCount: 1 } } }, 'execution must be a JSON object, got nothing'],
    ['a bad execution id', { input: { restart: { executionCount: 1 } }, execution: { id: 'x', name: 'y' } }, 'execution.id must be a Step Functions execution ARN, got "x"'],
    [
      'a bad lineage',
      { input: { restart: { executionCount: 1 }, lineage: { generation: 0 } }, execution: root },
      'input.lineage.rootExecutionArn must be a Step Functions execution ARN, got nothing',
    ],
  ])('rejects %s with InvalidInput before calling AWS', async (_, badEvent, message) => {
    await expect(handler(badEvent)).rejects.toMatchObject({ name: 'InvalidInput', message });
    expect(sfn.calls()).toHaveLength(0);
  });
});
