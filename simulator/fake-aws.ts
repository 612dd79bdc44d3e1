import {
  CreateDBSnapshotCommand,
  type CreateDBSnapshotCommandInput,
  DBSnapshotAlreadyExistsFault,
  DBSnapshotNotFoundFault,
  DescribeDBSnapshotsCommand,
  type DescribeDBSnapshotsCommandInput,
  RDSClient,
} from '@aws-sdk/client-rds';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandInput,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  SFNClient,
  StartExecutionCommand,
  type StartExecutionCommandInput,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';

function throttlingError(name: string): Error {
  return Object.assign(new Error('Rate exceeded'), { name, $metadata: { httpStatusCode: 400 } });
}

/**
 * What both fakes share: the SDK mock they install (undone by `restore`) and a count of calls
 * per API, the first `throttleFirstCalls` of each answered with a throttling error.
 */
abstract class FakeApi<Api extends string> {
  private readonly counts = new Map<Api, number>();

  protected constructor(
    private readonly stub: { restore(): void },
    private readonly throttleFirstCalls: number,
    private readonly throttlingErrorName: string,
  ) {}

  get calls(): ReadonlyMap<string, number> {
    return this.counts;
  }

  restore(): void {
    this.stub.restore();
  }

  protected count(api: Api): void {
    const n = (this.counts.get(api) ?? 0) + 1;
    this.counts.set(api, n);
    if (n <= this.throttleFirstCalls) throw throttlingError(this.throttlingErrorName);
  }
}

export interface FakeRdsOptions {
  /** What DescribeDBSnapshots reports, call by call; the last one repeats. */
  readonly statuses: readonly string[];
  /** Throttle the first calls of each API. @default 0 */
  readonly throttleFirstCalls?: number;
}

/** RDS in memory: snapshots are created once per identifier and report the scripted statuses. */
export class FakeRds extends FakeApi<'CreateDBSnapshot' | 'DescribeDBSnapshots'> {
  /** Every snapshot actually created, by identifier. */
  readonly snapshots = new Map<string, { instance: string; describes: number }>();
  private readonly statuses: readonly string[];

  constructor(options: FakeRdsOptions) {
    // Checked before the mock is installed, so a refused option leaves the SDK untouched.
    if (options.statuses.length === 0) throw new Error('FakeRds needs at least one status');
    const stub = mockClient(RDSClient);
    super(stub, options.throttleFirstCalls ?? 0, 'Throttling');
    this.statuses = options.statuses;
    stub.on(CreateDBSnapshotCommand).callsFake((input: CreateDBSnapshotCommandInput) => this.create(input));
    stub.on(DescribeDBSnapshotsCommand).callsFake((input: DescribeDBSnapshotsCommandInput) => this.describe(input));
  }

  private create({ DBSnapshotIdentifier: id, DBInstanceIdentifier: instance }: CreateDBSnapshotCommandInput) {
    this.count('CreateDBSnapshot');
    if (!id || !instance) throw new Error('CreateDBSnapshot needs both identifiers');
    if (this.snapshots.has(id)) {
      throw new DBSnapshotAlreadyExistsFault({ message: `Cannot create the snapshot because a snapshot with the identifier ${id} already exists.`, $metadata: {} });
    }
    this.snapshots.set(id, { instance, describes: 0 });
    return { DBSnapshot: { DBSnapshotIdentifier: id, DBInstanceIdentifier: instance, Status: 'creating' } };
  }

  private describe({ DBSnapshotIdentifier: id }: DescribeDBSnapshotsCommandInput) {
    this.count('DescribeDBSnapshots');
    const snapshot = id ? this.snapshots.get(id) : undefined;
    if (!id || !snapshot) throw new DBSnapshotNotFoundFault({ message: `DBSnapshot ${id} not found.`, $metadata: {} });
    const status = this.statuses[Math.min(snapshot.describes, this.statuses.length - 1)];
    snapshot.describes += 1;
    return { DBSnapshots: [{ DBSnapshotIdentifier: id, DBInstanceIdentifier: snapshot.instance, Status: status }] };
  }
}

export interface SimulatedExecution {
  readonly arn: string;
  readonly name: string;
  readonly stateMachineArn: string;
  readonly input: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
}

/**
 * Step Functions in memory, with its StartExecution idempotency: the same name and input
 * while the execution runs returns it again; otherwise a used name is ExecutionAlreadyExists.
 */
export class FakeStepFunctions extends FakeApi<'StartExecution' | 'DescribeExecution'> {
  readonly executions = new Map<string, SimulatedExecution>();
  /** Executions started and not yet taken by the chain runner. */
  private readonly started: SimulatedExecution[] = [];

  constructor(options: { readonly throttleFirstCalls?: number } = {}) {
    const stub = mockClient(SFNClient);
    super(stub, options.throttleFirstCalls ?? 0, 'ThrottlingException');
    stub.on(StartExecutionCommand).callsFake((input: StartExecutionCommandInput) => this.startExecution(input));
    stub.on(DescribeExecutionCommand).callsFake((input: DescribeExecutionCommandInput) => this.describeExecution(input));
  }

  /** Records an execution started from outside (the first of a chain). */
  begin(stateMachineArn: string, name: string, input: unknown): SimulatedExecution {
    const execution = { arn: executionArnOf(stateMachineArn, name), name, stateMachineArn, input: JSON.stringify(input), status: 'RUNNING' as const };
    this.executions.set(execution.arn, execution);
    return execution;
  }

  takeStarted(): SimulatedExecution[] {
    return this.started.splice(0);
  }

  private startExecution({ stateMachineArn, name, input }: StartExecutionCommandInput) {
    this.count('StartExecution');
    if (!stateMachineArn || !name || input === undefined) throw new Error('the simulation expects stateMachineArn, name and input');
    const arn = executionArnOf(stateMachineArn, name);
    const existing = this.executions.get(arn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === input) return { executionArn: arn, startDate: new Date(0) };
      throw new ExecutionAlreadyExists({ message: `Execution Already Exists: '${arn}'`, $metadata: {} });
    }
    const execution: SimulatedExecution = { arn, name, stateMachineArn, input, status: 'RUNNING' };
    this.executions.set(arn, execution);
    this.started.push(execution);
    return { executionArn: arn, startDate: new Date(0) };
  }

  private describeExecution({ executionArn }: DescribeExecutionCommandInput) {
    this.count('DescribeExecution');
    const execution = executionArn ? this.executions.get(executionArn) : undefined;
    if (!execution) throw new ExecutionDoesNotExist({ message: `Execution Does Not Exist: '${executionArn}'`, $metadata: {} });
    return { executionArn: execution.arn, name: execution.name, stateMachineArn: execution.stateMachineArn, input: execution.input, status: execution.status };
  }
}

export function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}
