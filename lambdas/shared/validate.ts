import { InvalidInput } from './errors';
import { shapeOf } from './payload';

export type JsonObject = { [key: string]: unknown };

/** A value refused, as the cause says it: a number or true/false as it is, anything else by its shape (it may be the state). */
function describe(value: unknown): string {
  return typeof value === 'number' || typeof value === 'boolean' ? JSON.stringify(value) : shapeOf(value);
}

export function requireObject(value: unknown, field: string): JsonObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidInput(`${field} must be a JSON object, got ${describe(value)}`);
  }
  return value as JsonObject;
}

export function requireInteger(object: JsonObject, field: string, min: number, path = field): number {
  const value = object[field];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new InvalidInput(`${path} must be an integer >= ${min}, got ${describe(value)}`);
  }
  return value;
}

export function requireString(object: JsonObject, field: string, rule: RegExp, ruleText: string, path = field): string {
  const value = object[field];
  if (typeof value !== 'string' || !rule.test(value)) {
    throw new InvalidInput(`${path} must be ${ruleText}, got ${describe(value)}`);
  }
  return value;
}
