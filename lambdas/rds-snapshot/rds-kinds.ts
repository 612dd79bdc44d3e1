import type { TargetType } from './snapshot-naming';

/**
 * Everything RDS calls differently for a DB instance (DB snapshots) and an Aurora DB cluster (DB
 * cluster snapshots): the handlers, the IAM policies and the fake RDS all read it from here. Plain
 * data, no SDK: the constructs import it at synth, where the SDK is not installed.
 */
export interface RdsKind {
  /**
   * The API actions, the same names as the IAM actions (`rds:<name>`).
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_Operations.html
   */
  readonly api: { readonly create: string; readonly describe: string; readonly delete: string };
  /** Request and response members. */
  readonly fields: {
    readonly snapshotIdentifier: string;
    readonly targetIdentifier: string;
    /** What create and delete answer with: the one snapshot. */
    readonly snapshot: string;
    /** What describe answers with: the list. */
    readonly snapshots: string;
  };
  /** The exceptions' names, as the SDK's exception classes and Step Functions' Retry and Catch give them. */
  readonly faults: {
    readonly snapshotAlreadyExists: string;
    readonly snapshotNotFound: string;
    readonly targetNotFound: string;
    /** The target cannot be snapshotted now: a backup window, a modification, another snapshot. */
    readonly targetBusy: string;
  };
  /** @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonrds.html */
  readonly iam: {
    /** The resource type in a snapshot's ARN, `arn:<partition>:rds:<region>:<account>:<type>:<identifier>`. */
    readonly snapshotResource: 'snapshot' | 'cluster-snapshot';
    /** The resource type in the target's ARN. */
    readonly targetResource: 'db' | 'cluster';
  };
}

export const RDS_KINDS = {
  instance: {
    api: { create: 'CreateDBSnapshot', describe: 'DescribeDBSnapshots', delete: 'DeleteDBSnapshot' },
    fields: { snapshotIdentifier: 'DBSnapshotIdentifier', targetIdentifier: 'DBInstanceIdentifier', snapshot: 'DBSnapshot', snapshots: 'DBSnapshots' },
    faults: {
      snapshotAlreadyExists: 'DBSnapshotAlreadyExistsFault',
      snapshotNotFound: 'DBSnapshotNotFoundFault',
      targetNotFound: 'DBInstanceNotFoundFault',
      targetBusy: 'InvalidDBInstanceStateFault',
    },
    iam: { snapshotResource: 'snapshot', targetResource: 'db' },
  },
  cluster: {
    api: { create: 'CreateDBClusterSnapshot', describe: 'DescribeDBClusterSnapshots', delete: 'DeleteDBClusterSnapshot' },
    fields: { snapshotIdentifier: 'DBClusterSnapshotIdentifier', targetIdentifier: 'DBClusterIdentifier', snapshot: 'DBClusterSnapshot', snapshots: 'DBClusterSnapshots' },
    faults: {
      snapshotAlreadyExists: 'DBClusterSnapshotAlreadyExistsFault',
      snapshotNotFound: 'DBClusterSnapshotNotFoundFault',
      targetNotFound: 'DBClusterNotFoundFault',
      targetBusy: 'InvalidDBClusterStateFault',
    },
    iam: { snapshotResource: 'cluster-snapshot', targetResource: 'cluster' },
  },
} as const satisfies Record<TargetType, RdsKind>;

/** Every RDS API the workflow calls, of either kind. */
export type RdsApiName = (typeof RDS_KINDS)[TargetType]['api'][keyof RdsKind['api']];
/** Every RDS exception the workflow names, of either kind. */
export type RdsFaultName = (typeof RDS_KINDS)[TargetType]['faults'][keyof RdsKind['faults']];

/** The condition key that matches a tag on this kind's snapshots, for a tag-gated IAM statement. */
export const snapshotTagConditionKey = (type: TargetType, tagKey: string) => `rds:${RDS_KINDS[type].iam.snapshotResource}-tag/${tagKey}`;
