import * as path from 'node:path';
import { Testing } from 'cdktf';
import { loadConfig } from '../../lib/config/config';
import type { WorkflowsConfig } from '../../lib/config/settings';
import { WorkflowsStack } from '../../lib/workflows-stack';
import { loadStackArtifacts, type StackArtifacts } from '../../simulator/stack-artifacts';
import { tempDir } from './temp-dir';

export type TerraformJson = {
  resource: Record<string, Record<string, Record<string, any>>>;
  data: Record<string, Record<string, Record<string, any>>>;
  output: Record<string, { value: string }>;
  terraform: Record<string, any>;
  provider: Record<string, any>;
};

export interface SynthesizedStack {
  readonly stack: WorkflowsStack;
  readonly config: WorkflowsConfig;
  /** `Testing.synth` text: stable key order, no metadata. */
  readonly text: string;
  readonly json: TerraformJson;
  /** Writes the full stack directory (cdk.tf.json + assets) and returns its path. */
  fullSynth(): string;
  /** What Terraform would deploy, from the full stack directory: each workflow's definition, each function's zip. */
  artifacts(): StackArtifacts;
}

/** Synthesizes the stack as main.ts does, from environment-style settings, in a temp outdir. */
export function synthesize(env: Record<string, string> = {}, stackId = 'long-running-workflows'): SynthesizedStack {
  const config = loadConfig(env);
  const outdir = tempDir('workflows-synth-');
  const app = Testing.app({ outdir });
  const stack = new WorkflowsStack(app, stackId, { config });
  const text = Testing.synth(stack);
  let stackDir: string | undefined;
  // Written once: a second call (artifacts() after fullSynth(), say) reads what the first wrote.
  const fullSynth = () => {
    if (!stackDir) {
      app.synth();
      stackDir = path.join(outdir, 'stacks', stackId);
    }
    return stackDir;
  };
  return {
    stack,
    config,
    text,
    json: JSON.parse(text),
    fullSynth,
    artifacts: () => loadStackArtifacts(fullSynth()),
  };
}
