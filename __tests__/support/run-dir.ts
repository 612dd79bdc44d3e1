import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** Set by the global setup for the test workers (not WORKFLOWS_*: those are settings). */
const ENV = 'TESTS_RUN_DIR';

/** A directory for the whole test run, shared by its workers; made by the global setup, removed by the teardown. */
export function makeRunDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'workflows-test-run-'));
  process.env[ENV] = dir;
  return dir;
}

/** The run's directory; undefined when jest ran without the global setup. */
export function runDir(): string | undefined {
  return process.env[ENV] || undefined;
}

export function removeRunDir(): void {
  const dir = runDir();
  if (dir) rmSync(dir, { recursive: true, force: true });
  delete process.env[ENV];
}
