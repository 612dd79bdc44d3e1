import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

// `npm test`: the type-check (tsc --noEmit) and the tests (jest, given this script's arguments)
// run at once, so the type-check's seconds overlap the tests' instead of coming before them.
// It fails when either does: jest's output as it runs, tsc's errors after it. tsc is TypeScript
// 7's, named by its package: the bench's ts-node baseline installs TypeScript 5 beside it
// (`typescript-5`), whose `tsc` could take node_modules/.bin/tsc.
const modules = path.join(__dirname, '..', 'node_modules');
const exited = (child: ChildProcess) => new Promise<number>((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0))));

async function main(): Promise<number> {
  const tsc = spawn(process.execPath, [path.join(modules, 'typescript', 'bin', 'tsc'), '--noEmit'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let typeErrors = '';
  tsc.stdout!.on('data', (chunk: Buffer) => (typeErrors += chunk));
  tsc.stderr!.on('data', (chunk: Buffer) => (typeErrors += chunk));
  const jest = spawn(path.join(modules, '.bin', 'jest'), process.argv.slice(2), { stdio: 'inherit' });
  const [typecheck, tests] = await Promise.all([exited(tsc), exited(jest)]);
  if (typecheck !== 0) process.stderr.write(`\ntsc --noEmit failed:\n${typeErrors}`);
  return typecheck !== 0 ? typecheck : tests;
}

main().then((code) => process.exit(code));
