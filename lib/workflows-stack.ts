import { LocalBackend, S3Backend, TerraformOutput, TerraformStack, type TerraformElement } from 'cdktf';
import type { Construct, Node } from 'constructs';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import * as path from 'node:path';
import { Arns } from './arns';
import type { WorkflowLogging } from './asl-state-machine';
import { pollSchedule } from './config';
import { ContinueAsNew } from './continue-as-new';
import { FailureAlerts } from './failure-alerts';
import { PROJECT_DIR } from './paths';
import { RdsSnapshot } from './rds-snapshot';
import type { WorkflowsConfig } from './settings';

export interface WorkflowsStackProps {
  readonly config: WorkflowsConfig;
}

/** The AWS provider, the partition/region/account lookups every ARN is built from, both workflows and their outputs. */
export class WorkflowsStack extends TerraformStack {
  readonly continueAsNew: ContinueAsNew;
  readonly rdsSnapshot: RdsSnapshot;
  readonly alerts: FailureAlerts;

  constructor(scope: Construct, id: string, props: WorkflowsStackProps) {
    super(scope, id);
    const { config } = props;
    this.configureBackend(id, config);
    const hasTags = Object.keys(config.tags).length > 0;
    new AwsProvider(this, 'aws', { region: config.region, defaultTags: hasTags ? [{ tags: { ...config.tags } }] : undefined });
    const arns = new Arns(
      new DataAwsPartition(this, 'partition').partition,
      new DataAwsRegion(this, 'region').name,
      new DataAwsCallerIdentity(this, 'account').accountId,
    );

    const logging: WorkflowLogging = {
      logRetentionDays: config.logRetentionDays,
      logLevel: config.stateMachineLogLevel,
      logExecutionData: config.logExecutionData,
      xrayTracing: config.xrayTracing,
    };

    this.continueAsNew = new ContinueAsNew(this, 'continue-as-new', {
      name: `${config.namePrefix}-continue-as-new`,
      arns,
      logging,
      workEntry: path.join(PROJECT_DIR, config.workEntry),
      workTimeoutSeconds: config.workTimeoutSeconds,
      workMemoryMb: config.workMemoryMb,
      workStatements: config.workPolicyStatements,
      iterationsPerExecution: config.iterationsPerExecution,
      maxGenerations: config.maxGenerations,
      restartWith: config.restartWith,
    });
    this.rdsSnapshot = new RdsSnapshot(this, 'rds-snapshot', {
      name: `${config.namePrefix}-rds-snapshot`,
      arns,
      logging,
      targets: config.snapshotTargets,
      retention: { keepLast: config.snapshotKeepLast, maxAgeDays: config.snapshotMaxAgeDays },
      snapshotTags: config.tags,
      polling: pollSchedule(config),
    });
    this.alerts = new FailureAlerts(this, 'alerts', {
      name: `${config.namePrefix}-workflow-failures`,
      arns,
      stateMachineArns: [this.continueAsNew.stateMachine.stateMachineArn, this.rdsSnapshot.stateMachine.stateMachineArn],
      email: config.alertEmail,
    });

    for (const [name, workflow] of [
      ['continue_as_new', this.continueAsNew],
      ['rds_snapshot', this.rdsSnapshot],
    ] as const) {
      new TerraformOutput(this, `${name}_state_machine_arn`, {
        value: workflow.stateMachine.resource.arn,
        description: `ARN of the ${name} state machine`,
      });
      new TerraformOutput(this, `${name}_example_input`, {
        value: JSON.stringify(workflow.exampleInput),
        description: `Input to start the ${name} state machine with`,
      });
    }
    new TerraformOutput(this, 'alert_topic_arn', { value: this.alerts.topic.arn, description: 'SNS topic announcing failed, timed-out and aborted executions' });
  }

  private configureBackend(id: string, config: WorkflowsConfig): void {
    if (config.stateBucket) {
      const backend = new S3Backend(this, {
        bucket: config.stateBucket,
        key: `${config.stateKeyPrefix}/${id}.tfstate`,
        region: config.stateRegion ?? config.region,
        encrypt: true,
      });
      // S3-native locking (Terraform >= 1.10); cdktf 0.21 predates the option, hence the override.
      backend.addOverride('use_lockfile', true);
      return;
    }
    // cdktf's default writes an absolute path; this one names the same file (at the project root,
    // three levels above cdktf.out/stacks/<stack>) and keeps cdk.tf.json the same on every machine.
    new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });
  }

  /**
   * Readable, stable addresses from the construct path (`aws_lambda_function.continue_as_new_iterator_function`)
   * instead of hashed ones, so a plan reads well and tests can name resources.
   */
  protected allocateLogicalId(element: TerraformElement | Node): string {
    const node = 'scopes' in element ? element : element.node;
    return node.scopes
      .slice(2)
      .map((scope) => scope.node.id)
      .join('_')
      .replace(/-/g, '_');
  }
}
