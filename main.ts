import { App } from 'cdktf';
import { ConfigError, loadStacks, readContext, type StackConfig } from './lib/config';
import { WorkflowsStack } from './lib/workflows-stack';

function stacksOrExit(): StackConfig[] {
  try {
    return loadStacks(process.env, readContext(process.env));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

// Configuration is validated before the App exists, so a bad value writes nothing.
const stacks = stacksOrExit();
const app = new App();
for (const { stackId, config } of stacks) new WorkflowsStack(app, stackId, { config });
app.synth();
