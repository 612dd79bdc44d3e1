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
    const stack = buildStack(app, stackConfig);
    app.synth();
    return await use(loadStackArtifacts(path.join(outdir, 'stacks', stackConfig.stackId), stack.workflows.all));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
