import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

// `npm test`: the type-check (tsc --noEmit) and the tests (jest, given this script's arguments)
// run at once, so the type-check's seconds overlap the tests' instead of coming before them.
// It fails when either does: jest's output as it runs, tsc's errors after it.
const bin = (name: string) => path.join(__dirname, '..', 'node_modules', '.bin', name);
const exited = (child: ChildProcess) => new Promise<number>((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0))));

async function main(): Promise<number> {
  const tsc = spawn(bin('tsc'), ['--noEmit'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let typeErrors = '';
  tsc.stdout!.on('data', (chunk: Buffer) => (typeErrors += chunk));
  tsc.stderr!.on('data', (chunk: Buffer) => (typeErrors += chunk));
  const jest = spawn(bin('jest'), process.argv.slice(2), { stdio: 'inherit' });
  const [typecheck, tests] = await Promise.all([exited(tsc), exited(jest)]);
  if (typecheck !== 0) process.stderr.write(`\ntsc --noEmit failed:\n${typeErrors}`);
  return typecheck !== 0 ? typecheck : tests;
}

main().then((code) => process.exit(code));
