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

/** On whose behalf a service may assume a role: the confused-deputy conditions its service supports. */
export interface SourceCondition {
  readonly accountId: string;
  /** The resource the service acts for, where the service names one when it assumes the role. @default the account alone */
  readonly sourceArn?: string;
}

/**
 * A trust policy for an AWS service: only calls made on behalf of that account (`aws:SourceAccount`)
 * and, where the service names it, that resource (`aws:SourceArn`) may assume the role.
 */
export function assumeRolePolicy(service: string, source: SourceCondition): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: service },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': source.accountId }, ...(source.sourceArn ? { ArnLike: { 'aws:SourceArn': source.sourceArn } } : {}) },
      },
    ],
  });
}
