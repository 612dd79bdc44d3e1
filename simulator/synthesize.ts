import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'cdktf';
import type { WorkflowsConfig } from '../lib/settings';
import { WorkflowsStack } from '../lib/workflows-stack';
import { loadStackArtifacts, type StackArtifacts } from './stack-artifacts';

/** Synthesizes the stack for `config` into a temporary directory, hands its artifacts to `use`, then removes it. */
export async function withSynthesizedStack<T>(config: WorkflowsConfig, use: (artifacts: StackArtifacts) => Promise<T>): Promise<T> {
  const outdir = mkdtempSync(path.join(tmpdir(), 'workflows-synth-'));
  try {
    const app = new App({ outdir });
    new WorkflowsStack(app, 'simulated', { config });
    app.synth();
    return await use(loadStackArtifacts(path.join(outdir, 'stacks', 'simulated')));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
