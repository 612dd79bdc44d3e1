import { continueAsNewHistory, HISTORY_EVENT_QUOTA } from '../lib/history-budget';
import { loadStackArtifacts, type StackArtifacts } from '../simulator/stack-artifacts';
import { runContinueAsNewChain, runSnapshotWorkflow, type ChainResult } from '../simulator/workflows';
import { synthesize } from './support/synth';

// The rendered definitions and the zips Terraform would deploy, from a synth with the defaults.
const synthesized = synthesize();
const artifacts: StackArtifacts = loadStackArtifacts(synthesized.fullSynth());
const { loopThreshold, restartCount } = synthesized.config;
const count = (states: readonly string[], name: string) => states.filter((state) => state === name).length;

describe('the RDS snapshot workflow, run locally with the bundled handlers', () => {
  test('snapshot creating 3 times then available: SUCCEEDED, one snapshot created, polls backing off', async () => {
    const { execution, snapshots, calls } = await runSnapshotWorkflow(artifacts, {
      statuses: ['creating', 'creating', 'creating', 'available'],
    });
    expect(execution.status).toBe('SUCCEEDED');
    expect(snapshots).toEqual([expect.stringMatching(/^database-1-simulated-snapshot-[0-9a-f]{8}$/)]);
    expect(calls.get('CreateDBSnapshot')).toBe(1);
    expect(count(execution.states, 'DescribeSnapshot')).toBe(4);
    expect(execution.simulatedSeconds).toBe(60 + 120 + 240 + 300);
    expect(execution.states.at(-1)).toBe('SnapshotAvailable');
  });

  test('snapshot creating then failed: FAILED with the status in the cause', async () => {
    const { execution, snapshots } = await runSnapshotWorkflow(artifacts, { statuses: ['creating', 'failed'] });
    expect(execution).toMatchObject({
      status: 'FAILED',
      error: 'SnapshotFailed',
      cause: `Snapshot ${snapshots[0]} of DB instance database-1 ended with status failed`,
    });
  });
});

describe('the continue-as-new workflow, run locally with the bundled handlers', () => {
  let chain: ChainResult;
  const input = { restart: { executionCount: restartCount }, state: { cursor: 'abc', items: [1, 2, 3] } };

  beforeAll(async () => {
    chain = await runContinueAsNewChain(artifacts, { input, rootName: 'nightly' });
  });

  test(`runs restartCount + 1 = ${restartCount + 1} executions, all SUCCEEDED`, () => {
    expect(chain.executions.map((e) => [e.name, e.status])).toEqual(
      Array.from({ length: restartCount + 1 }, (_, g) => [g === 0 ? 'nightly' : `nightly-g${g}`, 'SUCCEEDED']),
    );
  });

  test(`each execution loops exactly to the threshold (${loopThreshold})`, () => {
    for (const execution of chain.executions) {
      expect(count(execution.states, 'ExampleWork')).toBe(loopThreshold);
      expect(count(execution.states, 'Iterate')).toBe(loopThreshold + 1);
    }
  });

  test('each successor is started once, on the same state machine, with the state carried and the count decremented', () => {
    const successors = chain.started.filter((e) => e.name !== 'nightly');
    expect(successors.map((e) => e.name)).toEqual(Array.from({ length: restartCount }, (_, i) => `nightly-g${i + 1}`));
    for (const [i, successor] of successors.entries()) {
      expect(successor.stateMachineArn).toBe(artifacts.stateMachines['continue-as-new'].arn);
      expect(successor.input).toMatchObject({
        restart: { executionCount: restartCount - 1 - i },
        state: input.state,
        lineage: { rootExecutionName: 'nightly', generation: i + 1, parentExecutionArn: chain.executions[i].arn },
      });
    }
  });

  test('only the last execution ends without restarting', () => {
    expect(chain.executions.map((e) => count(e.states, 'Restart'))).toEqual([...Array(restartCount).fill(1), 0]);
  });

  test('history events per execution match the budget arithmetic and stay far under 25,000', () => {
    // 9 per loop + 22 fixed, counted from the run's own events; the last one skips Restart (a Task, 5).
    const withRestart = 9 * loopThreshold + 22;
    expect(chain.executions.map((e) => e.historyEvents)).toEqual([...Array(restartCount).fill(withRestart), withRestart - 5]);
    for (const execution of chain.executions) {
      expect(execution.historyEvents).toBeLessThanOrEqual(continueAsNewHistory(loopThreshold).events);
      expect(execution.historyEvents).toBeLessThan(HISTORY_EVENT_QUOTA);
    }
  });
});
