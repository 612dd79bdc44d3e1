import { pollSchedule } from '../lib/config';
import { pollWaits, rdsSnapshotHistory } from '../lib/history-budget';
import type { Handler } from '../simulator/bundled-handler';
import { loadStackArtifacts } from '../simulator/stack-artifacts';
import { runSnapshotWorkflow, type HandlerWrapper } from '../simulator/workflows';
import { synthesize } from './support/synth';

const polling = synthesize();
const snapshotArtifacts = loadStackArtifacts(polling.fullSynth());

const count = (states: readonly string[], name: string) => states.filter((state) => state === name).length;
const named = (name: string, message: string) => Object.assign(new Error(message), { name });

/**
 * Makes the first `times` calls of a Task fail with `error`: before the handler runs, or, with
 * `afterSuccess`, after it has done its AWS call (a Lambda that timed out once its work was done).
 */
function failFirstCalls(stateName: string, times: number, error: Error, afterSuccess = false) {
  const calls = { count: 0 };
  const wrapHandler: HandlerWrapper = (state, handler): Handler =>
    state !== stateName
      ? handler
      : async (input) => {
          calls.count += 1;
          if (calls.count > times) return handler(input);
          if (afterSuccess) await handler(input);
          throw error;
        };
  return { wrapHandler, calls };
}

describe('snapshot workflow under faults', () => {
  test('RDS throttles the first 2 calls of each API: retried, SUCCEEDED, exactly one snapshot', async () => {
    const { execution, snapshots, calls } = await runSnapshotWorkflow(snapshotArtifacts, {
      statuses: ['creating', 'available'],
      failFirstCalls: 2,
    });
    expect(execution.status).toBe('SUCCEEDED');
    expect(snapshots).toHaveLength(1);
    expect(Object.fromEntries(calls)).toEqual({ CreateDBSnapshot: 3, DescribeDBSnapshots: 2 + 2 });
  });

  test('the create function times out after RDS accepted the call: the retry finds its own snapshot, no second one', async () => {
    const fault = failFirstCalls('CreateSnapshot', 1, named('Sandbox.Timedout', 'Task timed out after 30.00 seconds'), true);
    const { execution, snapshots, calls } = await runSnapshotWorkflow(snapshotArtifacts, { statuses: ['available'], ...fault });
    expect(execution.status).toBe('SUCCEEDED');
    expect(fault.calls.count).toBe(2);
    expect(calls.get('CreateDBSnapshot')).toBe(2);
    expect(snapshots).toHaveLength(1);
  });

  test('a Lambda service error on describe is retried', async () => {
    const fault = failFirstCalls('DescribeSnapshot', 2, named('Lambda.ServiceException', 'Lambda is unavailable'));
    const { execution } = await runSnapshotWorkflow(snapshotArtifacts, { statuses: ['available'], ...fault });
    expect(execution.status).toBe('SUCCEEDED');
    expect(fault.calls.count).toBe(3);
  });

  test('throttling that never stops: retried 6 times, then FAILED with the throttling error', async () => {
    const { execution, snapshots, calls } = await runSnapshotWorkflow(snapshotArtifacts, { statuses: ['available'], failFirstCalls: 100 });
    expect(execution).toMatchObject({ status: 'FAILED', error: 'TransientAwsError', cause: 'Throttling: Rate exceeded' });
    expect(calls.get('CreateDBSnapshot')).toBe(7);
    expect(snapshots).toHaveLength(0);
  });

  test('an error that is not transient fails at once, with its name and message', async () => {
    const fault = failFirstCalls('CreateSnapshot', 1, named('DBInstanceNotFoundFault', 'DBInstance database-1 not found.'));
    const { execution } = await runSnapshotWorkflow(snapshotArtifacts, { statuses: ['available'], ...fault });
    expect(execution).toMatchObject({ status: 'FAILED', error: 'DBInstanceNotFoundFault', cause: 'DBInstance database-1 not found.' });
    expect(fault.calls.count).toBe(1);
  });

  test('a snapshot that never leaves "creating" fails with SnapshotTimeout after the maximum wait', async () => {
    const schedule = pollSchedule(polling.config);
    const { execution, snapshots } = await runSnapshotWorkflow(snapshotArtifacts, { statuses: ['creating'] });
    expect(execution).toMatchObject({
      status: 'FAILED',
      error: 'SnapshotTimeout',
      cause: `Snapshot ${snapshots[0]} was still creating after ${execution.simulatedSeconds} seconds of polling`,
    });
    expect(execution.simulatedSeconds).toBeGreaterThanOrEqual(schedule.maxWaitSeconds);
    expect(execution.simulatedSeconds).toBeLessThan(schedule.maxWaitSeconds + schedule.maxIntervalSeconds);
    expect(count(execution.states, 'DescribeSnapshot')).toBe(pollWaits(schedule).length);
    // The synth-time budget arithmetic, with no retries, is exactly what the run recorded.
    const estimate = rdsSnapshotHistory(schedule, 0);
    expect([execution.historyEvents, execution.stateTransitions]).toEqual([estimate.events, estimate.stateTransitions]);
  });

  test.each(['failed', 'deleted', 'deleting', 'incompatible-restore', 'incompatible-parameters'])(
    'terminal status "%s" fails at once with the status as cause',
    async (status) => {
      const { execution, snapshots } = await runSnapshotWorkflow(snapshotArtifacts, { statuses: ['creating', status] });
      expect(execution).toMatchObject({
        status: 'FAILED',
        error: 'SnapshotFailed',
        cause: `Snapshot ${snapshots[0]} of DB instance database-1 ended with status ${status}`,
      });
      expect(count(execution.states, 'DescribeSnapshot')).toBe(2);
    },
  );

  test.each([['"hello"', 'hello'], ['[1, 2]', [1, 2]], ['{"DBInstanceIdentifier": "other"}', { DBInstanceIdentifier: 'other' }]])(
    'input %s is ignored: the configured instance is snapshotted once',
    async (_, input) => {
      const { execution, snapshots } = await runSnapshotWorkflow(snapshotArtifacts, { statuses: ['available'], input });
      expect(execution.status).toBe('SUCCEEDED');
      expect(snapshots).toEqual([expect.stringMatching(/^database-1-/)]);
      expect(execution.output).toMatchObject({ input });
    },
  );
});
