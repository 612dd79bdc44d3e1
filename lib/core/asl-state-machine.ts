import { isDeepStrictEqual } from 'node:util';
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { Arns } from './arns';
import { readTemplates, sharedValues } from './definitions';
import type { PolicyStatement } from './iam';
import { requireResourceName } from './names';
import type { NodejsFunction } from './nodejs-function';
import { AslTemplateError, renderAsl, type AslValues } from './render-asl';
import { RETRY_POLICIES } from './retry-policies';
import { ServiceRole } from './service-role';
import { StackKey } from './stack-key';
import type { LogLevel } from '../config/settings';
import { ValidationError } from './validation-error';

/** How a workflow's state machine and functions log and trace. */
export interface WorkflowLogging {
  readonly logRetentionDays: number;
  readonly logLevel: LogLevel;
  readonly logExecutionData: boolean;
  readonly xrayTracing: boolean;
}

export interface AslStateMachineProps {
  readonly stateMachineName: string;
  /** EXPRESS for short, high-volume work: billed per request and duration, no execution history kept. @default 'STANDARD' */
  readonly type?: 'STANDARD' | 'EXPRESS';
  /** Files under `asl/`: a base definition, then fragments whose states join it. */
  readonly definitionFiles: readonly string[];
  /** Placeholder values besides partition, region, account and the retry policies, which are always there. */
  readonly values: AslValues;
  /** The functions the definition's Tasks call: the role may invoke exactly these. */
  readonly invokes: readonly NodejsFunction[];
  /** What the definition's service integrations call besides functions. @default none */
  readonly statements?: readonly PolicyStatement[];
  readonly arns: Arns;
  readonly logging: WorkflowLogging;
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

type TaskState = { Type: string; Resource?: string; Retry?: unknown[]; TimeoutSeconds?: unknown };

export const isLambdaTask = (state: TaskState) =>
  state.Type === 'Task' && typeof state.Resource === 'string' && /:lambda:[^:]*:[^:]*:function:|:states:::lambda:invoke/.test(state.Resource);

/**
 * Refuses a Task that could hang or fail for good on a blip: every Task needs TimeoutSeconds,
 * and every Lambda Task the one Lambda retry policy — including Tasks a user adds.
 */
function checkTasks(scope: Construct, definition: { States: Record<string, TaskState> }): void {
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type !== 'Task') continue;
    if (state.TimeoutSeconds === undefined) throw new ValidationError(scope, `Task ${name} has no TimeoutSeconds: a hung call would hold it for a year`);
    if (isLambdaTask(state) && !(state.Retry ?? []).some((retrier) => isDeepStrictEqual(retrier, RETRY_POLICIES.LambdaRetry))) {
      throw new ValidationError(scope, `Lambda Task ${name} lacks the Lambda retry policy: add "\${LambdaRetry}" to its Retry`);
    }
  }
}

/** A state machine rendered from ASL files, with its own role and log group. */
export class AslStateMachine extends Construct {
  readonly stateMachineName: string;
  readonly stateMachineArn: string;
  readonly type: 'STANDARD' | 'EXPRESS';
  readonly definition: string;
  readonly resource: SfnStateMachine;

  constructor(scope: Construct, id: string, props: AslStateMachineProps) {
    super(scope, id);
    requireResourceName(this, 'stateMachineName', props.stateMachineName, 80);
    const { arns, logging } = props;
    this.stateMachineName = props.stateMachineName;
    this.stateMachineArn = arns.stateMachine(props.stateMachineName);
    this.type = props.type ?? 'STANDARD';
    try {
      this.definition = renderAsl(readTemplates(props.definitionFiles), props.values, sharedValues(arns));
    } catch (error) {
      if (error instanceof AslTemplateError) throw new ValidationError(this, error.message);
      throw error;
    }
    checkTasks(this, JSON.parse(this.definition));

    const kmsKeyArn = StackKey.of(this);
    const logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/vendedlogs/states/${props.stateMachineName}`,
      retentionInDays: logging.logRetentionDays,
      kmsKeyId: kmsKeyArn,
    });
    const statements: PolicyStatement[] = [
      ...(props.invokes.length > 0
        ? [{ Sid: 'InvokeOwnFunctions', Effect: 'Allow' as const, Action: ['lambda:InvokeFunction'], Resource: props.invokes.map((fn) => fn.functionArn) }]
        : []),
      ...(props.statements ?? []),
      { Sid: 'DeliverLogsAwsRequiresStar', Effect: 'Allow', Action: LOG_DELIVERY_ACTIONS, Resource: ['*'] },
      ...(logging.xrayTracing ? [{ Sid: 'TraceAwsRequiresStar', Effect: 'Allow' as const, Action: XRAY_ACTIONS, Resource: ['*'] }] : []),
    ];
    const { role, policy } = new ServiceRole(this, 'execution', {
      roleName: `${props.stateMachineName}-sfn`,
      service: 'states.amazonaws.com',
      source: { accountId: arns.accountId, sourceArn: this.stateMachineArn },
      statements,
    });

    this.resource = new SfnStateMachine(this, 'state-machine', {
      name: props.stateMachineName,
      type: this.type,
      roleArn: role.arn,
      definition: this.definition,
      loggingConfiguration: {
        logDestination: `${logGroup.arn}:*`,
        level: logging.logLevel,
        includeExecutionData: logging.logExecutionData,
      },
      tracingConfiguration: { enabled: logging.xrayTracing },
      // Its definition and execution data under the stack's key; data keys reused for Step Functions' default 5 minutes.
      encryptionConfiguration: kmsKeyArn ? { type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: kmsKeyArn, kmsDataKeyReusePeriodSeconds: 300 } : undefined,
      // The definition names its functions by ARN, which Terraform cannot see as a dependency.
      dependsOn: [policy, ...props.invokes.map((fn) => fn.resource)],
    });
  }
}
