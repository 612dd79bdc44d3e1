import './runtime-node';
import { createRequire } from 'node:module';
import { strFromU8, unzipSync } from 'fflate';
import { SIMULATED_AWS, type DeployedFunction } from './stack-artifacts';

export type Handler = (event: unknown) => Promise<unknown>;

// The bundles leave `@aws-sdk/*` to the runtime; here they resolve to the project's copies,
// the same module instances the fakes mock.
const requireAsRuntime = createRequire(__filename);

/**
 * Loads the handler from the zip that would be deployed, as the Lambda runtime would: the
 * module is evaluated once (one warm container) with the function's environment variables.
 */
export function loadBundledHandler(fn: DeployedFunction): Handler {
  const entry = unzipSync(fn.zip)['index.js'];
  if (!entry) throw new Error(`the zip of ${fn.functionName} holds no index.js`);
  const env = { AWS_REGION: SIMULATED_AWS.region, AWS_LAMBDA_FUNCTION_NAME: fn.functionName, ...fn.environment };
  const runtimeProcess = Object.create(process, { env: { value: env, enumerable: true } });
  const module = { exports: {} as { handler?: Handler } };
  new Function('exports', 'require', 'module', 'process', strFromU8(entry))(module.exports, requireAsRuntime, module, runtimeProcess);
  if (typeof module.exports.handler !== 'function') throw new Error(`the bundle of ${fn.functionName} exports no handler`);
  return module.exports.handler;
}
