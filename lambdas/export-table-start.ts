import { DynamoDBClient, ExportTableToPointInTimeCommand } from '@aws-sdk/client-dynamodb';
import { createHash } from 'node:crypto';
import { CLIENT_CONFIG } from './shared/aws-clients';
import { DeploymentError } from './shared/errors';
import type { TaskStartHandler } from './shared/task-contract';

/**
 * The example long-running task, start half: a DynamoDB table export to S3 (a job with no Step
 * Functions `.sync` integration). `export-table-check.ts` polls it.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport_Requesting.html
 */

/** What start hands check: the export to describe. */
export interface ExportHandle {
  readonly exportArn: string;
}

/** What the function's environment says to export, and where to. */
export interface ExportTarget {
  readonly tableArn: string;
  readonly bucket: string;
  /** @default none: the export lands at the bucket's root, under `AWSDynamoDB/` */
  readonly prefix?: string;
}

/**
 * The variables start reads (set through the task's `environment` setting), each with its rule.
 * The rules are the API's own, so a value DynamoDB would refuse fails at the first call as a
 * deployment error instead of as a ValidationException.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExportTableToPointInTime.html
 */
export const EXPORT_TABLE_VARIABLES = {
  tableArn: {
    name: 'EXPORT_TABLE_ARN',
    rule: 'a DynamoDB table ARN, arn:<partition>:dynamodb:<region>:<account>:table/<name>',
    // Table names: 3 to 255 of A-Z a-z 0-9 _ - . (DynamoDB's naming rules).
    valid: (value: string) => /^arn:aws(?:-[a-z]+)*:dynamodb:[a-z]+(?:-[a-z]+)+-\d+:\d{12}:table\/[A-Za-z0-9_.-]{3,255}$/.test(value),
  },
  bucket: {
    name: 'EXPORT_BUCKET',
    rule: 'an S3 bucket name (at most 255 letters, digits, ".", "-" or "_", starting and ending with a letter or digit)',
    valid: (value: string) => value.length <= 255 && /^[a-z0-9A-Z]+[.\-\w]*[a-z0-9A-Z]+$/.test(value),
  },
  prefix: {
    name: 'EXPORT_PREFIX',
    rule: 'an S3 key prefix of at most 1024 characters, or unset for none',
    valid: (value: string) => value.length <= 1024,
  },
} as const;

/**
 * The export target from the environment. A missing or malformed variable is a DeploymentError
 * naming each such variable and its rule; an empty EXPORT_PREFIX means no prefix.
 */
export function readExportTarget(env: Readonly<Record<string, string | undefined>>): ExportTarget {
  const problems: string[] = [];
  const read = (key: keyof typeof EXPORT_TABLE_VARIABLES, required: boolean): string | undefined => {
    const { name, rule, valid } = EXPORT_TABLE_VARIABLES[key];
    const text = env[name];
    if (text === undefined || (text === '' && !required)) {
      if (required) problems.push(`environment variable ${name} must be ${rule}, but it is not set`);
      return undefined;
    }
    if (!valid(text)) problems.push(`environment variable ${name} must be ${rule}, got ${JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}...` : text)}`);
    return text;
  };
  const tableArn = read('tableArn', true);
  const bucket = read('bucket', true);
  const prefix = read('prefix', false);
  if (problems.length > 0 || tableArn === undefined || bucket === undefined) {
    throw new DeploymentError(`the function is deployed wrong: ${problems.join('; ')}`);
  }
  return prefix === undefined ? { tableArn, bucket } : { tableArn, bucket, prefix };
}

/**
 * The export's ClientToken: the execution name itself, so every run of start for one execution
 * sends the same token, and DynamoDB answers a repeat (same token, same parameters, within 8
 * hours) with the export the first run started instead of a second one. The API allows any
 * token without a "$" (pattern `^[^$]+$`, no length limit); Step Functions' names already
 * exclude "$", so the name passes as it is. A name that still breaks the pattern (empty, or from
 * a direct invocation) becomes `sha256:<hex of the name>` — stable per name, and never equal to a
 * real execution name, which cannot contain ":".
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExportTableToPointInTime.html#DDB-ExportTableToPointInTime-request-ClientToken
 */
export function clientTokenFor(executionName: string): string {
  return /^[^$]+$/.test(executionName) ? executionName : `sha256:${createHash('sha256').update(executionName).digest('hex')}`;
}

const dynamodb = new DynamoDBClient(CLIENT_CONFIG);

/**
 * Starts a full export of the configured table, as of now, in DynamoDB JSON. ExportTime is left
 * out on purpose: a repeat then sends the same parameters (a changed one under the same token is
 * DynamoDB's ExportConflictException), and "now" is always inside the point-in-time recovery
 * window. The execution input is not used: a schedule may start it with `{}`.
 */
export const handler: TaskStartHandler<unknown, ExportHandle> = async ({ execution }) => {
  const { tableArn, bucket, prefix } = readExportTarget(process.env);
  const { ExportDescription } = await dynamodb.send(
    new ExportTableToPointInTimeCommand({
      TableArn: tableArn,
      S3Bucket: bucket,
      ...(prefix === undefined ? {} : { S3Prefix: prefix }),
      ExportFormat: 'DYNAMODB_JSON',
      ClientToken: clientTokenFor(execution.name),
    }),
  );
  const exportArn = ExportDescription?.ExportArn;
  if (!exportArn) throw new Error(`ExportTableToPointInTime answered without an export ARN: ${JSON.stringify(ExportDescription)}`);
  return { task: { exportArn } };
};
