import { ExportTableToPointInTimeCommand } from '@aws-sdk/client-dynamodb';
import { createHash } from 'node:crypto';
import { EXPORT_TABLE_ENVIRONMENT } from '../shared/handler-environments';
import type { TaskStartHandler } from '../shared/task-contract';
import { dynamodbFor } from './dynamodb-in-region';

/**
 * The example long-running task, start half: a DynamoDB table export to S3 (a job with no Step
 * Functions `.sync` integration). `export-table-check.ts` polls it.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport_Requesting.html
 */

/** What start hands check: the export to describe. */
export interface ExportHandle {
  readonly exportArn: string;
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

/**
 * Starts a full export of the configured table, as of now, in DynamoDB JSON. ExportTime is left
 * out on purpose: a repeat then sends the same parameters (a changed one under the same token is
 * DynamoDB's ExportConflictException), and "now" is always inside the point-in-time recovery
 * window. The execution input is not used: a schedule may start it with `{}`.
 */
export const handler: TaskStartHandler<unknown, ExportHandle> = async ({ execution }) => {
  // No EXPORT_PREFIX: the export lands at the bucket's root, under `AWSDynamoDB/`.
  const { exportTableArn: tableArn, exportBucket: bucket, exportPrefix: prefix } = EXPORT_TABLE_ENVIRONMENT.read(process.env);
  const { ExportDescription } = await dynamodbFor(tableArn).send(
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
