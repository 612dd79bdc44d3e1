import {
  CreateDBClusterSnapshotCommand,
  CreateDBSnapshotCommand,
  DeleteDBClusterSnapshotCommand,
  DeleteDBSnapshotCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBSnapshotsCommand,
  type RDSClient,
  type Tag,
} from '@aws-sdk/client-rds';
import { HandlerError, InvalidInput } from '../shared/errors';
import type { SnapshotTargets } from '../shared/handler-environments';
import { RDS_KINDS, type RdsApiName } from './rds-kinds';
import type { TargetType } from './snapshot-naming';

const listed = (targets: SnapshotTargets) => Object.keys(targets).join(', ');

/** A target that is not configured: fails the execution at once. */
export class UnknownTarget extends HandlerError {
  override readonly name = 'UnknownTarget';

  constructor(target: string, targets: SnapshotTargets) {
    super(`target "${target}" is not configured; the configured targets are ${listed(targets)}`);
  }
}

/** The type of a configured target; UnknownTarget for any other, `constructor` included. */
export function configuredType(target: string, targets: SnapshotTargets): TargetType {
  if (!Object.hasOwn(targets, target)) throw new UnknownTarget(target, targets);
  return targets[target];
}

/** The target an event names; with exactly one configured, naming it is optional. */
export function resolveTarget(requested: unknown, targets: SnapshotTargets): { target: string; type: TargetType } {
  const ids = Object.keys(targets);
  const target = requested === undefined && ids.length === 1 ? ids[0] : requested;
  if (typeof target !== 'string') {
    throw new InvalidInput(`the input must name a target, {"target": "<identifier>"}: one of ${listed(targets)}`);
  }
  return { target, type: configuredType(target, targets) };
}

/** A snapshot as both kinds describe it. */
export interface Snapshot {
  readonly identifier: string;
  readonly target: string;
  readonly status: string;
  readonly createTime?: Date;
  readonly tags: Readonly<Record<string, string>>;
}

/** The RDS calls the workflow makes on one kind of target, the same for both kinds. */
export interface SnapshotApi {
  /** The exception RDS throws when the identifier is taken, and when a snapshot is not there. */
  readonly alreadyExists: string;
  readonly notFound: string;
  create(target: string, identifier: string, tags: readonly Tag[]): Promise<void>;
  describe(identifier: string): Promise<Snapshot | undefined>;
  /** Every manual snapshot of the target, page by page. */
  listManual(target: string): Promise<Snapshot[]>;
  delete(identifier: string): Promise<void>;
}

const tagsOf = (list: readonly Tag[] | undefined) => Object.fromEntries((list ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));

type Command = new (input: Record<string, unknown>) => Parameters<RDSClient['send']>[0];

/** The SDK's command for each API the table names. */
const COMMANDS: Record<RdsApiName, Command> = {
  CreateDBSnapshot: CreateDBSnapshotCommand as unknown as Command,
  DescribeDBSnapshots: DescribeDBSnapshotsCommand as unknown as Command,
  DeleteDBSnapshot: DeleteDBSnapshotCommand as unknown as Command,
  CreateDBClusterSnapshot: CreateDBClusterSnapshotCommand as unknown as Command,
  DescribeDBClusterSnapshots: DescribeDBClusterSnapshotsCommand as unknown as Command,
  DeleteDBClusterSnapshot: DeleteDBClusterSnapshotCommand as unknown as Command,
};

type Described = Record<string, unknown> & { Status?: string; SnapshotCreateTime?: Date; TagList?: Tag[] };

export function snapshotApi(rds: RDSClient, type: TargetType): SnapshotApi {
  const { api, fields, faults } = RDS_KINDS[type];
  const send = (name: RdsApiName, input: Record<string, unknown>) => rds.send(new COMMANDS[name](input)) as unknown as Promise<Record<string, unknown>>;
  const read = (s: Described): Snapshot => ({
    identifier: String(s[fields.snapshotIdentifier] ?? ''),
    target: String(s[fields.targetIdentifier] ?? ''),
    status: s.Status ?? '',
    createTime: s.SnapshotCreateTime,
    tags: tagsOf(s.TagList),
  });
  return {
    alreadyExists: faults.snapshotAlreadyExists,
    notFound: faults.snapshotNotFound,
    create: async (target, identifier, tags) => {
      await send(api.create, { [fields.targetIdentifier]: target, [fields.snapshotIdentifier]: identifier, Tags: [...tags] });
    },
    describe: async (identifier) => {
      const found = (await send(api.describe, { [fields.snapshotIdentifier]: identifier }))[fields.snapshots] as Described[] | undefined;
      return found?.[0] && read(found[0]);
    },
    listManual: async (target) => {
      const snapshots: Snapshot[] = [];
      let marker: string | undefined;
      do {
        const page = await send(api.describe, { [fields.targetIdentifier]: target, SnapshotType: 'manual', Marker: marker });
        snapshots.push(...((page[fields.snapshots] as Described[] | undefined) ?? []).map(read));
        marker = page.Marker as string | undefined;
      } while (marker);
      return snapshots;
    },
    delete: async (identifier) => {
      await send(api.delete, { [fields.snapshotIdentifier]: identifier });
    },
  };
}
