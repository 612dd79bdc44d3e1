import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Moves what a synth wrote into a staging directory into the output directory, entry by entry:
 * each stack's files replace their old selves, while what Terraform keeps beside them in a stack
 * directory (`.terraform`, its lock file) stays.
 */
function moveInto(staging: string, outdir: string): void {
  mkdirSync(outdir, { recursive: true });
  for (const entry of readdirSync(staging)) {
    const from = path.join(staging, entry);
    const to = path.join(outdir, entry);
    if (entry === 'stacks' && existsSync(to) && statSync(to).isDirectory()) {
      for (const stack of readdirSync(from)) moveInto(path.join(from, stack), path.join(to, stack));
      continue;
    }
    rmSync(to, { recursive: true, force: true });
    renameSync(from, to);
  }
}

/**
 * Runs `write` against a fresh staging directory beside `outdir` and moves its output into
 * place only when it finishes: a synth that fails writes nothing.
 */
export function writeStaged(outdir: string, write: (staging: string) => void): void {
  const parent = path.dirname(path.resolve(outdir));
  mkdirSync(parent, { recursive: true });
  const staging = mkdtempSync(path.join(parent, '.synth-'));
  try {
    write(staging);
    moveInto(staging, path.resolve(outdir));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
