import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandInput,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ExecuteError, RefusedError, execute, synthesizedManifest, synthesizedStacks, terraformOutputs, type ExecuteDeps } from '../scripts/execute';
import { tempDir } from './support/temp-dir';

const sfn = mockClient(SFNClient);
const machine = 'arn:aws:states:eu-west-1:123456789012:stateMachine:long-running-continue-as-new';
const executionArn = (name: string) => `arn:aws:states:eu-west-1:123456789012:execution:long-running-continue-as-new:${name}`;
const snapshotArn = 'arn:aws:states:eu-west-1:123456789012:stateMachine:long-running-rds-snapshot';
const DEV_AND_PROD = [
  { stackId: 'long-running-workflows-dev', environment: 'dev' },
  { stackId: 'long-running-workflows-prod', environment: 'prod' },
];
const outputs = {
  continue_as_new_state_machine_arn: machine,
  continue_as_new_example_input: '{"restart":{"executionCount":2},"state":{"job":"example"}}',
  rds_snapshot_state_machine_arn: snapshotArn,
  rds_snapshot_example_input: '{}',
};

function deps(overrides: Partial<ExecuteDeps> = {}) {
  const lines: string[] = [];
  const regions: string[] = [];
  const value: ExecuteDeps = {
    sfn: (region) => {
      regions.push(region);
      return new SFNClient({ region });
    },
    readOutputs: () => outputs,
    // Not synthesized in this checkout unless a test says so: the workflows are the outputs'.
    readManifest: () => undefined,
    stacks: () => [],
    readFile: () => '{"restart":{"executionCount":0}}',
    newRunId: () => 'root',
    print: (line) => lines.push(line),
    sleep: async () => undefined,
    ...overrides,
  };
  return { value, lines, regions };
}

const doesNotExist = (arn: string) => new ExecutionDoesNotExist({ message: `Execution Does Not Exist: '${arn}'`, $metadata: { httpStatusCode: 400 } });

/** DescribeExecution as Step Functions answers it: ExecutionDoesNotExist for a run no StartExecution has started, else `answer`. */
function onDescribe(answer: (input: DescribeExecutionCommandInput) => object) {
  sfn.on(DescribeExecutionCommand).callsFake((input: DescribeExecutionCommandInput) => {
    const name = String(input.executionArn).split(':').pop();
    const started = sfn.commandCalls(StartExecutionCommand).map((call) => String(call.args[0].input.name));
    // A run's own successors are started by its executions, not by the command.
    if (!started.some((run) => name === run || name?.startsWith(`${run}-g`))) throw doesNotExist(String(input.executionArn));
    return answer(input);
  });
}

beforeEach(() => {
  sfn.reset();
  sfn.on(DescribeExecutionCommand).callsFake(({ executionArn: arn }) => {
    throw doesNotExist(arn);
  });
});

