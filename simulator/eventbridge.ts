import { SIMULATED_AWS } from './stack-artifacts';
import type { ExecutionResult } from './run-execution';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Whether an event matches an EventBridge event pattern, for the patterns this project writes:
 * arrays of exact values (a scalar matches if it equals one; an array if any element does),
 * nested objects for nested fields. Any other pattern form (prefix, anything-but, numeric, ...)
 * is refused rather than guessed at.
 */
export function matchesPattern(event: Json | undefined, pattern: Json): boolean {
  if (pattern === null || typeof pattern !== 'object' || Array.isArray(pattern)) throw new Error(`an event pattern is an object of fields, got ${JSON.stringify(pattern)}`);
  return Object.entries(pattern).every(([field, expected]) => {
    const value = event !== null && typeof event === 'object' && !Array.isArray(event) ? event[field] : undefined;
    if (Array.isArray(expected)) {
      const refused = expected.find((candidate) => candidate !== null && typeof candidate === 'object');
      if (refused !== undefined) throw new Error(`this matcher takes exact values only, not ${JSON.stringify(refused)}`);
      return (Array.isArray(value) ? value : [value]).some((v) => expected.includes(v as Json));
    }
    return matchesPattern(value, expected);
  });
}

function readPath(event: Json, jsonPath: string): Json | undefined {
  if (!/^\$(\.[A-Za-z0-9_-]+)+$/.test(jsonPath)) throw new Error(`this renderer reads only dotted paths, not ${jsonPath}`);
  return jsonPath
    .slice(2)
    .split('.')
    .reduce<Json | undefined>((node, key) => (node !== null && typeof node === 'object' && !Array.isArray(node) ? node[key] : undefined), event);
}

/**
 * What an EventBridge input transformer makes of an event: each `<name>` of the template
 * replaced by its path's value, inside a quoted template as escaped text.
 */
export function renderInputTemplate(event: Json, transformer: { inputPaths: Record<string, string>; inputTemplate: string }): unknown {
  const rendered = transformer.inputTemplate.replace(/<([A-Za-z0-9_]+)>/g, (whole, name: string) => {
    if (!(name in transformer.inputPaths)) return whole;
    const value = readPath(event, transformer.inputPaths[name]);
    return JSON.stringify(typeof value === 'string' ? value : (value ?? '')).slice(1, -1);
  });
  return JSON.parse(rendered);
}

/** The "Step Functions Execution Status Change" event Step Functions sends when an execution ends: its input and output as JSON text, as the real event carries them. */
export function statusChangeEvent(execution: ExecutionResult, stateMachineArn: string): Json {
  return {
    version: '0',
    id: `simulated-${execution.name}`,
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: SIMULATED_AWS.accountId,
    time: '2026-01-01T00:00:00Z',
    region: SIMULATED_AWS.region,
    resources: [execution.arn],
    detail: {
      executionArn: execution.arn,
      stateMachineArn,
      name: execution.name,
      status: execution.status,
      input: JSON.stringify(execution.inputs[0]?.input ?? null),
      output: execution.output === undefined ? null : JSON.stringify(execution.output),
      error: execution.error ?? null,
      cause: execution.cause ?? null,
    },
  };
}
