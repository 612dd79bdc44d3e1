/** `arn:<partition>:states:<region>:<account>:execution:<stateMachine>:<name>` */
export const EXECUTION_ARN_RULE = /^arn:[a-z-]+:states:[a-z0-9-]+:\d{12}:execution:[^:]+:([^:]{1,80})$/;
export const EXECUTION_ARN_TEXT = 'a Step Functions execution ARN';

export function executionNameOf(executionArn: string): string {
  return executionArn.slice(executionArn.lastIndexOf(':') + 1);
}