describe('npm run execute', () => {
  test('starts continue-as-new with the example input and follows the whole chain, one line per execution', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: executionArn('root'), startDate: new Date(0) });
    const statuses: Record<string, object[]> = {
      root: [{ status: 'RUNNING' }, { status: 'SUCCEEDED', output: JSON.stringify({ successor: { executionArn: executionArn('root-g1') } }) }],
      'root-g1': [{ status: 'SUCCEEDED', output: JSON.stringify({ successor: { executionArn: executionArn('root-g2') } }) }],
      'root-g2': [{ status: 'SUCCEEDED', output: JSON.stringify({ restart: { executionCount: 0 } }) }],
    };
    onDescribe(({ executionArn: arn }) => {
      const name = String(arn).split(':').pop()!;
      return { executionArn: arn, name, ...statuses[name].shift() };
    });
    sfn.on(GetExecutionHistoryCommand).resolves({ events: [{ id: 922, type: 'ExecutionSucceeded', timestamp: new Date(0) }] });
    const { value, lines, regions } = deps();

    await expect(execute(['continue-as-new'], value)).resolves.toBe(0);
    expect(sfn.commandCalls(StartExecutionCommand)[0].args[0].input).toEqual({ stateMachineArn: machine, input: outputs.continue_as_new_example_input, name: 'root' });
    expect(regions).toEqual(['eu-west-1']);
    expect(lines).toEqual([
      `run root of continue-as-new: started ${executionArn('root')}`,
      'generation 0  root  RUNNING  922 events',
      'generation 0  root  SUCCEEDED  922 events',
      'generation 1  root-g1  SUCCEEDED  922 events',
      'generation 2  root-g2  SUCCEEDED  922 events',
      'done: continue-as-new SUCCEEDED',
    ]);
    expect(sfn.commandCalls(GetExecutionHistoryCommand)[0].args[0].input).toMatchObject({ reverseOrder: true, maxResults: 1 });
  });

  test('a failed execution prints its error and cause and exits 1', async () => {
    sfn.on(StartExecutionCommand).callsFake(({ name }) => ({ executionArn: `${snapshotArn.replace('stateMachine', 'execution')}:${name}` }));
    onDescribe(() => ({ name: 'snap', status: 'FAILED', error: 'SnapshotFailed', cause: 'Snapshot x ended with status failed' }));
    sfn.on(GetExecutionHistoryCommand).resolves({ events: [{ id: 40, type: 'ExecutionFailed', timestamp: new Date(0) }] });
    const { value, lines } = deps();
    await expect(execute(['rds-snapshot'], value)).resolves.toBe(1);
    expect(lines.slice(1)).toEqual(['generation 0  snap  FAILED  40 events', '  SnapshotFailed: Snapshot x ended with status failed']);
  });

  test('--arn needs no Terraform outputs: the input is --input, or empty', async () => {
    sfn.on(StartExecutionCommand).callsFake(({ name }) => ({ executionArn: executionArn(name) }));
    onDescribe(() => ({ name: 'x', status: 'SUCCEEDED', output: '{}' }));
    sfn.on(GetExecutionHistoryCommand).resolves({ events: [] });
    const readOutputs = jest.fn();
    const { value } = deps({ readOutputs, readFile: () => '{"state":{"next":2}}' });
    await expect(execute(['continue-as-new', '--arn', machine.replace('eu-west-1', 'us-west-2'), '--input', 'in.json', '--id', 'first'], value)).resolves.toBe(0);
    await expect(execute(['continue-as-new', '--arn', machine, '--id', 'second'], value)).resolves.toBe(0);
    expect(readOutputs).not.toHaveBeenCalled();
    expect(sfn.commandCalls(StartExecutionCommand).map((call) => call.args[0].input.input)).toEqual(['{"state":{"next":2}}', '{}']);
  });

  describe('a run id', () => {
    test('--id names the first execution; without it a readable id is made and printed', async () => {
      sfn.on(StartExecutionCommand).callsFake(({ name }) => ({ executionArn: executionArn(name), startDate: new Date(0) }));
      onDescribe(({ executionArn: arn }) => ({ executionArn: arn, name: String(arn).split(':').pop(), status: 'SUCCEEDED', output: '{}' }));
      sfn.on(GetExecutionHistoryCommand).resolves({ events: [] });
      const { value, lines } = deps({ newRunId: undefined });
      await expect(execute(['continue-as-new', '--id', 'nightly-2026-03-01'], value)).resolves.toBe(0);
      expect(lines[0]).toBe(`run nightly-2026-03-01 of continue-as-new: started ${executionArn('nightly-2026-03-01')}`);
      await expect(execute(['continue-as-new'], value)).resolves.toBe(0);
      const made = String(sfn.commandCalls(StartExecutionCommand)[1].args[0].input.name);
      expect(made).toMatch(/^continue-as-new-\d{8}-\d{6}-[0-9a-f]{4}$/);
      expect(lines).toContain(`run ${made} of continue-as-new: started ${executionArn(made)}`);
    });

    test.each([
      ['RUNNING', 'is already running'],
      ['FAILED', 'has already ended: FAILED'],
    ])('an id whose execution exists (%s) starts nothing: one line naming the execution, refused (exit 1)', async (status, how) => {
      sfn.on(DescribeExecutionCommand).resolves({ executionArn: executionArn('nightly'), name: 'nightly', status: status as 'RUNNING' | 'FAILED' });
      const { value } = deps();
      const refused = execute(['continue-as-new', '--id', 'nightly'], value);
      await expect(refused).rejects.toBeInstanceOf(RefusedError);
      await expect(refused).rejects.toThrow(`run nightly of continue-as-new ${how} (execution ${executionArn('nightly')}): see it with npm run runs -- status continue-as-new nightly`);
      expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    });

    test('a start of the same id that gets there first (ExecutionAlreadyExists) is refused the same way', async () => {
      let described = 0;
      sfn.on(DescribeExecutionCommand).callsFake(({ executionArn: arn }) => {
        described += 1;
        if (described === 1) throw doesNotExist(arn);
        return { executionArn: arn, name: 'nightly', status: 'RUNNING' };
      });
      sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: `Execution Already Exists: '${executionArn('nightly')}'`, $metadata: { httpStatusCode: 400 } }));
      const { value } = deps();
      await expect(execute(['continue-as-new', '--id', 'nightly'], value)).rejects.toThrow(`run nightly of continue-as-new is already running (execution ${executionArn('nightly')})`);
    });

    test.each([
      ['nightly-g3', 'run id "nightly-g3" ends like a successor\'s name (-g<n>): choose another'],
      ['two words', 'run id "two words" must be 1-71 letters, digits, hyphens or underscores'],
      ['x'.repeat(72), 'must be 1-71 letters'],
    ])('--id %s is refused before any AWS call (bad usage)', async (id, message) => {
      const { value } = deps();
      const refused = execute(['continue-as-new', '--id', id], value);
      await expect(refused).rejects.toThrow(message);
      await expect(refused).rejects.not.toBeInstanceOf(RefusedError);
      expect(sfn.calls()).toHaveLength(0);
    });
  });

  test.each([
    [['deploy-everything'], 'stack long-running-workflows has no workflow "deploy-everything": its workflows are continue-as-new, rds-snapshot'],
    [['Deploy_Everything'], '"Deploy_Everything" is not a workflow id'],
    [['rds-snapshot', '--stack', 'a', '--environment', 'b'], 'give --stack or --environment, not both'],
    [[], 'Usage: npm run execute -- <workflow> [options]'],
    [['rds-snapshot', '--arn', 'arn:aws:lambda:eu-west-1:123456789012:function:x', '--input', 'x'], 'is not a state machine ARN'],
    [['rds-snapshot', '--poll-seconds', '0'], '--poll-seconds must be a whole number >= 1, got "0"'],
  ])('%j is refused before any AWS call', async (argv, message) => {
    const { value } = deps();
    await expect(execute(argv, value)).rejects.toThrow(message);
    expect(sfn.calls()).toHaveLength(0);
  });

  test('any workflow of the stack by its id, in the environment chosen: a configured job, here in dev', async () => {
    const reindex = 'arn:aws:states:eu-west-1:123456789012:stateMachine:long-running-dev-reindex';
    sfn.on(StartExecutionCommand).callsFake(({ name }) => ({ executionArn: `${reindex.replace('stateMachine', 'execution')}:${name}`, startDate: new Date(0) }));
    onDescribe(() => ({ name: 'run', status: 'SUCCEEDED', output: '{"state":{"done":1}}' }));
    sfn.on(GetExecutionHistoryCommand).resolves({ events: [{ id: 9, type: 'ExecutionSucceeded', timestamp: new Date(0) }] });
    const stacks: string[] = [];
    const { value, lines } = deps({
      stacks: () => DEV_AND_PROD,
      readOutputs: (stackId) => (stacks.push(stackId), { reindex_state_machine_arn: reindex, reindex_example_input: '{}' }),
    });
    await expect(execute(['reindex', '--environment', 'dev'], value)).resolves.toBe(0);
    expect(stacks).toEqual(['long-running-workflows-dev']);
    expect(sfn.commandCalls(StartExecutionCommand)[0].args[0].input).toEqual({ stateMachineArn: reindex, input: '{}', name: 'root' });
    expect(lines.at(-1)).toBe('done: reindex SUCCEEDED');
  });

  test.each([
    [[], 'cdktf.json defines environments; choose one with --environment (dev, prod)'],
    [['--environment', 'qa'], '--environment qa: the environments are dev, prod'],
  ])('with environments configured, %j is refused before anything is read', async (flags, message) => {
    const readOutputs = jest.fn();
    const { value } = deps({ stacks: () => DEV_AND_PROD, readOutputs });
    await expect(execute(['reindex', ...flags], value)).rejects.toThrow(message);
    expect(readOutputs).not.toHaveBeenCalled();
  });

  test('--environment without environments configured says so', async () => {
    const { value } = deps();
    await expect(execute(['reindex', '--environment', 'dev'], value)).rejects.toThrow('--environment dev: cdktf.json defines no environments');
  });

  test('an input file that is not JSON is refused before any AWS call', async () => {
    const { value } = deps({ readFile: () => '{oops' });
    await expect(execute(['rds-snapshot', '--input', 'bad.json'], value)).rejects.toThrow('--input bad.json is not JSON');
    expect(sfn.calls()).toHaveLength(0);
  });

  test('a state machine that does not exist gets a message that says so', async () => {
    sfn.on(StartExecutionCommand).rejects(new StateMachineDoesNotExist({ message: 'State Machine Does Not Exist', $metadata: {} }));
    const { value } = deps();
    await expect(execute(['rds-snapshot'], value)).rejects.toThrow(
      `state machine ${outputs.rds_snapshot_state_machine_arn} does not exist: is the stack deployed, in this account and region?`,
    );
  });

  test('missing credentials get a message that says how to provide them', async () => {
    sfn.on(StartExecutionCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    const { value } = deps();
    const failure = execute(['rds-snapshot'], value);
    await expect(failure).rejects.toBeInstanceOf(ExecuteError);
    await expect(failure).rejects.toThrow(/no usable AWS credentials .* set AWS_PROFILE/);
  });

  test("what is deployed decides, the synthesized manifest only explains: an id in neither is refused with the deployed ones, one synthesized but not deployed says so, one deployed but since removed from the synth still starts", async () => {
    const manifest = {
      stackId: 'long-running-workflows',
      workflows: [
        { id: 'continue-as-new', kind: 'continue-as-new', stateMachines: { workflow: 'long-running-continue-as-new' }, exampleInput: {}, functions: {}, localRun: {} },
        { id: 'reindex', kind: 'continue-as-new', stateMachines: { workflow: 'long-running-reindex' }, exampleInput: {}, functions: {}, localRun: {} },
      ],
    };
    const { value } = deps({ readManifest: () => manifest, readOutputs: () => outputs });
    await expect(execute(['backfill'], value)).rejects.toThrow('stack long-running-workflows has no workflow "backfill": its workflows are continue-as-new, rds-snapshot');
    await expect(execute(['reindex'], value)).rejects.toThrow(
      'stack long-running-workflows was deployed without workflow "reindex" (state machine long-running-reindex, synthesized in cdktf.out): run npm run deploy',
    );
    expect(sfn.calls()).toHaveLength(0);
    sfn.on(StartExecutionCommand).callsFake(({ name }) => ({ executionArn: `${snapshotArn.replace('stateMachine', 'execution')}:${name}`, startDate: new Date(0) }));
    onDescribe(() => ({ name: 'run', status: 'SUCCEEDED', output: '{}' }));
    sfn.on(GetExecutionHistoryCommand).resolves({ events: [{ id: 9, type: 'ExecutionSucceeded', timestamp: new Date(0) }] });
    await expect(execute(['rds-snapshot'], value)).resolves.toBe(0);
    expect(sfn.commandCalls(StartExecutionCommand)[0].args[0].input.stateMachineArn).toBe(snapshotArn);
  });

  test('the stacks come from what was synthesized: each manifest names its stack and environment', () => {
    const stacksDir = tempDir('workflows-stacks-');
    for (const environment of ['prod', 'dev']) {
      const stackId = `long-running-workflows-${environment}`;
      mkdirSync(path.join(stacksDir, stackId), { recursive: true });
      writeFileSync(path.join(stacksDir, stackId, 'workflows.json'), JSON.stringify({ stackId, environment, workflows: [] }));
    }
    mkdirSync(path.join(stacksDir, 'not-a-stack'));
    expect(synthesizedStacks(stacksDir)).toEqual([
      { stackId: 'long-running-workflows-dev', environment: 'dev' },
      { stackId: 'long-running-workflows-prod', environment: 'prod' },
    ]);
    expect(synthesizedStacks(path.join(stacksDir, 'missing'))).toEqual([]);
  });

  test('a stack without outputs asks for a deploy or --arn', async () => {
    const { value } = deps({ readOutputs: () => ({}) });
    await expect(execute(['rds-snapshot'], value)).rejects.toThrow(
      'stack long-running-workflows is not deployed (it has no workflow outputs): run npm run deploy, or pass --arn <state machine ARN>',
    );
  });
});

