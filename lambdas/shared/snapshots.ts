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
import { InvalidInput } from './errors';
import type { TargetType } from './snapshot-naming';
import { requireEnv } from './validate';

/** The targets this deployment may snapshot, by identifier, from the function's environment. */
export function configuredTargets(): ReadonlyMap<string, TargetType> {
  return new Map(Object.entries(JSON.parse(requireEnv('SNAPSHOT_TARGETS')) as Record<string, TargetType>));
}

/** A target that is not configured: fails the execution at once. */
export class UnknownTarget extends Error {
  constructor(target: string, known: ReadonlyMap<string, TargetType>) {
    super(`target "${target}" is not configured; the configured targets are ${[...known.keys()].join(', ')}`);
    this.name = 'UnknownTarget';
  }
}

/** The target an event names; with exactly one configured, naming it is optional. */
export function resolveTarget(requested: unknown, known: ReadonlyMap<string, TargetType>): { target: string; type: TargetType } {
  if (requested === undefined && known.size === 1) {
    const [[target, type]] = [...known];
    return { target, type };
  }
  if (typeof requested !== 'string') {
    throw new InvalidInput(`the input must name a target, {"target": "<identifier>"}: one of ${[...known.keys()].join(', ')}`);
  }
  const type = known.get(requested);
  if (!type) throw new UnknownTarget(requested, known);
  return { target: requested, type };
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

/** Each kind's commands and field names: DB snapshots for an instance, DB cluster snapshots for a cluster. */
const KINDS: Record<TargetType, { create: Command; describe: Command; delete: Command; id: string; target: string; list: string; alreadyExists: string; notFound: string }> = {
  instance: {
    create: CreateDBSnapshotCommand as unknown as Command,
    describe: DescribeDBSnapshotsCommand as unknown as Command,
    delete: DeleteDBSnapshotCommand as unknown as Command,
    id: 'DBSnapshotIdentifier',
    target: 'DBInstanceIdentifier',
    list: 'DBSnapshots',
    alreadyExists: 'DBSnapshotAlreadyExistsFault',
    notFound: 'DBSnapshotNotFoundFault',
  },
  cluster: {
    create: CreateDBClusterSnapshotCommand as unknown as Command,
    describe: DescribeDBClusterSnapshotsCommand as unknown as Command,
    delete: DeleteDBClusterSnapshotCommand as unknown as Command,
    id: 'DBClusterSnapshotIdentifier',
    target: 'DBClusterIdentifier',
    list: 'DBClusterSnapshots',
    alreadyExists: 'DBClusterSnapshotAlreadyExistsFault',
    notFound: 'DBClusterSnapshotNotFoundFault',
  },
};

type Described = Record<string, unknown> & { Status?: string; SnapshotCreateTime?: Date; TagList?: Tag[] };

export function snapshotApi(rds: RDSClient, type: TargetType): SnapshotApi {
  const kind = KINDS[type];
  const send = (command: Command, input: Record<string, unknown>) => rds.send(new command(input)) as unknown as Promise<Record<string, unknown>>;
  const read = (s: Described): Snapshot => ({
    identifier: String(s[kind.id] ?? ''),
    target: String(s[kind.target] ?? ''),
    status: s.Status ?? '',
    createTime: s.SnapshotCreateTime,
    tags: tagsOf(s.TagList),
  });
  return {
    alreadyExists: kind.alreadyExists,
    notFound: kind.notFound,
    create: async (target, identifier, tags) => {
      await send(kind.create, { [kind.target]: target, [kind.id]: identifier, Tags: [...tags] });
    },
    describe: async (identifier) => {
      const found = (await send(kind.describe, { [kind.id]: identifier }))[kind.list] as Described[] | undefined;
      return found?.[0] && read(found[0]);
    },
    listManual: async (target) => {
      const snapshots: Snapshot[] = [];
      let marker: string | undefined;
      do {
        const page = await send(kind.describe, { [kind.target]: target, SnapshotType: 'manual', Marker: marker });
        snapshots.push(...((page[kind.list] as Described[] | undefined) ?? []).map(read));
        marker = page.Marker as string | undefined;
      } while (marker);
      return snapshots;
    },
    delete: async (identifier) => {
      await send(kind.delete, { [kind.id]: identifier });
    },
  };
}
