import { RDSClient } from '@aws-sdk/client-rds';
import { CLIENT_CONFIG } from '../shared/aws-clients';
import { callAws, hasErrorName } from '../shared/errors';
import { APPLY_RETENTION_ENVIRONMENT } from '../shared/handler-environments';
import { ownSnapshotPrefix, TAG_KEYS } from './snapshot-naming';
import { configuredType, snapshotApi, type Snapshot } from './snapshots';
import { requireObject, requireString } from '../shared/validate';
import { executionFields, loggedCall, type CallFields } from '../shared/call-log';

export interface RetentionResult {
  /** Identifiers deleted, oldest last. */
  readonly deleted: readonly string[];
  /** This workflow's snapshots of the target kept, the new one included. */
  readonly kept: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

const rds = new RDSClient(CLIENT_CONFIG);

/** Ours: made by this workflow for this target, by identifier and by tags alike. */
const isOurs = (snapshot: Snapshot, target: string, createdBy: string) =>
  snapshot.identifier.startsWith(ownSnapshotPrefix(target)) && snapshot.tags[TAG_KEYS.createdBy] === createdBy && snapshot.tags[TAG_KEYS.target] === target;

/**
 * Deletes the target's older snapshots of this workflow beyond the newest `KEEP_LAST` (the one
 * just made counts) or older than `MAX_AGE_DAYS` before it. Never one without our tags, never
 * the one just made, never one still being made; IAM allows deletion only of tagged ones too.
 */
const applyRetention = async (event: unknown, fields: CallFields): Promise<RetentionResult> => {
  const { snapshotTargets, createdBy, keepLast, maxAgeDays } = APPLY_RETENTION_ENVIRONMENT.read(process.env);
  const input = requireObject(event, 'event');
  const target = requireString(input, 'target', /^.+$/, 'a configured target');
  const type = configuredType(target, snapshotTargets);
  const justMade = requireString(input, 'snapshotIdentifier', /^.+$/, 'the snapshot just made');
  if (keepLast === 0 && maxAgeDays === 0) return { deleted: [], kept: 1 };

  const api = snapshotApi(rds, type);
  const all = await callAws(() => api.listManual(target));
  const now = all.find((s) => s.identifier === justMade)?.createTime?.getTime() ?? Date.now();
  const ours = all
    .filter((s) => isOurs(s, target, createdBy) && s.identifier !== justMade && s.status === 'available')
    .sort((a, b) => (b.createTime?.getTime() ?? 0) - (a.createTime?.getTime() ?? 0));
  const tooMany = (index: number) => keepLast > 0 && index >= keepLast - 1;
  const tooOld = (s: Snapshot) => maxAgeDays > 0 && s.createTime !== undefined && now - s.createTime.getTime() > maxAgeDays * DAY_MS;
  const doomed = ours.filter((s, index) => tooMany(index) || tooOld(s));
  for (const snapshot of doomed) {
    try {
      await callAws(() => api.delete(snapshot.identifier));
    } catch (error) {
      if (!hasErrorName(error, api.notFound)) throw error;
    }
  }
  fields.outcome = `deleted ${doomed.length}`;
  return { deleted: doomed.map((s) => s.identifier), kept: ours.length - doomed.length + 1 };
};

export const handler = (event: unknown) =>
  loggedCall('apply-retention', executionFields((event as { execution?: unknown } | null)?.execution), (fields) => applyRetention(event, fields));
