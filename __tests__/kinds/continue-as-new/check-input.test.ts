import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../lambdas/continue-as-new/check-input';
import { CHECK_INPUT_ENVIRONMENT } from '../../../lambdas/shared/handler-environments';
import { MAX_STATE_BYTES } from '../../../lambdas/shared/work-contract';
import { setEnvironment, sfnError } from '../../support/sdk-errors';

setEnvironment(CHECK_INPUT_ENVIRONMENT, { maxGenerations: 10 });

const sfn = mockClient(SFNClient);
const arnOf = (name: string) => `arn:aws:states:eu-west-1:123456789012:execution:jobs-continue-as-new:${name}`;
const startDate = new Date('2026-03-01T02:00:00.000Z');
const started = (name: string, input: unknown) =>
  sfn.on(DescribeExecutionCommand).resolves({ executionArn: arnOf(name), name, input: typeof input === 'string' ? input : JSON.stringify(input), startDate });

beforeEach(() => sfn.reset());

describe('check-input handler', () => {
  test('the first execution: its input state, iteration 0, itself as the root of a new chain', async () => {
    started('nightly', { state: { cursor: 7 } });
    await expect(handler({ executionArn: arnOf('nightly') })).resolves.toEqual({
      work: { state: { cursor: 7 }, done: false },
      loop: { iteration: 0, events: 0 },
      lineage: { rootExecutionArn: arnOf('nightly'), rootExecutionName: 'nightly', generation: 0 },
      self: { executionArn: arnOf('nightly'), startTime: '2026-03-01T02:00:00.000Z' },
    });
    expect(sfn.commandCalls(DescribeExecutionCommand)[0].args[0].input).toEqual({ executionArn: arnOf('nightly') });
  });

  test('no state means null', async () => {
    started('nightly', {});
    await expect(handler({ executionArn: arnOf('nightly') })).resolves.toMatchObject({ work: { state: null } });
  });

  test('a successor keeps its lineage', async () => {
    const lineage = { rootExecutionArn: arnOf('nightly'), rootExecutionName: 'nightly', generation: 3, parentExecutionArn: arnOf('nightly-g2'), parentStartTime: '2026-03-01T01:00:00.000Z' };
    started('nightly-g3', { state: 1, lineage, AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: arnOf('nightly-g2') });
    await expect(handler({ executionArn: arnOf('nightly-g3') })).resolves.toMatchObject({
      lineage: { rootExecutionArn: arnOf('nightly'), rootExecutionName: 'nightly', generation: 3 },
      self: { executionArn: arnOf('nightly-g3') },
    });
  });

  test('a successor whose parent was stopped does no work: it returns stopped, naming the parent; a parent that ended otherwise lets it run', async () => {
    const lineage = { rootExecutionArn: arnOf('nightly'), rootExecutionName: 'nightly', generation: 3, parentExecutionArn: arnOf('nightly-g2'), parentStartTime: '2026-03-01T01:00:00.000Z' };
    started('nightly-g3', { state: 1, lineage, AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: arnOf('nightly-g2') });
    sfn.on(DescribeExecutionCommand, { executionArn: arnOf('nightly-g2') }).resolves({ executionArn: arnOf('nightly-g2'), status: 'ABORTED', startDate });
    await expect(handler({ executionArn: arnOf('nightly-g3') })).resolves.toEqual({
      stopped: { parentExecutionArn: arnOf('nightly-g2'), parentStatus: 'ABORTED' },
      lineage: { rootExecutionArn: arnOf('nightly'), rootExecutionName: 'nightly', generation: 3 },
    });
    expect(sfn.commandCalls(DescribeExecutionCommand).map((call) => call.args[0].input.executionArn)).toEqual([arnOf('nightly-g3'), arnOf('nightly-g2')]);
    sfn.on(DescribeExecutionCommand, { executionArn: arnOf('nightly-g2') }).resolves({ executionArn: arnOf('nightly-g2'), status: 'SUCCEEDED', startDate });
    await expect(handler({ executionArn: arnOf('nightly-g3') })).resolves.toMatchObject({ work: { state: 1 }, lineage: { generation: 3 } });
  });

  test.each([
    ['an old-style input', { restart: { executionCount: 4 } }, 'the input may hold only "state" (and, from a restart, "lineage"), not "restart": {"state": <JSON>}'],
    ['a string', '"hello"', 'the input must be a JSON object, got a string of 7 bytes of JSON'],
    ['a fractional generation', { state: 1, lineage: { rootExecutionArn: arnOf('x'), rootExecutionName: 'x', generation: 1.5 } }, 'input.lineage.generation must be an integer >= 0, got 1.5'],
    ['an unsafe generation', { state: 1, lineage: { rootExecutionArn: arnOf('x'), rootExecutionName: 'x', generation: 2 ** 60 } }, 'input.lineage.generation must be an integer >= 0, got 1152921504606847000'],
  ])('%s is refused up front with InvalidInput', async (_, input, message) => {
    started('nightly', input);
    await expect(handler({ executionArn: arnOf('nightly') })).rejects.toMatchObject({ name: 'InvalidInput', message });
  });

  test('a state too large to carry is refused with its size and the limit', async () => {
    const state = 'x'.repeat(MAX_STATE_BYTES);
    started('nightly', { state });
    await expect(handler({ executionArn: arnOf('nightly') })).rejects.toMatchObject({
      name: 'StateTooLarge',
      message: `the input state is ${MAX_STATE_BYTES + 2} bytes of JSON; the machine carries at most ${MAX_STATE_BYTES} (Step Functions' 262144-byte payload quota less room for its own fields)`,
    });
  });

  test('a first name too long for its successors is refused before any work', async () => {
    const name = 'n'.repeat(78);
    started(name, {});
    await expect(handler({ executionArn: arnOf(name) })).rejects.toMatchObject({
      name: 'InvalidInput',
      message: `the execution name ${name} is too long for its chain: successors are named <name>-g<generation>, up to -g10, and a name holds at most 80 characters, so it may have 76`,
    });
  });

  test('at maxGenerations the chain stops, naming the shape of the state to resume from, never its values', async () => {
    const lineage = { rootExecutionArn: arnOf('nightly'), rootExecutionName: 'nightly', generation: 10 };
    started('nightly-g10', { state: { cursor: 99 }, lineage });
    await expect(handler({ executionArn: arnOf('nightly-g10') })).rejects.toMatchObject({
      name: 'GenerationCapReached',
      message:
        'the chain of nightly reached maxGenerations (10), so generation 10 does no work. ' +
        'To resume, start a new execution with {"state": <this execution\'s input state>} (an object of 13 bytes of JSON, keys cursor (number))',
    });
  });

  test.each([
    ['throttled', sfnError('ThrottlingException', 400)],
    ["Step Functions' 500", sfnError('InternalFailure', 500)],
  ])('reading the execution %s comes out as TransientAwsError', async (_, error) => {
    sfn.on(DescribeExecutionCommand).rejects(error);
    await expect(handler({ executionArn: arnOf('nightly') })).rejects.toMatchObject({ name: 'TransientAwsError' });
  });

  test('an event without an execution ARN is refused before any AWS call', async () => {
    await expect(handler({})).rejects.toMatchObject({ name: 'InvalidInput', message: 'executionArn must be a Step Functions execution ARN, got nothing' });
    expect(sfn.calls()).toHaveLength(0);
  });
});
