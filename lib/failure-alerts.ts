import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Arns } from './arns';

export interface FailureAlertsProps {
  /** Names the topic and the rule. */
  readonly name: string;
  /** The state machines whose failed, timed-out or aborted executions are announced. */
  readonly stateMachineArns: readonly string[];
  readonly arns: Arns;
  /** Subscribed to the topic; AWS mails the address a confirmation link first. @default no subscription */
  readonly email?: string;
}

/** The execution statuses that raise an alert. */
export const ALERT_STATUSES = ['FAILED', 'TIMED_OUT', 'ABORTED'] as const;

/**
 * Every failed, timed-out or aborted execution of the given state machines notifies an SNS topic
 * through an EventBridge rule on Step Functions' execution status changes; the message names the
 * machine, the execution, its status and the error and cause Step Functions reports.
 */
export class FailureAlerts extends Construct {
  readonly topic: SnsTopic;
  /** The rule's pattern and the message it builds, as deployed (read by the local proofs too). */
  readonly eventPattern: object;
  readonly inputTransformer: { readonly inputPaths: Readonly<Record<string, string>>; readonly inputTemplate: string };

  constructor(scope: Construct, id: string, props: FailureAlertsProps) {
    super(scope, id);
    const { arns } = props;
    this.eventPattern = {
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: { status: [...ALERT_STATUSES], stateMachineArn: [...props.stateMachineArns] },
    };
    this.inputTransformer = {
      inputPaths: {
        machine: '$.detail.stateMachineArn',
        execution: '$.detail.executionArn',
        status: '$.detail.status',
        error: '$.detail.error',
        cause: '$.detail.cause',
      },
      inputTemplate: '"Step Functions execution <execution> of <machine> ended <status>. Error: <error>. Cause: <cause>"',
    };

    this.topic = new SnsTopic(this, 'topic', { name: props.name });
    const rule = new CloudwatchEventRule(this, 'rule', {
      name: props.name,
      description: 'Failed, timed-out and aborted executions of the long-running workflows',
      eventPattern: JSON.stringify(this.eventPattern),
    });
    new SnsTopicPolicy(this, 'policy', {
      arn: this.topic.arn,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'PublishFromOwnRule',
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: arns.snsTopic(props.name),
            Condition: { ArnEquals: { 'aws:SourceArn': arns.eventRule(props.name) } },
          },
        ],
      }),
    });
    new CloudwatchEventTarget(this, 'target', { rule: rule.name, arn: this.topic.arn, inputTransformer: { ...this.inputTransformer, inputPaths: { ...this.inputTransformer.inputPaths } } });
    if (props.email) new SnsTopicSubscription(this, 'email', { topicArn: this.topic.arn, protocol: 'email', endpoint: props.email });
  }
}
