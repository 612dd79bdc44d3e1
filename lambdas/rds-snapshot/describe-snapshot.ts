import { RDSClient } from '@aws-sdk/client-rds';
import { CLIENT_CONFIG } from '../shared/aws-clients';
import { callAws, InvalidInput } from '../shared/errors';
import { DESCRIBE_SNAPSHOT_ENVIRONMENT } from '../shared/handler-environments';
import { RDS_IDENTIFIER_RULE } from './rds-identifier';
import { ownSnapshotPrefix } from './snapshot-naming';
import { configuredType, snapshotApi } from './snapshots';
import { requireInteger, requireObject, requireString } from '../shared/validate';
import type { SnapshotReference } from './create-snapshot';
import { executionFields, loggedCall, type CallFields } from '../shared/call-log';

export interface SnapshotStatus extends SnapshotReference {
  /** Free text from RDS: `creating`, `available`, `failed`, ... */
  readonly status: string;
  /** The retries this call took (`$$.State.RetryCount`), handed back for the poll loop's count of history events. */
  readonly retries?: number;
}

const rds = new RDSClient(CLIENT_CONFIG);

/** Reads the status of one of this workflow's snapshots; a snapshot not found yet propagates its RDS error. */
const describeSnapshot = async (event: unknown, fields: CallFields): Promise<SnapshotStatus> => {
  const { snapshotTargets } = DESCRIBE_SNAPSHOT_ENVIRONMENT.read(process.env);
  const input = requireObject(event, 'event');
  const target = requireString(input, 'target', RDS_IDENTIFIER_RULE, 'a configured target');
  const type = configuredType(target, snapshotTargets);
  if (input.type !== type) throw new InvalidInput(`type must be "${type}", the type of target ${target}, got ${JSON.stringify(input.type) ?? 'nothing'}`);
  const snapshotIdentifier = requireString(input, 'snapshotIdentifier', RDS_IDENTIFIER_RULE, 'an RDS snapshot identifier');
  if (!snapshotIdentifier.startsWith(ownSnapshotPrefix(target))) {
    throw new InvalidInput(`snapshotIdentifier must be one of this workflow's snapshots of ${target} (${ownSnapshotPrefix(target)}...), got "${snapshotIdentifier}"`);
  }
  const retries = input.retries === undefined ? undefined : requireInteger(input, 'retries', 0);
  const snapshot = await callAws(() => snapshotApi(rds, type).describe(snapshotIdentifier));
  if (!snapshot?.status) throw new Error(`RDS returned no status for snapshot ${snapshotIdentifier}`);
  fields.outcome = snapshot.status;
  const status = { target, type, snapshotIdentifier, status: snapshot.status };
  return retries === undefined ? status : { ...status, retries };
};

export const handler = (event: unknown) =>
  loggedCall('describe-snapshot', executionFields((event as { execution?: unknown } | null)?.execution), (fields) => describeSnapshot(event, fields));
