import type { Logger } from '@aws-lambda-powertools/logger';
import { codeVersion } from './code-version';
import { EXECUTION_ARN_RULE } from './execution-arn';

/**
 * One structured line per handler call, written by Powertools' Logger as JSON to the function's
 * log group: which workflow and run the call was for, where in it (generation, iteration or
 * poll), how it ended, how long it took, and which deploy's code ran it (`codeVersion`, the zip's
 * hash: a running execution calls whatever was deployed last). CloudWatch Logs Insights finds a run's calls with
 * `filter run = "<run-id>"` (README: Operations).
 */
let logger: Logger | undefined;

/**
 * The logger, made at the first call rather than when the bundle loads: Powertools' modules (and
 * the crypto internals it loads) take about 15 ms to evaluate, which would otherwise be every
 * function's init. A bundled `require` inside a function is evaluated when first called.
 */
export function callLogger(): Logger {
  if (!logger) {
    const { Logger: PowertoolsLogger } = require('@aws-lambda-powertools/logger') as typeof import('@aws-lambda-powertools/logger');
    logger = new PowertoolsLogger({ serviceName: 'workflows' });
    // Set once per function instance: a deploy of new code starts new instances.
    logger.appendPersistentKeys({ codeVersion: codeVersion() });
  }
  return logger;
}

/** Keys every line of this function carries from now on, beside `codeVersion`, which every line has. */
export function appendCallKeys(keys: Readonly<Record<string, string>>): void {
  callLogger().appendPersistentKeys(keys);
}

/** What a call's line says besides its outcome; the handler fills it in as it learns it. */
export interface CallFields {
  /** The state machine's name. */
  workflow?: string;
  /** The run's id: its first execution's name. */
  run?: string;
  /** The execution's name (`<run>-g<n>` for a job's successor). */
  execution?: string;
  generation?: number;
  iteration?: number;
  poll?: number;
  /** How the call ended, in the handler's words (`continue`, `done`, `running`, `available`, ...); `failed` when it threw. */
  outcome?: string;
}

const GENERATION_SUFFIX = /-g(\d+)$/;

/** The workflow, run and generation an execution ARN names (`$$.Execution.Id`); nothing for anything else. */
export function executionFields(executionArn: unknown): CallFields {
  if (typeof executionArn !== 'string' || !EXECUTION_ARN_RULE.test(executionArn)) return {};
  const [, , , , , , workflow, execution] = executionArn.split(':');
  const generation = GENERATION_SUFFIX.exec(execution);
  return { workflow, execution, run: generation ? execution.slice(0, generation.index) : execution, generation: generation ? Number(generation[1]) : 0 };
}

/**
 * Runs one call of a handler and writes its line: info when it returns, error with the error's
 * name when it throws (the error goes on unchanged). `call` may fill in the fields as it goes.
 */
export async function loggedCall<T>(handler: string, fields: CallFields, call: (fields: CallFields) => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    const result = await call(fields);
    callLogger().info(handler, { ...fields, outcome: fields.outcome ?? 'ok', durationMs: Date.now() - started });
    return result;
  } catch (error) {
    const errorName = error instanceof Error ? error.name : typeof error;
    callLogger().error(handler, { ...fields, outcome: 'failed', durationMs: Date.now() - started, errorName });
    throw error;
  }
}
