import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

// The bench's command line, and whether it writes: apart from scripts/bench.ts so a test can hold
// them to `--write` without loading what the bench measures.
const ROOT = path.join(__dirname, '..');

export interface BenchOptions {
  readonly runs: number;
  readonly skipTest: boolean;
  readonly write: boolean;
  readonly help: boolean;
}

/** The bench's command line. */
export function benchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({ args: argv, options: { runs: { type: 'string' }, 'skip-test': { type: 'boolean' }, write: { type: 'boolean' }, help: { type: 'boolean' } } });
  const runs = Number(values.runs ?? 5);
  if (!values.help && (!Number.isInteger(runs) || runs < 5)) throw new Error(`--runs must be a whole number >= 5, got "${values.runs}"`);
  return { runs, skipTest: values['skip-test'] ?? false, write: values.write ?? false, help: values.help ?? false };
}

/** Records the figures in bench/results.json under `root` with --write; without it writes nothing. Says which. */
export function recordResults(results: Record<string, unknown>, { write, root = ROOT }: { readonly write: boolean; readonly root?: string }): string {
  if (!write) return 'not written: --write records them in bench/results.json';
  writeFileSync(path.join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  return 'written to bench/results.json';
}
