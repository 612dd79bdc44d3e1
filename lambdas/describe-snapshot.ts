import { DescribeDBSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { callAws, InvalidInput } from './shared/errors';
import { RDS_IDENTIFIER_RULE } from './shared/rds-identifier';
import { CLIENT_CONFIG } from './shared/aws-clients';
import { requireEnv, requireObject, requireString } from './shared/validate';
import type { SnapshotReference } from './create-snapshot';

export interface DescribeSnapshotEvent {
  readonly DBSnapshotIdentifier: string;
}

export interface SnapshotStatus extends SnapshotReference {
  /** Free text from RDS: `creating`, `available`, `failed`, ... */
  readonly Status: string;
}

const rds = new RDSClient(CLIENT_CONFIG);
const dbInstanceIdentifier = requireEnv('DB_INSTANCE_IDENTIFIER');

export const handler = async (event: unknown): Promise<SnapshotStatus> => {
  const input = requireObject(event, 'event');
  const id = requireString(input, 'DBSnapshotIdentifier', RDS_IDENTIFIER_RULE, 'an RDS snapshot identifier');
  if (!id.startsWith(`${dbInstanceIdentifier}-`)) {
    throw new InvalidInput(`DBSnapshotIdentifier must belong to DB instance ${dbInstanceIdentifier}, got "${id}"`);
  }
  const { DBSnapshots } = await callAws(() => rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: id })));
  const snapshot = DBSnapshots?.[0];
  if (!snapshot?.Status) {
    throw new Error(`DescribeDBSnapshots returned no status for snapshot ${id}`);
  }
  return { DBSnapshotIdentifier: id, DBInstanceIdentifier: dbInstanceIdentifier, Status: snapshot.Status };
};
