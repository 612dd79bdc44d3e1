import { App } from 'cdktf';
import type { Construct } from 'constructs';
import { ConfigError, loadStacks, readContext, type StackConfig } from './lib/config';
import { ValidationError } from './lib/validation-error';
import { WorkflowsStack } from './lib/workflows-stack';

/**
 * One stack of the app: its configured workflows. Add workflows of your own in code here, e.g.
 * `new ContinueAsNew(stack, 'reindex', { workEntry: 'lambdas/reindex.ts' })`; `npm run simulate`,
 * the tests of your configuration and synth all build the stack through this function.
 */
export function buildStack(scope: Construct, { stackId, config }: StackConfig): WorkflowsStack {
  const stack = new WorkflowsStack(scope, stackId, { config });
  return stack;
}

function synthOrExit(): void {
  try {
    // Configuration is validated before the App exists, so a bad value writes nothing.
    const stacks = loadStacks(process.env, readContext(process.env));
    const app = new App();
    for (const stack of stacks) buildStack(app, stack);
    app.synth();
  } catch (error) {
    if (!(error instanceof ConfigError) && !(error instanceof ValidationError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

if (require.main === module) synthOrExit();
