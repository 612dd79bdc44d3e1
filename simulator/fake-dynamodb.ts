import {
  DescribeExportCommand,
  type DescribeExportCommandInput,
  DynamoDBClient,
  type ExportDescription,
  ExportConflictException,
  ExportNotFoundException,
  type ExportStatus,
  ExportTableToPointInTimeCommand,
  type ExportTableToPointInTimeCommandInput,
  InternalServerError,
  PointInTimeRecoveryUnavailableException,
  TableNotFoundException,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { FakeApi, type FaultKind, type FaultOptions } from './fake-aws';

/**
 * How DynamoDB fails a control-plane call: throttling is a 400 `ThrottlingException` (the
 * developer guide's error table: control-plane operations sent too rapidly;
 * ProvisionedThroughputExceededException is a table's read/write capacity, data plane only),
 * a server fault a 500 `InternalServerError` (the API reference of both calls). The SDK's own
 * exception classes, so name and `$fault` are as the SDK throws them.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html
 */
function dynamoDbFault(kind: FaultKind): Error {
  return kind === 'throttling'
    ? new ThrottlingException({ message: 'Rate of requests exceeds the allowed throughput.', $metadata: { httpStatusCode: 400 } })
    : new InternalServerError({ message: 'Internal server error', $metadata: { httpStatusCode: 500 } });
}

/** A table that exists in the fake. */
export interface FakeTable {
  /** `arn:<partition>:dynamodb:<region>:<account>:table/<name>` */
  readonly arn: string;
  /** Exports need point-in-time recovery on. @default true */
  readonly pointInTimeRecovery?: boolean;
  /** What a completed export reports. @default 0 */
  readonly itemCount?: number;
}

export interface FakeDynamoDbOptions extends FaultOptions {
  readonly tables: readonly FakeTable[];
  /** What an export reports, DescribeExport by DescribeExport; the last one repeats. */
  readonly statuses: readonly ExportStatus[];
  /** A FAILED export's FailureCode and FailureMessage (the API documents no code list). @default { code: 'UNKNOWN', message: 'The export failed.' } */
  readonly failure?: { readonly code: string; readonly message: string };
}

/** An export the fake started, with what it was asked (a repeat must ask the same). */
interface StoredExport {
  readonly arn: string;
  readonly clientToken?: string;
  readonly parameters: string;
  readonly table: FakeTable;
  readonly bucket: string;
  readonly prefix?: string;
  readonly startTime: Date;
  /** DescribeExport calls so far. */
  describes: number;
}

/**
 * The key of one file of an export: DynamoDB writes each export under
 * `<prefix>/AWSDynamoDB/<export id>/` (manifest-summary.json, manifest-files.json, data/...).
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport.Output.html
 */
export function exportObjectKey(prefix: string | undefined, exportId: string, file: string): string {
  return `${prefix ? `${prefix.replace(/\/$/, '')}/` : ''}AWSDynamoDB/${exportId}/${file}`;
}

/** The request parameters a repeat under the same ClientToken must match, as one comparable text. */
const parametersOf = ({ ClientToken: _, ...rest }: ExportTableToPointInTimeCommandInput) =>
  JSON.stringify(Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b))));

/**
 * DynamoDB's table exports in memory: ExportTableToPointInTime with its ClientToken idempotency
 * (the same token and parameters return the same export; the same token with other parameters
 * is ExportConflictException, as the API reference says; the 8-hour window is not modelled),
 * and DescribeExport walking the scripted statuses per export.
 */
export class FakeDynamoDb extends FakeApi<'ExportTableToPointInTime' | 'DescribeExport'> {
  /** Every export started, by ARN. */
  readonly exports = new Map<string, StoredExport>();
  private readonly options: FakeDynamoDbOptions;

