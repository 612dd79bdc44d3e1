import type { IConstruct } from 'constructs';
import { ValidationError } from './validation-error';

/** Lambda function and state machine names: letters, digits, hyphens and underscores, up to `maxLength`. */
export function requireResourceName(scope: IConstruct, prop: string, value: string, maxLength: number): void {
  if (!new RegExp(`^[A-Za-z0-9_-]{1,${maxLength}}$`).test(value)) {
    throw new ValidationError(scope, `${prop} "${value}" must be 1-${maxLength} letters, digits, hyphens or underscores`);
  }
}
