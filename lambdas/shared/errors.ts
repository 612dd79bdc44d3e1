/**
 * Thrown when a handler's event or configuration breaks a rule. Step Functions sees the
 * error name `InvalidInput`; the state machines never retry it.
 */
export class InvalidInput extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidInput';
  }
}

/** True when an AWS SDK error (or any error) carries the given name. */
export function hasErrorName(error: unknown, ...names: string[]): boolean {
  return error instanceof Error && names.includes(error.name);
}
