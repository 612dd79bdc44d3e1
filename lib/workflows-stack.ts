import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Aspects, LocalBackend, S3Backend, TerraformOutput, TerraformStack, type TerraformElement } from 'cdktf';
import type { Construct, IConstruct, Node } from 'constructs';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
// Not re-exported by cdktf's index; the hook TerraformAsset writes its files with.
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import { Arns } from './core/arns';
import { FailureAlerts } from './core/failure-alerts';
import { STACK_CONSTRUCT_IDS } from './core/names';
import { StackKey } from './core/stack-key';
import type { WorkflowsConfig } from './config/settings';
import { StackWorkflows } from './core/stack-workflows';
import { WORKFLOW_KINDS } from './kinds';
import { outputLabel, workflowOutputs } from './core/workflow-outputs';
import { manifestText, WORKFLOWS_MANIFEST_FILE } from './core/workflow-manifest';

export interface WorkflowsStackProps {
  readonly config: WorkflowsConfig;
  /** The cdktf.json environment the stack deploys, if any: the workflows manifest records it, so tools choose a synthesized stack by environment. */
  readonly environment?: string;
}

/**
 * The AWS provider, the partition/region/account lookups every ARN is built from, the configured
 * workflows of every kind, and — covering those and any added in code — the failure alerts and
 * each workflow's outputs.
 */
export class WorkflowsStack extends TerraformStack {
  /** Every workflow of the stack; add your own with `new ContinueAsNew(stack, '<id>', {...})`, `new LongRunningTask(...)` or `new RdsSnapshot(...)`. */
  readonly workflows: StackWorkflows;
  private covered = false;

  constructor(scope: Construct, id: string, props: WorkflowsStackProps) {
    super(scope, id);
    const { config } = props;
    this.configureBackend(id, config);
    const hasTags = Object.keys(config.tags).length > 0;
    StackKey.use(this, config.kmsKeyArn);
    new AwsProvider(this, STACK_CONSTRUCT_IDS.provider, { region: config.region, defaultTags: hasTags ? [{ tags: { ...config.tags } }] : undefined });
    this.workflows = new StackWorkflows(this, {
      arns: new Arns(
        new DataAwsPartition(this, STACK_CONSTRUCT_IDS.partition).partition,
        new DataAwsRegion(this, STACK_CONSTRUCT_IDS.region).name,
        new DataAwsCallerIdentity(this, STACK_CONSTRUCT_IDS.account).accountId,
      ),
      logging: {
        logRetentionDays: config.logRetentionDays,
        logLevel: config.stateMachineLogLevel,
        logExecutionData: config.logExecutionData,
        xrayTracing: config.xrayTracing,
      },
      namePrefix: config.namePrefix,
    });
    for (const kind of WORKFLOW_KINDS) kind.fromConfig(this, config);
    this.alertEmail = config.alertEmail;
    // Workflows added in code after this constructor are covered too: alerts and outputs are made at synth.
    Aspects.of(this).add({ visit: (node: IConstruct) => node === this && this.coverWorkflows() });
    // Beside cdk.tf.json, so tools (simulate --from, execute) learn each workflow from what was synthesized, not from the app.
    addCustomSynthesis(this, {
      onSynthesize: (session) => {
        const stackDir = path.join(session.outdir, path.dirname(session.manifest.forStack(this).synthesizedStackPath));
        const manifest = { stackId: id, environment: props.environment, workflows: this.workflows.manifestEntries };
        writeFileSync(path.join(stackDir, WORKFLOWS_MANIFEST_FILE), manifestText(manifest));
      },
    });
  }

  private readonly alertEmail?: string;

  /** The alert rules over every workflow's state machine, and each workflow's outputs. */
  private coverWorkflows(): void {
    if (this.covered) return;
    this.covered = true;
    this.workflows.refuseEscalation(this);
    const workflows = this.workflows.all;
    if (workflows.length === 0) return;
    const alerts = new FailureAlerts(this, STACK_CONSTRUCT_IDS.alerts, {
      name: `${this.workflows.namePrefix}-workflow-failures`,
      arns: this.workflows.arns,
      stateMachineNames: workflows.map((workflow) => workflow.stateMachine.stateMachineName),
      email: this.alertEmail,
    });
    for (const workflow of workflows) {
      const { stateMachineArn, exampleInput } = workflowOutputs(workflow.workflowId);
      const label = outputLabel(workflow.workflowId);
      new TerraformOutput(this, stateMachineArn, { value: workflow.stateMachine.resource.arn, description: `ARN of the ${label} state machine` });
      new TerraformOutput(this, exampleInput, { value: JSON.stringify(workflow.exampleInput), description: `Input to start the ${label} state machine with` });
    }
    new TerraformOutput(this, 'alert_topic_arn', { value: alerts.topic.arn, description: 'SNS topic announcing failed, timed-out and aborted executions' });
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
