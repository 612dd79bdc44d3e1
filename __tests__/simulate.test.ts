import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const root = path.join(__dirname, '..');
const simulate = (...args: string[]) =>
  spawnSync(process.execPath, ['-r', 'sucrase/register', 'scripts/simulate.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, NODE_NO_WARNINGS: '1' },
  });

describe('npm run simulate', () => {
  test('runs both workflows and prints an outcome and the counts for each execution', () => {
    const result = simulate('--threshold', '2', '--restarts', '1', '--snapshot-minutes', '3');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('  simulated-run-g1            3  Iterate\n');
    expect(result.stdout).toContain(
      '  generation 1  simulated-run-g1: SUCCEEDED\n    12 states, 35 history events, 12 state transitions, simulated duration 0s\n',
    );
    expect(result.stdout).toContain('  simulated-snapshot: SUCCEEDED\n    12 states, 35 history events, 12 state transitions, simulated duration 3m 0s\n');
  });

  test('--snapshot-fails ends the snapshot workflow FAILED with the status as cause', () => {
    const result = simulate('--workflow', 'rds-snapshot', '--quiet', '--snapshot-fails');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/simulated-snapshot: FAILED SnapshotFailed: Snapshot \S+ of DB instance database-1 ended with status failed/);
    expect(result.stdout).not.toContain('CreateSnapshot');
  });

  test('--help explains the flags', () => {
    const result = simulate('--help');
    expect(result.status).toBe(0);
    for (const flag of ['--workflow', '--threshold', '--restarts', '--snapshot-minutes', '--snapshot-fails', '--quiet']) {
      expect(result.stdout).toContain(flag);
    }
  });

  test.each([
    [['--threshold', '0'], '--threshold must be a whole number >= 1, got "0"'],
    [['--restarts', 'two'], '--restarts must be a whole number >= 0, got "two"'],
    [['--workflow', 'other'], '--workflow must be continue-as-new, rds-snapshot or both, got "other"'],
    [['--bogus'], "Unknown option '--bogus'"],
  ])('%j is refused with a clear error before anything runs', (args, message) => {
    const result = simulate(...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });
});
