/** `arn:<partition>:states:<region>:<account>:execution:<stateMachine>:<name>` */
export const EXECUTION_ARN_RULE = /^arn:[a-z-]+:states:[a-z0-9-]+:\d{12}:execution:[^:]+:([^:]{1,80})$/;
export const EXECUTION_ARN_TEXT = 'a Step Functions execution ARN';

/** `arn:<partition>:states:<region>:<account>:stateMachine:<name>` */
/** A state machine's ARN; the group is its region. */
export const STATE_MACHINE_ARN_RULE = /^arn:[a-z-]+:states:([a-z0-9-]+):\d{12}:stateMachine:[0-9A-Za-z_-]{1,80}$/;
export const STATE_MACHINE_ARN_TEXT = 'a Step Functions state machine ARN';

export function executionNameOf(executionArn: string): string {
  return executionArn.slice(executionArn.lastIndexOf(':') + 1);
}
