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

const QUOTED_CHARACTERS = 1_000;

/** A value as an error's cause quotes it: its JSON, cut at a thousand characters. */
export function quote(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > QUOTED_CHARACTERS ? `${text.slice(0, QUOTED_CHARACTERS)}... (${text.length} characters)` : text;
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
