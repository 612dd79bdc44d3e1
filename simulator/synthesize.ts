import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'cdktf';
import type { StackConfig } from '../lib/config/config';
import { buildStack } from '../main';
import { loadStackArtifacts, type StackArtifacts } from './stack-artifacts';

/** Synthesizes the stack as the app builds it (main.ts) into a temporary directory, hands its artifacts to `use`, then removes it. */
export async function withSynthesizedStack<T>(stackConfig: StackConfig, use: (artifacts: StackArtifacts) => Promise<T>): Promise<T> {
  const outdir = mkdtempSync(path.join(tmpdir(), 'workflows-synth-'));
  try {
    const app = new App({ outdir });
    buildStack(app, stackConfig);
    app.synth();
    // Read back as any tool reads a synthesized stack: what was written, not the construct tree.
    return await use(loadStackArtifacts(path.join(outdir, 'stacks', stackConfig.stackId)));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
