import * as path from 'node:path';
import { Construct } from 'constructs';
import { APPLY_RETENTION_ENVIRONMENT, CREATE_SNAPSHOT_ENVIRONMENT, DESCRIBE_SNAPSHOT_ENVIRONMENT } from '../../../lambdas/shared/handler-environments';
import { RDS_KINDS, snapshotTagConditionKey, type RdsKind } from '../../../lambdas/rds-snapshot/rds-kinds';
import { ownSnapshotPrefix, TAG_KEYS, TARGET_TYPES, type TargetType } from '../../../lambdas/rds-snapshot/snapshot-naming';
import { AslStateMachine } from '../../core/asl-state-machine';
import type { PollSchedule } from '../../core/history-budget';
import type { PolicyStatement } from '../../core/iam';
import { NodejsFunction } from '../../core/nodejs-function';
import type { SnapshotTarget } from './settings';
import { LAMBDAS_DIR } from '../../core/paths';
import { pollingBackstopSeconds, pollingBudget, pollingValues, pollScheduleOf, pollScheduleProblems } from '../../core/polling';
import { KIND, rdsSnapshotHistory, SNAPSHOT_DEFAULTS, SNAPSHOT_DEFINITION_FILES, SNAPSHOT_POLLING_STEP, SNAPSHOT_SUCCESS_TAIL } from './defaults';
import { longestBackoffSeconds } from '../../core/retry-policies';
import { SNAPSHOT_RETRY_POLICIES } from './retry-policies';
import { OVERLAP_CHECK_EVENTS, overlapCheck } from '../../core/overlap';
import { ScheduledStarts, skipsOverlap } from '../../core/scheduled-starts';
import { StackWorkflows } from '../../core/stack-workflows';
import { ValidationError } from '../../core/validation-error';
import type { RdsSnapshotLocalRun } from './local-run';

export interface SnapshotRetention {
  /** Keep this workflow's newest this many snapshots of a target, the new one included (0: no count limit). */
  readonly keepLast: number;
  /** Delete this workflow's snapshots older than this (0: no age limit). */
  readonly maxAgeDays: number;
}

export interface RdsSnapshotProps {
  /** Names the state machine; its functions are `<name>-create`, `<name>-describe` and `<name>-retention`; tags each snapshot as made by it. @default `<namePrefix>-<id>` */
  readonly name?: string;
  /** The DB instances and Aurora clusters it may snapshot, by identifier, each with an optional schedule. */
  readonly targets: Readonly<Record<string, SnapshotTarget>>;
  /** @default keep the newest 7 of each target (SNAPSHOT_DEFAULTS) */
  readonly retention?: SnapshotRetention;
  /** Tags every snapshot gets beside the workflow's own. @default none */
  readonly snapshotTags?: Readonly<Record<string, string>>;
  /** @default a first wait of 60 s, doubling to 300 s, giving up after 12 hours */
  readonly polling?: PollSchedule;
}

const DEFAULT_POLLING: PollSchedule = pollScheduleOf(SNAPSHOT_DEFAULTS);

/**
 * The polling workflow: snapshots the DB instance or Aurora cluster an execution names, polls it
 * to the end, then deletes this workflow's snapshots of that target past the retention. IAM
 * names exactly the configured targets and this workflow's own snapshots (`<target>-sfn-*`);
 * deletion also needs the snapshot to carry this workflow's tag.
 */
export class RdsSnapshot extends Construct {
  readonly stateMachine: AslStateMachine;
  /** Starts the first configured target. */
  readonly exampleInput: { readonly target: string };
  readonly schedules?: ScheduledStarts;

