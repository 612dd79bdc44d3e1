import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { benchOptions, recordResults } from '../scripts/bench-options';
import { tempDir } from './support/temp-dir';

/** A project tree with an empty bench/ directory. */
function tree(): string {
  const root = tempDir('workflows-bench-');
  mkdirSync(path.join(root, 'bench'));
  return root;
}

describe('npm run bench records its figures only when asked', () => {
  test('without --write nothing is written: the tree is left as it was', () => {
    const root = tree();
    expect(benchOptions([]).write).toBe(false);
    expect(recordResults({ runs: 5 }, { write: benchOptions([]).write, root })).toBe('not written: --write records them in bench/results.json');
    expect(readdirSync(path.join(root, 'bench'))).toEqual([]);
  });

  test('with --write the figures go to bench/results.json', () => {
    const root = tree();
    const results = { runs: 5, npmTest: { freshCloneFirstRun: { seconds: 44 } } };
    expect(recordResults(results, { write: benchOptions(['--write']).write, root })).toBe('written to bench/results.json');
    expect(readdirSync(path.join(root, 'bench'))).toEqual(['results.json']);
    expect(JSON.parse(readFileSync(path.join(root, 'bench', 'results.json'), 'utf8'))).toEqual(results);
  });

  test('its other flags', () => {
    expect(benchOptions(['--runs', '9', '--skip-test'])).toEqual({ runs: 9, skipTest: true, write: false, help: false });
    expect(() => benchOptions(['--runs', '2'])).toThrow('--runs must be a whole number >= 5, got "2"');
  });
});
