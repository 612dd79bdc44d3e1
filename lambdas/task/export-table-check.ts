import { DescribeExportCommand } from '@aws-sdk/client-dynamodb';
import type { ExportHandle } from './export-table-start';
import type { TaskCheckHandler } from '../shared/task-contract';
import { requireObject, requireString } from '../shared/validate';
import { dynamodbFor } from './dynamodb-in-region';

/**
 * The example long-running task, check half: how the export `export-table-start.ts` started is
 * doing.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeExport.html
 */

/** What a succeeded execution's output carries: where the export is and how big. */
export interface ExportResult {
  /** The key of the export's manifest-summary.json in the bucket. */
  readonly exportManifest: string | null;
  readonly itemCount: number | null;
  readonly billedSizeBytes: number | null;
  readonly s3Bucket: string | null;
  readonly s3Prefix: string | null;
  /** The point in time the data is of (ISO 8601). */
  readonly exportTime: string | null;
}

/** `arn:<partition>:dynamodb:<region>:<account>:table/<name>/export/<id>`, as ExportTableToPointInTime returns it. */
const EXPORT_ARN_RULE = /^arn:aws(?:-[a-z]+)*:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]{3,255}\/export\/[A-Za-z0-9_.-]+$/;

/**
 * IN_PROGRESS is running, COMPLETED succeeded with where the data is, FAILED failed with
 * DynamoDB's code and message. The API reference lists only those three; the developer guide
 * also speaks of PENDING "until they either succeed or fail". So only COMPLETED and FAILED end
 * the job, and any other status (or none) is taken as still running: a state this SDK does not
 * know yet is not a verdict, and the task's maximum wait still bounds the polling.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport_Requesting.html
 */
export const handler: TaskCheckHandler<ExportHandle, ExportResult> = async ({ task }) => {
  const exportArn = requireString(requireObject(task, 'event.task'), 'exportArn', EXPORT_ARN_RULE, 'a DynamoDB export ARN', 'event.task.exportArn');
  const { ExportDescription: description = {} } = await dynamodbFor(exportArn).send(new DescribeExportCommand({ ExportArn: exportArn }));
  switch (description.ExportStatus) {
    case 'COMPLETED':
      return {
        status: 'succeeded',
        result: {
          exportManifest: description.ExportManifest ?? null,
          itemCount: description.ItemCount ?? null,
          billedSizeBytes: description.BilledSizeBytes ?? null,
          s3Bucket: description.S3Bucket ?? null,
          s3Prefix: description.S3Prefix ?? null,
          exportTime: description.ExportTime?.toISOString() ?? null,
        },
      };
    case 'FAILED':
      return { status: 'failed', reason: `${description.FailureCode ?? 'no FailureCode'}: ${description.FailureMessage ?? 'no FailureMessage'}` };
    default:
      return { status: 'running' };
  }
};
