import type { IConstruct } from 'constructs';
import { ValidationError } from './validation-error';

/** Lambda function and state machine names: letters, digits, hyphens and underscores, up to `maxLength`. */
export function requireResourceName(scope: IConstruct, prop: string, value: string, maxLength: number): void {
  if (!new RegExp(`^[A-Za-z0-9_-]{1,${maxLength}}$`).test(value)) {
    throw new ValidationError(scope, `${prop} "${value}" must be 1-${maxLength} letters, digits, hyphens or underscores`);
  }
}

/** A name prefix, and a workflow's id under it: the rule AWS resource names of every kind accept. */
export const WORKFLOW_NAME_PATTERN = /^[a-z](?!.*--)[a-z0-9-]{0,31}(?<!-)$/;
export const WORKFLOW_NAME_RULE = '1-32 lowercase letters, digits or single hyphens, starting with a letter and not ending with a hyphen';

/**
 * The longest `<namePrefix>-<workflow>` a workflow may have: its longest role name,
 * `<name>-check-input-fn`, must fit IAM's 64 characters.
 */
export const MAX_WORKFLOW_NAME_LENGTH = 48;

/** The ids of the stack's own constructs: no workflow may take one. */
export const STACK_CONSTRUCT_IDS = { provider: 'aws', partition: 'partition', region: 'region', account: 'account', alerts: 'alerts' } as const;
