import type { IConstruct } from 'constructs';

/** A construct refused its props: the message names the construct, the value and the rule. */
export class ValidationError extends Error {
  constructor(scope: IConstruct, message: string) {
    super(`${scope.node.path}: ${message}`);
    this.name = 'ValidationError';
  }
}
