import './runtime-node';
import { createRequire } from 'node:module';
import { strFromU8, unzipSync } from 'fflate';
import { SIMULATED_AWS, type DeployedFunction } from './stack-artifacts';

export type Handler = (event: unknown) => Promise<unknown>;

// The bundles leave `@aws-sdk/*` to the runtime; here they resolve to the project's copies,
// the same module instances the fakes mock.
const requireAsRuntime = createRequire(__filename);

/** The code of the zip that would be deployed. */
function bundleOf(fn: DeployedFunction): string {
  const entry = unzipSync(fn.zip)['index.js'];
  if (!entry) throw new Error(`the zip of ${fn.functionName} holds no index.js`);
  return strFromU8(entry);
}

/** The package a module id belongs to: `@aws-sdk/client-s3` for `@aws-sdk/client-s3/dist-cjs/x`. */
const packageOf = (id: string) => id.split('/').slice(0, 2).join('/');

/**
 * The `@aws-sdk/*` packages a function's bundle requires that this project has not installed. The
 * Lambda runtime provides them, so the bundle leaves them out; simulating the function needs them
 * in node_modules.
 */
export function missingRuntimePackages(fn: DeployedFunction): string[] {
  const required = new Set([...bundleOf(fn).matchAll(/\brequire\(\s*["'](@aws-sdk\/[^"']+)["']\s*\)/g)].map((match) => packageOf(match[1])));
  return [...required].filter((name) => {
    try {
      requireAsRuntime.resolve(name);
      return false;
    } catch {
      return true;
    }
  });
}

/** What Lambda reports when a call outlives the function's timeout: Step Functions matches the name. */
export class LambdaTimeout extends Error {
  override readonly name = 'Sandbox.Timedout';
  constructor(timeoutSeconds: number) {
    super(`Task timed out after ${timeoutSeconds.toFixed(2)} seconds`);
  }
}

/**
 * Loads the handler from the zip that would be deployed, as the Lambda runtime would: the
 * module is evaluated once (one warm container) with the function's environment variables.
 */
export function loadBundledHandler(fn: DeployedFunction): Handler {
  // The handlers' log lines go through this process's console, and only when asked for (POWERTOOLS_LOG_LEVEL=INFO): a local run prints its own lines.
  const logs = { POWERTOOLS_DEV: 'true', POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT' };
  const env = { AWS_REGION: SIMULATED_AWS.region, AWS_LAMBDA_FUNCTION_NAME: fn.functionName, AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb), ...logs, ...fn.environment };
  const runtimeProcess = Object.create(process, { env: { value: env, enumerable: true } });
  const module = { exports: {} as { handler?: Handler } };
  new Function('exports', 'require', 'module', 'process', bundleOf(fn))(module.exports, requireAsRuntime, module, runtimeProcess);
  if (typeof module.exports.handler !== 'function') throw new Error(`the bundle of ${fn.functionName} exports no handler`);
  return module.exports.handler;
}

/**
 * The function as Lambda runs it: each call given at most its timeout in real time, then failed
 * as Lambda fails it (`Sandbox.Timedout`), and the next call made in a fresh container (the
 * module evaluated again), as after a timeout Lambda starts one. A call that never yields to the
 * event loop (a synchronous busy loop) cannot be cut short in this process; memory is not limited.
 */
export function loadLambdaFunction(fn: DeployedFunction): Handler {
  let container: Handler | undefined;
  return (event) => {
    container ??= loadBundledHandler(fn);
    const call = container(event);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        container = undefined;
        reject(new LambdaTimeout(fn.timeoutSeconds));
      }, fn.timeoutSeconds * 1000);
    });
    return Promise.race([call, timedOut]).finally(() => clearTimeout(timer));
  };
}
