import { createHash } from 'node:crypto';
import { executionNameOf } from '../shared/execution-arn';

/** What a target is: a DB instance (DB snapshots) or an Aurora DB cluster (DB cluster snapshots). */
export type TargetType = 'instance' | 'cluster';
export const TARGET_TYPES: readonly TargetType[] = ['instance', 'cluster'];

/**
 * Between the target and the rest of the identifier: `<target>-sfn-<execution>-<hash>`. The
 * policies name `<target>-sfn-*`, which a neighbour such as `<target>-replica` never matches.
 */
export const SNAPSHOT_INFIX = 'sfn';

/** The tags every snapshot of this workflow carries; retention and IAM both go by them. */
export const TAG_KEYS = { createdBy: 'workflow:created-by', execution: 'workflow:execution', target: 'workflow:target' } as const;

export const ownSnapshotPrefix = (target: string) => `${target}-${SNAPSHOT_INFIX}-`;

/**
 * One identifier per execution, so a retried create finds its own snapshot instead of starting
 * a second; the hash keeps two execution names that slug alike apart.
 */
export function snapshotIdentifierFor(target: string, executionArn: string): string {
  const slug = executionNameOf(executionArn)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const hash = createHash('sha256').update(executionArn).digest('hex').slice(0, 8);
  return [`${target}-${SNAPSHOT_INFIX}`, slug, hash].filter(Boolean).join('-');
}