describe("reading a stack's outputs before it is deployed: one line that says so and what to do", () => {
  test('S3 state on a fresh checkout: run terraform init first, not "not deployed"', () => {
    const stacksDir = tempDir('workflows-execute-');
    mkdirSync(path.join(stacksDir, 'long-running-workflows-prod'), { recursive: true });
    writeFileSync(path.join(stacksDir, 'long-running-workflows-prod', 'cdk.tf.json'), JSON.stringify({ terraform: { backend: { s3: { bucket: 'acme-terraform-state' } } } }));
    expect(() => terraformOutputs('long-running-workflows-prod', stacksDir)).toThrow(
      'stack long-running-workflows-prod keeps its state in S3 (bucket acme-terraform-state), and this checkout has not initialized it: run npm run tf -- init --stack long-running-workflows-prod',
    );
  });

  test('nothing synthesized: no workflows manifest either', () => {
    expect(synthesizedManifest('long-running-workflows', tempDir('workflows-outputs-'))).toBeUndefined();
  });

  test('nothing synthesized', () => {
    expect(() => terraformOutputs('long-running-workflows', tempDir('workflows-outputs-'))).toThrow(
      new ExecuteError('stack long-running-workflows is not deployed from this checkout (nothing synthesized in cdktf.out): run npm run deploy, or pass --arn <state machine ARN>'),
    );
  });

  test('synthesized but never initialized or applied', () => {
    const stacks = tempDir('workflows-outputs-');
    mkdirSync(path.join(stacks, 'long-running-workflows'));
    writeFileSync(path.join(stacks, 'long-running-workflows', 'cdk.tf.json'), JSON.stringify({ terraform: { backend: { local: { path: 'state.tfstate' } } } }));
    expect(() => terraformOutputs('long-running-workflows', stacks)).toThrow(
      new ExecuteError('stack long-running-workflows is not deployed from this checkout (Terraform has no state here): run npm run deploy, or pass --arn <state machine ARN>'),
    );
  });
});
