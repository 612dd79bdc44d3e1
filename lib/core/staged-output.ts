import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Moves what a synth wrote into a staging directory into the output directory, entry by entry:
 * each stack's files replace their old selves, while what Terraform keeps beside them in a stack
 * directory (`.terraform`, its lock file) stays. A stack directory the synth did not write (a
 * stack no longer configured, say the one before environments) is removed, so the tools never
 * find it; its Terraform state is not in it. Returns the stacks removed.
 */
function moveInto(staging: string, outdir: string): string[] {
  mkdirSync(outdir, { recursive: true });
  const removed: string[] = [];
  for (const entry of readdirSync(staging)) {
    const from = path.join(staging, entry);
    const to = path.join(outdir, entry);
    if (entry === 'stacks' && existsSync(to) && statSync(to).isDirectory()) {
      const written = readdirSync(from);
      for (const stack of readdirSync(to).filter((stack) => !written.includes(stack))) {
        rmSync(path.join(to, stack), { recursive: true, force: true });
        removed.push(stack);
      }
      for (const stack of written) moveInto(path.join(from, stack), path.join(to, stack));
      continue;
    }
    rmSync(to, { recursive: true, force: true });
    renameSync(from, to);
  }
  return removed;
}

/**
 * Runs `write` against a fresh staging directory beside `outdir` and moves its output into
 * place only when it finishes: a synth that fails writes nothing. Returns the stack directories
 * removed from `outdir/stacks` because the synth wrote them no more.
 */
export function writeStaged(outdir: string, write: (staging: string) => void): { readonly removedStacks: readonly string[] } {
  const parent = path.dirname(path.resolve(outdir));
  mkdirSync(parent, { recursive: true });
  const staging = mkdtempSync(path.join(parent, '.synth-'));
  try {
    write(staging);
    return { removedStacks: moveInto(staging, path.resolve(outdir)) };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
