import { createHash } from 'node:crypto';
import { CreateDBSnapshotCommand, RDSClient } from '@aws-sdk/client-rds';
import { callAws, hasErrorName } from './shared/errors';
import { EXECUTION_ARN_RULE, EXECUTION_ARN_TEXT, executionNameOf } from './shared/execution-arn';
import { CLIENT_CONFIG } from './shared/aws-clients';
import { requireEnv, requireObject, requireString } from './shared/validate';

export interface CreateSnapshotEvent {
  /** `$$.Execution.Id`: the snapshot identifier is derived from it. */
  readonly executionId: string;
}

export interface SnapshotReference {
  readonly DBSnapshotIdentifier: string;
  readonly DBInstanceIdentifier: string;
}

const rds = new RDSClient(CLIENT_CONFIG);
const dbInstanceIdentifier = requireEnv('DB_INSTANCE_IDENTIFIER');

/**
 * One identifier per execution, so a retried call (say, the function timed out after RDS
 * accepted it) finds its own snapshot instead of starting a second one. The hash keeps two
 * execution names that slug alike apart.
 */
export function snapshotIdentifierFor(instance: string, executionArn: string): string {
  const slug = executionNameOf(executionArn)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const hash = createHash('sha256').update(executionArn).digest('hex').slice(0, 8);
  return [instance, slug, hash].filter(Boolean).join('-');
}

export const handler = async (event: unknown): Promise<SnapshotReference> => {
  const input = requireObject(event, 'event');
  const executionId = requireString(input, 'executionId', EXECUTION_ARN_RULE, EXECUTION_ARN_TEXT);
  const reference = {
    DBSnapshotIdentifier: snapshotIdentifierFor(dbInstanceIdentifier, executionId),
    DBInstanceIdentifier: dbInstanceIdentifier,
  };
  try {
    await callAws(() => rds.send(new CreateDBSnapshotCommand(reference)));
  } catch (error) {
    if (!hasErrorName(error, 'DBSnapshotAlreadyExistsFault', 'DBSnapshotAlreadyExists')) throw error;
  }
  return reference;
};
