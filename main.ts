import { App } from 'cdktf';
import { ConfigError, contextFromEnv, loadConfig, type WorkflowsConfig } from './lib/config';
import { WorkflowsStack } from './lib/workflows-stack';

function configOrExit(): WorkflowsConfig {
  try {
    return loadConfig(process.env, contextFromEnv(process.env));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

// Configuration is validated before the App exists, so a bad value writes nothing.
const config = configOrExit();
const app = new App();
new WorkflowsStack(app, 'long-running-workflows', { config });
app.synth();
