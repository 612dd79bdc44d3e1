export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
  /**
   * Not IAM's: lets a statement you add use action patterns (`s3:Get*`), each action they match
   * still held to the statement rules (lib/core/statement-rules.ts); left out of the policy.
   * @default false
   */
  readonly AllowActionPatterns?: boolean;
}

export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements.map(({ AllowActionPatterns: _optIn, ...statement }) => statement) });
}

export interface SourceCondition {
  readonly accountId: string;
  readonly sourceArn: string;
}

/**
 * A trust policy for an AWS service. With `source`, only calls made on behalf of that account
 * and resource (confused-deputy protection, which Step Functions supports) may assume the role.
 */
export function assumeRolePolicy(service: string, source?: SourceCondition): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: service },
        Action: 'sts:AssumeRole',
        ...(source
          ? { Condition: { StringEquals: { 'aws:SourceAccount': source.accountId }, ArnLike: { 'aws:SourceArn': source.sourceArn } } }
          : {}),
      },
    ],
  });
}
