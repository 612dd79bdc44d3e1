import { HandlerError } from './errors';
import { jsonBytes, MAX_BATCH_STATE_BYTES, MAX_STATE_BYTES } from './work-contract';

/** How much state a machine carries, and why no more. */
export interface StateLimit {
  readonly bytes: number;
  readonly why: string;
}

export const STATE_LIMIT: StateLimit = { bytes: MAX_STATE_BYTES, why: "Step Functions' 262144-byte payload quota less room for its own fields" };

/** An Express loop's bound, where the state enters and each time the work returns it. */
export const BATCH_STATE_LIMIT: StateLimit = {
  bytes: MAX_BATCH_STATE_BYTES,
  why: "an Express batch returns its input state and its output state in one result, within Step Functions' 262144-byte payload quota",
};

/** A value is larger than the machine can carry; never retried. */
export class StateTooLarge extends HandlerError {
  override readonly name = 'StateTooLarge';
}

/** An object's keys a shape lists at most, and the characters of each: a cause stays short. */
const SHOWN_KEYS = 20;
const SHOWN_KEY_CHARACTERS = 40;

const typeOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);
const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

/**
 * A value as an error's cause (and so an alert) describes it: its type, an object's keys with
 * each one's type, an array's length, its size in bytes of JSON — never what it holds, which
 * stays in the execution: `an object of 96 bytes of JSON, keys token (string), count (number)`.
 */
export function shapeOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  const type = typeOf(value);
  const size = `${jsonBytes(value)} bytes of JSON`;
  if (type === 'array') return `an array of ${(value as unknown[]).length} items, ${size}`;
  if (type !== 'object') return `${article(type)} of ${size}`;
  const entries = Object.entries(value as Record<string, unknown>);
  const keyOf = (key: string) => (key.length > SHOWN_KEY_CHARACTERS ? `${key.slice(0, SHOWN_KEY_CHARACTERS)}...` : key);
  const keys = entries.slice(0, SHOWN_KEYS).map(([key, inner]) => `${keyOf(key)} (${typeOf(inner)})`);
  const more = entries.length > SHOWN_KEYS ? ` and ${entries.length - SHOWN_KEYS} more` : '';
  return `an object of ${size}, ${entries.length === 0 ? 'no keys' : `keys ${keys.join(', ')}${more}`}`;
}

/**
 * Refuses a value the machine could not carry: too large with the machine's own fields around it,
 * and beside `carriedBytes` of what it carries with it.
 */
export function checkStateSize(value: unknown, what: string, carriedBytes = 0, limit = STATE_LIMIT): void {
  const bytes = jsonBytes(value);
  if (bytes + carriedBytes > limit.bytes) {
    const beside = carriedBytes > 0 ? ` beside ${carriedBytes} bytes of the execution's input` : '';
    throw new StateTooLarge(`${what} is ${bytes} bytes of JSON${beside}; the machine carries at most ${limit.bytes} (${limit.why})`);
  }
}
