import { loadStackArtifacts, type StackArtifacts } from '../simulator/stack-artifacts';
import { runSnapshotWorkflow } from '../simulator/workflows';
import { synthesize } from './support/synth';

// The rendered definitions and the zips Terraform would deploy, from a synth with the defaults.
const synthesized = synthesize();
const artifacts: StackArtifacts = loadStackArtifacts(synthesized.fullSynth());
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
