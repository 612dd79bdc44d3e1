import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { recordResults } from '../scripts/bench';
import { tempDir } from './support/temp-dir';

test('the bench records its figures only with --write: a plain run leaves the tree as it was', () => {
  const file = path.join(tempDir('bench-write-'), 'results.json');
  const figures = { runs: 5, npmTest: { firstRun: { seconds: 40 } } };
  expect(recordResults(figures, { write: false, file })).toBe(false);
  expect(existsSync(file)).toBe(false);
  expect(recordResults(figures, { write: true, file })).toBe(true);
  expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(figures);
});