  constructor(scope: Construct, id: string, props: RdsSnapshotProps) {
    super(scope, StackWorkflows.freeId(scope, id));
    const workflows = StackWorkflows.of(this);
    const { arns, logging } = workflows;
    const name = workflows.nameFor(id, props.name);
    const ids = Object.keys(props.targets);
    if (ids.length === 0) throw new ValidationError(this, 'targets must name at least one DB instance or cluster');
    const retention = props.retention ?? { keepLast: SNAPSHOT_DEFAULTS.keepLast, maxAgeDays: SNAPSHOT_DEFAULTS.maxAgeDays };
    const polling = props.polling ?? DEFAULT_POLLING;
    const [pollingProblem] = pollScheduleProblems(polling, SNAPSHOT_SUCCESS_TAIL);
    if (pollingProblem) throw new ValidationError(this, `polling ${JSON.stringify(polling)}: ${pollingProblem.problem}`);
    this.exampleInput = { target: ids[0] };

    const byKind = (type: TargetType) => ids.filter((target) => props.targets[target].type === type);
    const statements = (build: (type: TargetType, kind: RdsKind, targets: string[], snapshots: string[]) => PolicyStatement[]) =>
      TARGET_TYPES.flatMap((type) => {
        const kind = RDS_KINDS[type];
        const targets = byKind(type).map((target) => arns.rds(kind.iam.targetResource, target));
        return targets.length === 0 ? [] : build(type, kind, targets, byKind(type).map((target) => arns.rdsSnapshots(ownSnapshotPrefix(target), kind.iam.snapshotResource)));
      });
    const sid = (text: string, type: TargetType) => `${text}${type === 'instance' ? 'Instance' : 'Cluster'}Snapshots`;

    const snapshotTargets = Object.fromEntries(ids.map((target) => [target, props.targets[target].type]));
    const shared = { arns, logRetentionDays: logging.logRetentionDays };
    const create = new NodejsFunction(this, 'create', {
      ...shared,
      functionName: `${name}-create`,
      entry: path.join(LAMBDAS_DIR, KIND, 'create-snapshot.ts'),
      environment: CREATE_SNAPSHOT_ENVIRONMENT.write({ snapshotTargets, createdBy: name, snapshotTags: props.snapshotTags ?? {} }),
      statements: statements((type, kind, targets, snapshots) => [
        { Sid: sid('Create', type), Effect: 'Allow', Action: [`rds:${kind.api.create}`], Resource: [...targets, ...snapshots] },
        // Tags given to a create call need their own permission on the new snapshot.
        { Sid: sid('TagNew', type), Effect: 'Allow', Action: ['rds:AddTagsToResource'], Resource: snapshots },
        { Sid: sid('DescribeOwn', type), Effect: 'Allow', Action: [`rds:${kind.api.describe}`], Resource: snapshots },
      ]),
    });
    const describe = new NodejsFunction(this, 'describe', {
      ...shared,
      functionName: `${name}-describe`,
      entry: path.join(LAMBDAS_DIR, KIND, 'describe-snapshot.ts'),
      environment: DESCRIBE_SNAPSHOT_ENVIRONMENT.write({ snapshotTargets }),
      statements: statements((type, kind, _, snapshots) => [{ Sid: sid('DescribeOwn', type), Effect: 'Allow', Action: [`rds:${kind.api.describe}`], Resource: snapshots }]),
    });
    const retentionOn = retention.keepLast > 0 || retention.maxAgeDays > 0;
    const applyRetention = new NodejsFunction(this, 'retention', {
      ...shared,
      functionName: `${name}-retention`,
      entry: path.join(LAMBDAS_DIR, KIND, 'apply-retention.ts'),
      environment: APPLY_RETENTION_ENVIRONMENT.write({ snapshotTargets, createdBy: name, keepLast: retention.keepLast, maxAgeDays: retention.maxAgeDays }),
      statements: retentionOn
        ? statements((type, kind, targets, snapshots) => [
            { Sid: sid('ListTargets', type), Effect: 'Allow', Action: [`rds:${kind.api.describe}`], Resource: [...targets, ...snapshots] },
            {
              Sid: sid('DeleteTagged', type),
              Effect: 'Allow',
              Action: [`rds:${kind.api.delete}`],
              Resource: snapshots,
              Condition: { StringEquals: { [snapshotTagConditionKey(type, TAG_KEYS.createdBy)]: name } },
            },
          ])
        : [],
    });

    const scheduled = ids.filter((target) => props.targets[target].schedule);
    // Scheduled starts that skip while a run of their target still runs: the definition checks first.
    const overlap = skipsOverlap(scheduled.map((target) => props.targets[target].schedule!)) ? overlapCheck(name, 'CreateSnapshot', arns) : undefined;
    this.stateMachine = new AslStateMachine(this, 'workflow', {
      stateMachineName: name,
      definitionFiles: [...SNAPSHOT_DEFINITION_FILES, ...(overlap?.files ?? [])],
      statements: overlap?.statements,
      values: {
        ...overlap?.values,
        CreateSnapshotFunctionName: create.functionName,
        DescribeSnapshotFunctionName: describe.functionName,
        ApplyRetentionFunctionName: applyRetention.functionName,
        CreateSnapshotTaskTimeoutSeconds: create.taskTimeoutSeconds,
        DescribeSnapshotTaskTimeoutSeconds: describe.taskTimeoutSeconds,
        ApplyRetentionTaskTimeoutSeconds: applyRetention.taskTimeoutSeconds,
        ...pollingValues(polling, SNAPSHOT_POLLING_STEP, pollingBudget(SNAPSHOT_DEFINITION_FILES, SNAPSHOT_POLLING_STEP, SNAPSHOT_RETRY_POLICIES)),
        ...SNAPSHOT_RETRY_POLICIES,
        // A backstop past every bound: waiting on a busy target, then the polling's own.
        ExecutionTimeoutSeconds: longestBackoffSeconds(SNAPSHOT_RETRY_POLICIES.TargetBusyRetry) + pollingBackstopSeconds(polling),
      },
      invokes: [create, describe, applyRetention],
      arns,
      logging,
    });

    if (scheduled.length > 0) {
      this.schedules = new ScheduledStarts(this, 'schedules', {
        name,
        stateMachine: this.stateMachine,
        arns,
        schedules: scheduled.map((target) => ({ name: target, ...props.targets[target].schedule!, input: { target } })),
      });
    }
    workflows.register(this, {
      workflowId: id,
      kind: KIND,
      stateMachine: this.stateMachine,
      exampleInput: this.exampleInput,
      worstCaseHistoryEvents: rdsSnapshotHistory(polling).events + (overlap ? OVERLAP_CHECK_EVENTS : 0),
      manifest: {
        functions: { create: create.functionName, describe: describe.functionName, retention: applyRetention.functionName },
        localRun: { targets: snapshotTargets, createdBy: name } satisfies RdsSnapshotLocalRun,
      },
    });
  }
}
