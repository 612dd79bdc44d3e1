import {
  CreateDBSnapshotCommand,
  type CreateDBSnapshotCommandInput,
  DBSnapshotAlreadyExistsFault,
  DBSnapshotNotFoundFault,
  DescribeDBSnapshotsCommand,
  type DescribeDBSnapshotsCommandInput,
  RDSClient,
  RDSServiceException,
} from '@aws-sdk/client-rds';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandInput,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  SFNClient,
  SFNServiceException,
  StartExecutionCommand,
  type StartExecutionCommandInput,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';

/**
 * How a fake fails the calls it is told to fail, as the services answer: throttling is a 400
 * with the service's throttling code (`Throttling` for RDS's query protocol, `ThrottlingException`
 * for Step Functions), a server fault is a 500 `InternalFailure` (both services' API references).
 */
export type FaultKind = 'throttling' | 'server';

type ServiceExceptionClass = typeof SFNServiceException | typeof RDSServiceException;

function serviceError(kind: FaultKind, exceptionClass: ServiceExceptionClass, throttlingName: string): Error {
  return kind === 'throttling'
    ? new exceptionClass({ name: throttlingName, $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'Rate exceeded' })
    : new exceptionClass({ name: 'InternalFailure', $fault: 'server', $metadata: { httpStatusCode: 500 }, message: 'An internal error occurred' });
}

export interface FaultOptions {
  /** Fail the first calls of each API. @default 0 */
  readonly failFirstCalls?: number;
  /** @default 'throttling' */
  readonly failWith?: FaultKind;
}

/**
 * What both fakes share: the SDK mock they install (undone by `restore`), a count of calls per
 * API, and the first calls of each API failed as `FaultOptions` says.
 */
abstract class FakeApi<Api extends string> {
  private readonly counts = new Map<Api, number>();

  protected constructor(
    private readonly stub: { restore(): void },
    private readonly faults: FaultOptions,
    private readonly fault: (kind: FaultKind) => Error,
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
    if (n <= (this.faults.failFirstCalls ?? 0)) throw this.fault(this.faults.failWith ?? 'throttling');
  }
}

export interface FakeRdsOptions extends FaultOptions {
  /** What DescribeDBSnapshots reports, call by call; the last one repeats. */
  readonly statuses: readonly string[];
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
    super(stub, options, (kind) => serviceError(kind, RDSServiceException, 'Throttling'));
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
  readonly startDate: Date;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
}

/** Every simulated execution starts one second after the previous one, from a fixed moment. */
const CLOCK_START = Date.UTC(2026, 0, 1);

/**
 * Step Functions in memory, with its StartExecution idempotency: the same name and input
 * while the execution runs returns it again; otherwise a used name is ExecutionAlreadyExists.
 */
export class FakeStepFunctions extends FakeApi<'StartExecution' | 'DescribeExecution'> {
  readonly executions = new Map<string, SimulatedExecution>();
  /** Executions started and not yet taken by the chain runner. */
  private readonly started: SimulatedExecution[] = [];
  private clock = CLOCK_START;

  constructor(options: FaultOptions = {}) {
    const stub = mockClient(SFNClient);
    super(stub, options, (kind) => serviceError(kind, SFNServiceException, 'ThrottlingException'));
    stub.on(StartExecutionCommand).callsFake((input: StartExecutionCommandInput) => this.startExecution(input));
    stub.on(DescribeExecutionCommand).callsFake((input: DescribeExecutionCommandInput) => this.describeExecution(input));
  }

  /** Records an execution started from outside: the first of a chain, or one that finished long ago. */
  begin(stateMachineArn: string, name: string, input: unknown, status: SimulatedExecution['status'] = 'RUNNING'): SimulatedExecution {
    const execution = { arn: executionArnOf(stateMachineArn, name), name, stateMachineArn, input: JSON.stringify(input), startDate: this.tick(), status };
    this.executions.set(execution.arn, execution);
    return execution;
  }

  takeStarted(): SimulatedExecution[] {
    return this.started.splice(0);
  }

  private tick(): Date {
    this.clock += 1000;
    return new Date(this.clock);
  }

  private startExecution({ stateMachineArn, name, input }: StartExecutionCommandInput) {
    this.count('StartExecution');
    if (!stateMachineArn || !name || input === undefined) throw new Error('the simulation expects stateMachineArn, name and input');
    const arn = executionArnOf(stateMachineArn, name);
    const existing = this.executions.get(arn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === input) return { executionArn: arn, startDate: existing.startDate };
      throw new ExecutionAlreadyExists({ message: `Execution Already Exists: '${arn}'`, $metadata: { httpStatusCode: 400 } });
    }
    const execution: SimulatedExecution = { arn, name, stateMachineArn, input, startDate: this.tick(), status: 'RUNNING' };
    this.executions.set(arn, execution);
    this.started.push(execution);
    return { executionArn: arn, startDate: execution.startDate };
  }

  private describeExecution({ executionArn }: DescribeExecutionCommandInput) {
    this.count('DescribeExecution');
    const execution = executionArn ? this.executions.get(executionArn) : undefined;
    if (!execution) throw new ExecutionDoesNotExist({ message: `Execution Does Not Exist: '${executionArn}'`, $metadata: { httpStatusCode: 400 } });
    const { arn, name, stateMachineArn, input, startDate, status } = execution;
    return { executionArn: arn, name, stateMachineArn, input, startDate, status };
  }
}

export function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}
