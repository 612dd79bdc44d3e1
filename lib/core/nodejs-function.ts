import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { Arns } from './arns';
import type { PolicyStatement } from './iam';
import { bundleHandler, BundleError, type HandlerWrapper } from './lambda-bundle';
import { requireResourceName } from './names';
import { ServiceRole } from './service-role';
import { StackKey } from './stack-key';
import { ValidationError } from './validation-error';
import { LAMBDA_MEMORY_MB, LAMBDA_TIMEOUT_SECONDS } from './lambda-limits';
import { CODE_VERSION_DIGITS, CODE_VERSION_VARIABLE } from '../../lambdas/shared/code-version';

/** How much longer than its function a Task waits: Lambda's own timeout reports first, the Task's is a backstop. */
export const TASK_TIMEOUT_MARGIN_SECONDS = 15;

export interface NodejsFunctionProps {
  /** The deployed function name; also names its role and log group. */
  readonly functionName: string;
  /** Path of the TypeScript handler module; it must export `handler`. */
  readonly entry: string;
  /** Deploy `<wrapper>(handler)` instead of the entry's handler itself. @default the handler itself */
  readonly wrapper?: HandlerWrapper;
  readonly arns: Arns;
  readonly logRetentionDays: number;
  /** What the function may call besides writing its own logs, as this project's code grants it. @default none */
  readonly statements?: readonly PolicyStatement[];
  /**
   * What the user lets it call (a job's `workPolicyStatements`, a task's `policyStatements`): held,
   * like every `addToRolePolicy`, to the statement rules (lib/core/statement-rules.ts) at synth. @default none
   */
  readonly addedStatements?: readonly PolicyStatement[];
  /** @default no variables */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default 30 */
  readonly timeoutSeconds?: number;
  /** @default 256 */
  readonly memorySize?: number;
}

/** One Lambda function: bundled handler, its own role, its own log group with retention. */
export class NodejsFunction extends Construct {
  /** Built from the name, so it is known at plan time and creates no dependency cycle. */
  readonly functionArn: string;
  readonly functionName: string;
  /** The TimeoutSeconds a Task calling this function gets. */
  readonly taskTimeoutSeconds: number;
  readonly resource: LambdaFunction;
  private readonly role: ServiceRole;
  private readonly added: PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: NodejsFunctionProps) {
    super(scope, id);
    requireResourceName(this, 'functionName', props.functionName, 64);
    const timeoutSeconds = props.timeoutSeconds ?? 30;
    const memorySize = props.memorySize ?? 256;
    const { min: shortest, max: longest } = LAMBDA_TIMEOUT_SECONDS;
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < shortest || timeoutSeconds > longest) {
      throw new ValidationError(this, `timeoutSeconds ${timeoutSeconds} must be a whole number from ${shortest} to ${longest} (Lambda's limit)`);
    }
    const { min: least, max: most } = LAMBDA_MEMORY_MB;
    if (!Number.isInteger(memorySize) || memorySize < least || memorySize > most) {
      throw new ValidationError(this, `memorySize ${memorySize} must be a whole number of MB from ${least} to ${most} (Lambda's limits)`);
    }
    this.functionName = props.functionName;
    this.functionArn = props.arns.lambdaFunction(props.functionName);
    this.taskTimeoutSeconds = timeoutSeconds + TASK_TIMEOUT_MARGIN_SECONDS;

    let bundle;
    try {
      bundle = bundleHandler(props.entry, props.wrapper);
    } catch (error) {
      if (error instanceof BundleError) throw new ValidationError(this, error.message);
      throw error;
    }

    const logGroupName = `/aws/lambda/${props.functionName}`;
    const kmsKeyArn = StackKey.of(this);
    const logGroup = new CloudwatchLogGroup(this, 'logs', { name: logGroupName, retentionInDays: props.logRetentionDays, kmsKeyId: kmsKeyArn });
    this.role = new ServiceRole(this, 'execution', {
      roleName: `${props.functionName}-fn`,
      service: 'lambda.amazonaws.com',
      // Lambda's own docs scope aws:SourceArn to calls that target a function, not to the execution
      // role it assumes: the account is the condition it supports here (README: Trust).
      source: { accountId: props.arns.accountId },
      statements: [
        {
          Sid: 'WriteOwnLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: [props.arns.logStreams(logGroupName)],
        },
        ...(props.statements ?? []),
      ],
    });
    for (const statement of props.addedStatements ?? []) this.addToRolePolicy(statement);

    const handlerName = path.basename(props.entry, path.extname(props.entry));
    const staged = path.resolve(App.of(this).outdir, 'bundles', bundle.sha256Hex, `${handlerName}.zip`);
    mkdirSync(path.dirname(staged), { recursive: true });
    writeFileSync(staged, bundle.zip);
    const asset = new TerraformAsset(this, 'code', { path: staged, type: AssetType.FILE, assetHash: bundle.sha256Hex });

    this.resource = new LambdaFunction(this, 'function', {
      functionName: props.functionName,
      role: this.role.role.arn,
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      filename: asset.path,
      sourceCodeHash: bundle.sha256Base64,
      timeout: timeoutSeconds,
      memorySize,
      // Every call can name the code it ran (a running execution calls whatever was deployed last); the handler's own variables beside it.
      environment: { variables: { ...props.environment, [CODE_VERSION_VARIABLE]: bundle.sha256Hex.slice(0, CODE_VERSION_DIGITS) } },
      kmsKeyArn,
      dependsOn: [logGroup],
    });
  }

  /** Lets the function call more: the statement joins its role's policy, held to the statement rules at synth. */
  addToRolePolicy(statement: PolicyStatement): void {
    this.role.addToPolicy(statement);
    this.added.push(statement);
  }

  /** The statements the user added, which the stack holds to the statement rules at synth. */
  get addedStatements(): readonly PolicyStatement[] {
    return this.added;
  }
}
