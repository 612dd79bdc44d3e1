import { App } from 'cdktf';
import type { Construct } from 'constructs';
import { ConfigError, loadStacks, readContext, WorkflowsStack, type StackConfig } from './lib';
import { isConstructProblem } from './lib/core/validation-error';
import { writeStaged } from './lib/core/staged-output';

/**
 * One stack of the app: its configured workflows. Add workflows of your own in code here, e.g.
 * `new ContinueAsNew(stack, 'reindex', { workEntry: 'lambdas/reindex.ts' })`; `npm run simulate`,
 * the tests of your configuration and synth all build the stack through this function.
 */
export function buildStack(scope: Construct, { stackId, config, environment }: StackConfig): WorkflowsStack {
  const stack = new WorkflowsStack(scope, stackId, { config, environment });
  return stack;
}

/** Every configured stack, built in an App that writes to `outdir`; configuration is read and checked first. */
export function buildApp(outdir: string, env: NodeJS.ProcessEnv = process.env): App {
  const stacks = loadStacks(env, readContext(env));
  const app = new App({ outdir });
  for (const stack of stacks) buildStack(app, stack);
  return app;
}

/** Prints a configuration or construct problem as the one message it is, and exits 1; anything else is a bug, with its trace. */
export function exitOnProblem(error: unknown): never {
  if (!(error instanceof ConfigError) && !isConstructProblem(error)) throw error;
  console.error(error.message);
  process.exit(1);
}

if (require.main === module) {
  try {
    // Built in a staging directory and moved into place at the end: a failed synth writes nothing.
    writeStaged(process.env.CDKTF_OUTDIR ?? 'cdktf.out', (staging) => buildApp(staging).synth());
  } catch (error) {
    exitOnProblem(error);
  }
}
