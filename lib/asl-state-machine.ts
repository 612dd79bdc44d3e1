import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { Arns } from './arns';
import type { LogLevel } from './settings';
import type { PolicyStatement } from './iam';
import { requireResourceName } from './names';
import type { NodejsFunction } from './nodejs-function';
import { ASL_DIR } from './paths';
import { renderAsl, type AslValues } from './render-asl';
import { ServiceRole } from './service-role';

export interface AslStateMachineProps {
  readonly stateMachineName: string;
  /** File name under `asl/`. */
  readonly definitionFile: string;
  /** Placeholder values besides Partition, Region and AccountId, which are always filled. */
  readonly values: AslValues;
  /** The functions the definition's Tasks call: the role may invoke exactly these. */
  readonly invokes: readonly NodejsFunction[];
  readonly arns: Arns;
  readonly logRetentionDays: number;
  readonly logLevel: LogLevel;
  readonly logExecutionData: boolean;
  readonly xrayTracing: boolean;
}

/**
 * Statements AWS only accepts on `Resource: "*"`: CloudWatch Logs delivery for vended logs and
 * X-Ray segment upload have no resource-level permissions.
 */
const LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];
const XRAY_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'];

/** A STANDARD state machine rendered from an ASL file, with its own role and log group. */
export class AslStateMachine extends Construct {
  readonly stateMachineArn: string;
  readonly definition: string;
  readonly resource: SfnStateMachine;

  constructor(scope: Construct, id: string, props: AslStateMachineProps) {
    super(scope, id);
    requireResourceName('stateMachineName', props.stateMachineName, 80);
    const { arns } = props;
    this.stateMachineArn = arns.stateMachine(props.stateMachineName);
    this.definition = renderAsl(props.definitionFile, readFileSync(path.join(ASL_DIR, props.definitionFile), 'utf8'), {
      Partition: arns.partition,
      Region: arns.region,
      AccountId: arns.accountId,
      ...props.values,
    });

    const logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/vendedlogs/states/${props.stateMachineName}`,
      retentionInDays: props.logRetentionDays,
    });
    const statements: PolicyStatement[] = [
      {
        Sid: 'InvokeOwnFunctions',
        Effect: 'Allow',
        Action: ['lambda:InvokeFunction'],
        Resource: props.invokes.map((fn) => fn.functionArn),
      },
      { Sid: 'DeliverLogsAwsRequiresStar', Effect: 'Allow', Action: LOG_DELIVERY_ACTIONS, Resource: ['*'] },
      ...(props.xrayTracing
        ? [{ Sid: 'TraceAwsRequiresStar', Effect: 'Allow' as const, Action: XRAY_ACTIONS, Resource: ['*'] }]
        : []),
    ];
    const { role, policy } = new ServiceRole(this, 'execution', {
      roleName: `${props.stateMachineName}-sfn`,
      service: 'states.amazonaws.com',
      source: { accountId: arns.accountId, sourceArn: this.stateMachineArn },
      statements,
    });

    this.resource = new SfnStateMachine(this, 'state-machine', {
      name: props.stateMachineName,
      type: 'STANDARD',
      roleArn: role.arn,
      definition: this.definition,
      loggingConfiguration: {
        logDestination: `${logGroup.arn}:*`,
        level: props.logLevel,
        includeExecutionData: props.logExecutionData,
      },
      tracingConfiguration: { enabled: props.xrayTracing },
      // The definition names its functions by ARN, which Terraform cannot see as a dependency.
      dependsOn: [policy, ...props.invokes.map((fn) => fn.resource)],
    });
  }
}
