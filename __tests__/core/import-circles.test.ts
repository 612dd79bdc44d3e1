import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../support/temp-dir';

const ROOT = path.join(__dirname, '..', '..');
/** Everything the app, its handlers and its tools are made of (the tests and the bench's fixtures aside). */
const SOURCES = ['main.ts', 'lib/**/*.ts', 'lambdas/**/*.ts', 'simulator/**/*.ts', 'scripts/**/*.ts'];
/** A known circle, read in the same run: the check must find it, or it could not fail. */
const KNOWN_CIRCLE = '__tests__/fixtures/import-circle';

interface Graph {
  readonly tree: Readonly<Record<string, readonly { readonly id: string | null }[] | null>>;
  readonly circulars: readonly string[][];
}

/**
 * dpdm's import graph of `files` under `cwd`, type-only imports included (a circle of types
 * still ties two modules' meanings together). Its CLI, not its API: the API loads ES-module-only
 * chalk, which jest's CommonJS runtime cannot.
 */
function importGraph(cwd: string, files: readonly string[]): Graph {
  const output = path.join(tempDir('import-graph-'), 'graph.json');
  const dpdm = path.join(ROOT, 'node_modules', 'dpdm', 'lib', 'bin', 'dpdm.js');
  execFileSync(process.execPath, [dpdm, '--no-tree', '--no-warning', '--no-circular', '--no-progress', '--exclude', 'node_modules', '-o', output, ...files], { cwd, stdio: 'pipe' });
  return JSON.parse(readFileSync(output, 'utf8'));
}

const graph = importGraph(ROOT, [...SOURCES, `${KNOWN_CIRCLE}/*.ts`]);
const known = (circle: readonly string[]) => circle.every((file) => file.startsWith(`${KNOWN_CIRCLE}/`));

test('the check finds a circle when there is one (type-only imports count)', () => {
  // dpdm starts a circle at whichever file it reached first.
  expect(graph.circulars.filter(known).map((circle) => [...circle].sort())).toEqual([[`${KNOWN_CIRCLE}/a.ts`, `${KNOWN_CIRCLE}/b.ts`]]);
});

test('no import circles across main.ts, lib, lambdas, simulator and scripts', () => {
  expect(Object.keys(graph.tree).filter((file) => file.startsWith('lib/core/')).length).toBeGreaterThan(10);
  expect(graph.circulars.filter((circle) => !known(circle)).map((circle) => circle.join(' -> '))).toEqual([]);
});

test('the shared core names no kind: nothing in lib/core imports a kind, its handlers, the registry or the stack that composes them', () => {
  const ofAKind = /^(lib\/kinds\/|lambdas\/(?!shared\/)[^/]+\/|lib\/workflows-stack\.ts$|lib\/index\.ts$)/;
  const crossings = Object.entries(graph.tree)
    .filter(([file]) => file.startsWith('lib/core/'))
    .flatMap(([file, dependencies]) => (dependencies ?? []).filter(({ id }) => id !== null && ofAKind.test(id)).map(({ id }) => `${file} -> ${id}`));
  expect(crossings).toEqual([]);
});
