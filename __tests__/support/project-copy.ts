import { copyFileSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from './temp-dir';

/** The files of a project: what git tracks and what it would add, without what it ignores. */
function projectFiles(projectDir: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(path.join(projectDir, dir), { withFileTypes: true }).flatMap((entry) => {
      const relative = path.join(dir, entry.name);
      if (['node_modules', '.git', 'cdktf.out', 'coverage'].includes(entry.name)) return [];
      return entry.isDirectory() ? walk(relative) : [relative];
    });
  return walk('');
}

/** Left out of a copy: the tests and the bench, which no recipe changes and the app does not use. */
const NOT_COPIED = new Set(['__tests__', 'bench']);

/**
 * A copy of the project as shipped, in a temp dir: its files (but the tests and the bench) with
 * the installed packages linked, an empty cdktf.json context and main.ts's buildStack without
 * workflows added in code — so a test on it depends on nothing this project configured.
 */
export function pristineCopy(): string {
  const root = path.join(__dirname, '..', '..');
  const copy = tempDir('workflows-copy-');
  const files = projectFiles(root).filter((file) => !NOT_COPIED.has(file.split(path.sep)[0]));
  for (const dir of new Set(files.map((file) => path.dirname(file)))) mkdirSync(path.join(copy, dir), { recursive: true });
  for (const file of files) copyFileSync(path.join(root, file), path.join(copy, file));
  symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'));
  const cdktf = path.join(copy, 'cdktf.json');
  writeFileSync(cdktf, JSON.stringify({ ...JSON.parse(readFileSync(cdktf, 'utf8')), context: {} }, null, 2));
  const main = path.join(copy, 'main.ts');
  writeFileSync(main, readFileSync(main, 'utf8').replace(/^( {2}const stack = new WorkflowsStack\(.*\);\n)[\s\S]*?(^ {2}return stack;)/m, '$1$2'));
  return copy;
}
