import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { Arns } from './arns';
import type { PolicyStatement } from './iam';
import { bundleHandler } from './lambda-bundle';
import { requireResourceName } from './names';
import { ServiceRole } from './service-role';

export interface NodejsFunctionProps {
  /** The deployed function name; also names its role and log group. */
  readonly functionName: string;
  /** Path of the TypeScript handler module; it must export `handler`. */
  readonly entry: string;
  readonly arns: Arns;
  readonly logRetentionDays: number;
  /** What the function may call besides writing its own logs. @default none */
  readonly statements?: readonly PolicyStatement[];
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
  readonly resource: LambdaFunction;

  constructor(scope: Construct, id: string, props: NodejsFunctionProps) {
    super(scope, id);
    requireResourceName('functionName', props.functionName, 64);
    this.functionName = props.functionName;
    this.functionArn = props.arns.lambdaFunction(props.functionName);

    const logGroupName = `/aws/lambda/${props.functionName}`;
    const logGroup = new CloudwatchLogGroup(this, 'logs', { name: logGroupName, retentionInDays: props.logRetentionDays });
    const { role } = new ServiceRole(this, 'execution', {
      roleName: `${props.functionName}-fn`,
      service: 'lambda.amazonaws.com',
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

    const bundle = bundleHandler(props.entry);
    const handlerName = path.basename(props.entry, path.extname(props.entry));
    const staged = path.resolve(App.of(this).outdir, 'bundles', bundle.sha256Hex, `${handlerName}.zip`);
    mkdirSync(path.dirname(staged), { recursive: true });
    writeFileSync(staged, bundle.zip);
    const asset = new TerraformAsset(this, 'code', { path: staged, type: AssetType.FILE, assetHash: bundle.sha256Hex });

    this.resource = new LambdaFunction(this, 'function', {
      functionName: props.functionName,
      role: role.arn,
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      filename: asset.path,
      sourceCodeHash: bundle.sha256Base64,
      timeout: props.timeoutSeconds ?? 30,
      memorySize: props.memorySize ?? 256,
      environment: props.environment ? { variables: { ...props.environment } } : undefined,
      dependsOn: [logGroup],
    });
  }
}
