export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
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
