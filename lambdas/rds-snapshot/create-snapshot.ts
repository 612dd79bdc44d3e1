import { RDSClient } from '@aws-sdk/client-rds';
import { CLIENT_CONFIG } from '../shared/aws-clients';
import { callAws, HandlerError, hasErrorName } from '../shared/errors';
import { EXECUTION_ARN_RULE, EXECUTION_ARN_TEXT } from '../shared/execution-arn';
import { CREATE_SNAPSHOT_ENVIRONMENT } from '../shared/handler-environments';
import { snapshotIdentifierFor, TAG_KEYS, type TargetType } from './snapshot-naming';
import { resolveTarget, snapshotApi } from './snapshots';
import { requireObject, requireString } from '../shared/validate';
import { executionFields, loggedCall, type CallFields } from '../shared/call-log';

export interface CreateSnapshotEvent {
  /** The execution's input: `{"target": "<identifier>"}`. */
  readonly input: unknown;
  /** From the context object: the snapshot identifier and the ownership check derive from it. */
  readonly execution: { readonly id: string; readonly startTime: string };
}

export interface SnapshotReference {
  readonly target: string;
  readonly type: TargetType;
  readonly snapshotIdentifier: string;
}

/** A snapshot holds this execution's identifier but is not this execution's. */
export class SnapshotNameTaken extends HandlerError {
  override readonly name = 'SnapshotNameTaken';
}

const rds = new RDSClient(CLIENT_CONFIG);

/**
 * Starts a snapshot of the target the input names, tagged with who made it, the execution and
 * the target. A retried call that finds the identifier taken accepts the snapshot only if it is
 * of the same target and was made after this execution started: an execution name reused
 * after 90 days gives the same identifier, and its old snapshot is not this run's.
 */
const createSnapshot = async (event: unknown, fields: CallFields): Promise<SnapshotReference> => {
  const { snapshotTargets, createdBy, snapshotTags } = CREATE_SNAPSHOT_ENVIRONMENT.read(process.env);
  const body = requireObject(event, 'event');
  const execution = requireObject(body.execution, 'execution');
  const executionId = requireString(execution, 'id', EXECUTION_ARN_RULE, EXECUTION_ARN_TEXT, 'execution.id');
  const startTime = requireString(execution, 'startTime', /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/, 'an ISO 8601 UTC time', 'execution.startTime');
  const requested = body.input !== null && typeof body.input === 'object' ? (body.input as { target?: unknown }).target : undefined;
  const { target, type } = resolveTarget(requested, snapshotTargets);
  const api = snapshotApi(rds, type);
  const snapshotIdentifier = snapshotIdentifierFor(target, executionId);
  const tags = [
    { Key: TAG_KEYS.createdBy, Value: createdBy },
    { Key: TAG_KEYS.execution, Value: executionId },
    { Key: TAG_KEYS.target, Value: target },
    ...Object.entries(snapshotTags).map(([Key, Value]) => ({ Key, Value })),
  ];
  try {
    await callAws(() => api.create(target, snapshotIdentifier, tags));
  } catch (error) {
    if (!hasErrorName(error, api.alreadyExists)) throw error;
    const existing = await callAws(() => api.describe(snapshotIdentifier));
    const made = existing?.createTime;
    if (existing?.target !== target || (made !== undefined && made.getTime() < Date.parse(startTime))) {
      throw new SnapshotNameTaken(
        `snapshot ${snapshotIdentifier} already exists${existing?.target === target ? `, made ${made?.toISOString()}, before this execution started (${startTime})` : ` for ${existing?.target || 'another target'}`}: ` +
          'it is not this execution\'s (execution names are reusable after 90 days); start the snapshot under another execution name',
      );
    }
  }
  fields.outcome = 'creating';
  return { target, type, snapshotIdentifier };
};

export const handler = (event: unknown) =>
  loggedCall('create-snapshot', executionFields((event as { execution?: { id?: unknown } } | null)?.execution?.id), (fields) => createSnapshot(event, fields));
