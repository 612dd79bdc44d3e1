import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Arns } from './arns';
import { StackKey } from './stack-key';
import { ValidationError } from './validation-error';

export interface FailureAlertsProps {
  /** Names the topic and the rules (the second and later with `-2`, `-3`, ...). */
  readonly name: string;
  /** The state machines whose failed, timed-out or aborted executions are announced, by name. */
  readonly stateMachineNames: readonly string[];
  readonly arns: Arns;
  /** Subscribed to the topic; AWS mails the address a confirmation link first. @default no subscription */
  readonly email?: string;
}

/** The execution statuses that raise an alert. */
export const ALERT_STATUSES = ['FAILED', 'TIMED_OUT', 'ABORTED'] as const;

/** EventBridge's default quota on an event pattern's size, in characters. */
export const EVENT_PATTERN_MAX_CHARACTERS = 2048;
/**
 * The longest a partition, region and account can render to in an ARN (`aws-iso-b`,
 * `ap-southeast-7`, twelve digits): at synth they are still references, so a pattern's size is
 * judged as if each were this long.
 */
const LONGEST_RENDERED = { partition: 'aws-iso-b', region: 'ap-southeast-7', accountId: '123456789012' };

/** A pattern for the given state machines, with the ARNs as `arns` builds them. */
const patternOf = (stateMachineArns: readonly string[]) => ({
  source: ['aws.states'],
  'detail-type': ['Step Functions Execution Status Change'],
  detail: { status: [...ALERT_STATUSES], stateMachineArn: [...stateMachineArns] },
});

/**
 * The state machines split into as few groups as keep each group's pattern, rendered at its
 * longest, within EventBridge's quota: one rule for a few dozen workflows, more after that.
 */
function patternGroups(stateMachineNames: readonly string[], arns: Arns): string[][] {
  const longest = new Arns(LONGEST_RENDERED.partition, LONGEST_RENDERED.region, LONGEST_RENDERED.accountId);
  const size = (names: readonly string[]) => JSON.stringify(patternOf(names.map((name) => longest.stateMachine(name)))).length;
  const groups: string[][] = [];
  for (const name of stateMachineNames) {
    const last = groups.at(-1);
    if (last && size([...last, name]) <= EVENT_PATTERN_MAX_CHARACTERS) last.push(name);
    else groups.push([name]);
  }
  return groups.map((names) => names.map((name) => arns.stateMachine(name)));
}

/**
 * Every failed, timed-out or aborted execution of the given state machines notifies an SNS topic
 * through EventBridge rules on Step Functions' execution status changes; the message names the
 * machine, the execution, its status, the error and cause Step Functions reports (the handlers
 * write causes with the shape of a value, never the value) and the execution's console link —
 * never the execution's input or output, which the event carries too. The rules
 * name each state machine exactly; past what one pattern may hold, a second rule (`-2`) takes
 * the rest, and so on.
 */
export class FailureAlerts extends Construct {
  readonly topic: SnsTopic;
  /** The message each rule builds, as deployed (read by the local proofs too). */
  readonly inputTransformer: { readonly inputPaths: Readonly<Record<string, string>>; readonly inputTemplate: string };

  constructor(scope: Construct, id: string, props: FailureAlertsProps) {
    super(scope, id);
    const { arns } = props;
    if (props.stateMachineNames.length === 0) throw new ValidationError(this, 'stateMachineNames must name at least one state machine to watch');
    this.inputTransformer = {
      inputPaths: {
        machine: '$.detail.stateMachineArn',
        execution: '$.detail.executionArn',
        status: '$.detail.status',
        error: '$.detail.error',
        cause: '$.detail.cause',
        region: '$.region',
      },
      inputTemplate:
        '"Step Functions execution <execution> of <machine> ended <status>. Error: <error>. Cause: <cause>. ' +
        'Console: https://<region>.console.aws.amazon.com/states/home?region=<region>#/v2/executions/details/<execution>"',
    };

    // Under the stack's key, whose policy must let EventBridge publish (README: Your own KMS key).
    this.topic = new SnsTopic(this, 'topic', { name: props.name, kmsMasterKeyId: StackKey.of(this) });
    const ruleNames = patternGroups(props.stateMachineNames, arns).map((group, i) => {
      const suffix = i === 0 ? '' : `-${i + 1}`;
      const rule = new CloudwatchEventRule(this, `rule${suffix.replace('-', '_')}`, {
        name: `${props.name}${suffix}`,
        description: 'Failed, timed-out and aborted executions of the long-running workflows',
        eventPattern: JSON.stringify(patternOf(group)),
      });
      new CloudwatchEventTarget(this, `target${suffix.replace('-', '_')}`, {
        rule: rule.name,
        arn: this.topic.arn,
        inputTransformer: { ...this.inputTransformer, inputPaths: { ...this.inputTransformer.inputPaths } },
      });
      return `${props.name}${suffix}`;
    });
    const sourceArns = ruleNames.map((name) => arns.eventRule(name));
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
            Condition: { ArnEquals: { 'aws:SourceArn': sourceArns.length === 1 ? sourceArns[0] : sourceArns } },
          },
        ],
      }),
    });
    if (props.email) new SnsTopicSubscription(this, 'email', { topicArn: this.topic.arn, protocol: 'email', endpoint: props.email });
  }
}
