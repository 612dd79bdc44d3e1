import { copyFileSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from './temp-dir';

/** The files of a project: what git tracks and what it would add, without what it ignores. */
export function projectFiles(projectDir: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(path.join(projectDir, dir), { withFileTypes: true }).flatMap((entry) => {
      const relative = path.join(dir, entry.name);
      if (['node_modules', '.git', 'cdktf.out', 'coverage'].includes(entry.name)) return [];
      return entry.isDirectory() ? walk(relative) : [relative];
    });
  return walk('');
}

/**
 * A copy of the project as shipped, in a temp dir: its files with the installed packages linked,
 * an empty cdktf.json context and main.ts's buildStack without workflows added in code — so a
 * test on it depends on nothing this project configured.
 */
export function pristineCopy(): string {
  const root = path.join(__dirname, '..', '..');
  const copy = tempDir('workflows-copy-');
  for (const file of projectFiles(root)) {
    mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    copyFileSync(path.join(root, file), path.join(copy, file));
  }
  symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'));
  const cdktf = path.join(copy, 'cdktf.json');
  writeFileSync(cdktf, JSON.stringify({ ...JSON.parse(readFileSync(cdktf, 'utf8')), context: {} }, null, 2));
  const main = path.join(copy, 'main.ts');
  writeFileSync(main, readFileSync(main, 'utf8').replace(/^( {2}const stack = new WorkflowsStack\(.*\);\n)[\s\S]*?(^ {2}return stack;)/m, '$1$2'));
  return copy;
}
