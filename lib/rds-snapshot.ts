import * as path from 'node:path';
import { Construct } from 'constructs';
import { AslStateMachine, type WorkflowLogging } from './asl-state-machine';
import { pollSchedule } from './config';
import { DEFINITION_FILES } from './definitions';
import type { WorkflowsConfig } from './settings';
import { Arns } from './arns';
import { NodejsFunction } from './nodejs-function';
import { LAMBDAS_DIR } from './paths';

export interface RdsSnapshotProps {
  readonly config: WorkflowsConfig;
  readonly arns: Arns;
  readonly logging: WorkflowLogging;
}

/**
 * The polling workflow: a function starts a snapshot of the configured DB instance, another
 * describes it until it is available, fails, or outlasts the maximum wait. Each may touch only
 * that instance and its own snapshots.
 */
export class RdsSnapshot extends Construct {
  readonly stateMachine: AslStateMachine;
  readonly exampleInput: Record<string, never> = {};

  constructor(scope: Construct, id: string, props: RdsSnapshotProps) {
    super(scope, id);
    const { config, arns, logging } = props;
    const shared = { arns, logRetentionDays: logging.logRetentionDays };
    const instance = config.dbInstanceIdentifier;
    const environment = { DB_INSTANCE_IDENTIFIER: instance };
    // Snapshot identifiers start with the instance identifier and a hyphen (see create-snapshot).
    const ownSnapshots = arns.rdsSnapshots(`${instance}-`);

    const create = new NodejsFunction(this, 'create-snapshot', {
      ...shared,
      functionName: `${config.namePrefix}-create-snapshot`,
      entry: path.join(LAMBDAS_DIR, 'create-snapshot.ts'),
      environment,
      statements: [
        {
          Sid: 'SnapshotConfiguredInstance',
          Effect: 'Allow',
          Action: ['rds:CreateDBSnapshot'],
          Resource: [arns.rdsInstance(instance), ownSnapshots],
        },
      ],
    });
    const describe = new NodejsFunction(this, 'describe-snapshot', {
      ...shared,
      functionName: `${config.namePrefix}-describe-snapshot`,
      entry: path.join(LAMBDAS_DIR, 'describe-snapshot.ts'),
      environment,
      statements: [
        { Sid: 'DescribeOwnSnapshots', Effect: 'Allow', Action: ['rds:DescribeDBSnapshots'], Resource: [ownSnapshots] },
      ],
    });

    const schedule = pollSchedule(config);
    this.stateMachine = new AslStateMachine(this, 'workflow', {
      arns,
      logging,
      stateMachineName: `${config.namePrefix}-rds-snapshot`,
      definitionFiles: DEFINITION_FILES.rdsSnapshot(),
      values: {
        CreateSnapshotFunctionName: create.functionName,
        DescribeSnapshotFunctionName: describe.functionName,
        CreateSnapshotTaskTimeoutSeconds: create.taskTimeoutSeconds,
        DescribeSnapshotTaskTimeoutSeconds: describe.taskTimeoutSeconds,
        PollIntervalSeconds: schedule.firstIntervalSeconds,
        MaxPollIntervalSeconds: schedule.maxIntervalSeconds,
        MaxWaitSeconds: schedule.maxWaitSeconds,
        // A backstop past the polling bound: one more capped wait plus an hour for retries.
        ExecutionTimeoutSeconds: schedule.maxWaitSeconds + schedule.maxIntervalSeconds + 3600,
      },
      invokes: [create, describe],
    });
  }
}