  constructor(options: FakeDynamoDbOptions) {
    // Checked before the mock is installed, so a refused option leaves the SDK untouched.
    if (options.statuses.length === 0) throw new Error('FakeDynamoDb needs at least one status');
    const stub = mockClient(DynamoDBClient);
    super(stub, options, dynamoDbFault);
    this.options = options;
    stub.on(ExportTableToPointInTimeCommand).callsFake((input: ExportTableToPointInTimeCommandInput) => this.exportTable(input));
    stub.on(DescribeExportCommand).callsFake((input: DescribeExportCommandInput) => this.describeExport(input));
  }

  private exportTable(input: ExportTableToPointInTimeCommandInput) {
    this.count('ExportTableToPointInTime', input);
    const { TableArn, S3Bucket, S3Prefix, ClientToken } = input;
    const table = this.options.tables.find((t) => t.arn === TableArn);
    if (!table) throw new TableNotFoundException({ message: `Table not found: ${TableArn}`, $metadata: { httpStatusCode: 400 } });
    if (table.pointInTimeRecovery === false) {
      throw new PointInTimeRecoveryUnavailableException({
        message: `Point in time recovery is not enabled for table '${table.arn.slice(table.arn.lastIndexOf('/') + 1)}'`,
        $metadata: { httpStatusCode: 400 },
      });
    }
    if (!S3Bucket) throw new Error('the simulation expects S3Bucket');
    const parameters = parametersOf(input);
    const earlier = ClientToken === undefined ? undefined : [...this.exports.values()].find((e) => e.clientToken === ClientToken);
    if (earlier) {
      if (earlier.parameters !== parameters) {
        throw new ExportConflictException({ message: `Export with client token ${ClientToken} already exists with different parameters`, $metadata: { httpStatusCode: 400 } });
      }
      return { ExportDescription: this.view(earlier) };
    }
    // As AWS gives it: the start in milliseconds, 14 digits, and 8 hex digits.
    const startTime = new Date();
    const id = `${String(startTime.getTime()).padStart(14, '0')}-${(this.exports.size + 1).toString(16).padStart(8, '0')}`;
    const started: StoredExport = { arn: `${table.arn}/export/${id}`, clientToken: ClientToken, parameters, table, bucket: S3Bucket, prefix: S3Prefix, startTime, describes: 0 };
    this.exports.set(started.arn, started);
    return { ExportDescription: this.view(started) };
  }

  private describeExport({ ExportArn }: DescribeExportCommandInput) {
    this.count('DescribeExport', { ExportArn });
    const stored = ExportArn === undefined ? undefined : this.exports.get(ExportArn);
    if (!stored) throw new ExportNotFoundException({ message: `Export not found: ${ExportArn}`, $metadata: { httpStatusCode: 400 } });
    stored.describes += 1;
    return { ExportDescription: this.view(stored) };
  }

  /** The export as DynamoDB describes it: IN_PROGRESS until described, then the scripted statuses. */
  private view(e: StoredExport): ExportDescription {
    const { statuses, failure = { code: 'UNKNOWN', message: 'The export failed.' } } = this.options;
    const status = e.describes === 0 ? 'IN_PROGRESS' : statuses[Math.min(e.describes, statuses.length) - 1];
    const id = e.arn.slice(e.arn.lastIndexOf('/') + 1);
    return {
      ExportArn: e.arn,
      ExportStatus: status,
      StartTime: e.startTime,
      ExportTime: e.startTime,
      TableArn: e.table.arn,
      ClientToken: e.clientToken,
      S3Bucket: e.bucket,
      S3Prefix: e.prefix,
      ExportFormat: 'DYNAMODB_JSON',
      ExportType: 'FULL_EXPORT',
      ...(status === 'IN_PROGRESS' ? {} : { EndTime: new Date() }),
      ...(status === 'COMPLETED' ? { ExportManifest: exportObjectKey(e.prefix, id, 'manifest-summary.json'), ItemCount: e.table.itemCount ?? 0, BilledSizeBytes: (e.table.itemCount ?? 0) * 100 } : {}),
      ...(status === 'FAILED' ? { FailureCode: failure.code, FailureMessage: failure.message } : {}),
    };
  }
}
