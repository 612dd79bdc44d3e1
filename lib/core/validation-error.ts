import type { IConstruct } from 'constructs';

/** A construct refused its props: the message names the construct, the value and the rule. */
export class ValidationError extends Error {
  constructor(scope: IConstruct, message: string) {
    super(`${scope.node.path}: ${message}`);
    this.name = 'ValidationError';
  }
}

/**
 * A problem in what the app was asked to build, which the user fixes: a construct's refused
 * props, or an id two constructs of one scope both took (constructs' own error). Printed as its
 * one line, never with a stack trace.
 */
export function isConstructProblem(error: unknown): error is Error {
  return error instanceof ValidationError || (error instanceof Error && error.message.startsWith('There is already a Construct with name '));
}
