import * as rdsSdk from '@aws-sdk/client-rds';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandInput,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  ListExecutionsCommand,
  type ListExecutionsCommandInput,
  SFNClient,
  SFNServiceException,
  StartExecutionCommand,
  type StartExecutionCommandInput,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { RDS_KINDS, type RdsApiName, type RdsFaultName } from '../lambdas/rds-snapshot/rds-kinds';
import { TARGET_TYPES, type TargetType } from '../lambdas/rds-snapshot/snapshot-naming';

/**
 * How a fake fails the calls it is told to fail, as the services answer: throttling is a 400
 * with the service's throttling code (`Throttling` for RDS's query protocol, `ThrottlingException`
 * for Step Functions), a server fault is a 500 `InternalFailure` (both services' API references).
 */
export type FaultKind = 'throttling' | 'server';

type ServiceExceptionClass = typeof SFNServiceException | typeof rdsSdk.RDSServiceException;

function serviceError(kind: FaultKind, exceptionClass: ServiceExceptionClass, throttlingName: string): Error {
  return kind === 'throttling'
    ? new exceptionClass({ name: throttlingName, $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'Rate exceeded' })
    : new exceptionClass({ name: 'InternalFailure', $fault: 'server', $metadata: { httpStatusCode: 500 }, message: 'An internal error occurred' });
}

/** One AWS call a fake answered: the API, its input, and who made it (a function, or a state machine's own integration). */
export interface RecordedCall {
  readonly api: string;
  readonly input: Readonly<Record<string, unknown>>;
  readonly caller?: string;
}

/** Step Functions' clock in the simulation: each execution starts one second after the last, from a fixed moment. */
const CLOCK_START = Date.UTC(2026, 0, 1);


let activeCaller: string | undefined;

/** Runs `call` with the fakes recording `caller` as the maker of its AWS calls; the simulator runs one Task at a time. */
export async function actingAs<T>(caller: string, call: () => Promise<T>): Promise<T> {
  const previous = activeCaller;
  activeCaller = caller;
  try {
    return await call();
  } finally {
    activeCaller = previous;
  }
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
export abstract class FakeApi<Api extends string> {
  private readonly counts = new Map<Api, number>();
  /** Every call answered, in order. */
  readonly log: RecordedCall[] = [];

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

  protected count(api: Api, input: object = {}): void {
    this.log.push({ api, input: { ...input }, caller: activeCaller });
    const n = (this.counts.get(api) ?? 0) + 1;
    this.counts.set(api, n);
    if (n <= (this.faults.failFirstCalls ?? 0)) throw this.fault(this.faults.failWith ?? 'throttling');
  }
}

/** A snapshot that exists before the run: another run's, someone else's, or an untagged one. */
export interface ExistingSnapshot {
  readonly identifier: string;
  readonly target: string;
  /** @default 'instance' */
  readonly kind?: TargetType;
  /** Days before the run started. */
  readonly ageDays: number;
  /** @default none */
  readonly tags?: Readonly<Record<string, string>>;
  /** @default 'available' */
  readonly status?: string;
}

export interface FakeRdsOptions extends FaultOptions {
  /** What a snapshot made in the run reports, describe by describe; the last one repeats. */
  readonly statuses: readonly string[];
  /** The DB instances that exist. @default ['database-1'] */
  readonly instances?: readonly string[];
  /** The Aurora DB clusters that exist. @default none */
  readonly clusters?: readonly string[];
  /** @default none */
  readonly existing?: readonly ExistingSnapshot[];
  /** The first create calls find the target busy (a backup window, a modification). @default 0 */
  readonly busyFirstCreates?: number;
  /** The first describes of a snapshot made in the run answer "not found", as RDS can right after a create. @default 0 */
  readonly notFoundFirstDescribes?: number;
  /** Snapshots per DescribeDB(Cluster)Snapshots page. @default 100 */
  readonly pageSize?: number;
}

interface StoredSnapshot {
  readonly identifier: string;
  readonly target: string;
  readonly kind: TargetType;
  readonly createTime: Date;
  readonly tags: Readonly<Record<string, string>>;
  /** Set for snapshots there before the run; a snapshot made in the run follows the scripted statuses. */
  readonly fixedStatus?: string;
  /** Describes by identifier so far, and how many of them reported a status. */
  lookups: number;
  statusReads: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

type Input = Record<string, unknown>;

/** RDS's answer to a call, as the SDK throws it: the exception class the table names. */
function rdsFault(name: RdsFaultName, message: string, httpStatusCode: number): Error {
  return new rdsSdk[name]({ message, $metadata: { httpStatusCode } });
}

/**
 * RDS in memory: DB instances and Aurora clusters, their manual snapshots with tags, made once per
 * identifier, listed by target page by page, and deleted; a snapshot made in the run reports
 * the scripted statuses.
 */
export class FakeRds extends FakeApi<RdsApiName> {
  readonly snapshots = new Map<string, StoredSnapshot>();
  /** Identifiers deleted, in order. */
  readonly deleted: string[] = [];
  private readonly options: FakeRdsOptions;
  private creates = 0;

  constructor(options: FakeRdsOptions) {
    // Checked before the mock is installed, so a refused option leaves the SDK untouched.
    if (options.statuses.length === 0) throw new Error('FakeRds needs at least one status');
    const stub = mockClient(rdsSdk.RDSClient);
    super(stub, options, (kind) => serviceError(kind, rdsSdk.RDSServiceException, 'Throttling'));
    this.options = options;
    for (const s of options.existing ?? []) {
      this.snapshots.set(s.identifier, {
        identifier: s.identifier,
        target: s.target,
        kind: s.kind ?? 'instance',
        // The local engine stamps each execution with the real time, so RDS keeps real time too.
        createTime: new Date(Date.now() - s.ageDays * DAY_MS),
        tags: s.tags ?? {},
        fixedStatus: s.status ?? 'available',
        lookups: 0,
        statusReads: 0,
      });
    }
    for (const kind of TARGET_TYPES) {
      const { api } = RDS_KINDS[kind];
      // The SDK's command for each API the table names: `CreateDBSnapshot` is `CreateDBSnapshotCommand`.
      const on = (name: RdsApiName, answer: (input: Input) => unknown) =>
        stub.on(rdsSdk[`${name}Command`] as typeof rdsSdk.CreateDBSnapshotCommand).callsFake((input: Input) => answer(input) as never);
      on(api.create, (input) => this.create(kind, api.create, input));
      on(api.describe, (input) => this.describe(kind, api.describe, input));
      on(api.delete, (input) => this.remove(kind, api.delete, input));
    }
  }

  private targetsOf(kind: TargetType): readonly string[] {
    return kind === 'instance' ? (this.options.instances ?? ['database-1']) : (this.options.clusters ?? []);
  }

  private view(kind: TargetType, s: StoredSnapshot) {
    const { fields } = RDS_KINDS[kind];
    const status = s.fixedStatus ?? this.options.statuses[Math.min(Math.max(s.statusReads - 1, 0), this.options.statuses.length - 1)];
    return {
      [fields.snapshotIdentifier]: s.identifier,
      [fields.targetIdentifier]: s.target,
      Status: status,
      SnapshotType: 'manual',
      SnapshotCreateTime: s.createTime,
      TagList: Object.entries(s.tags).map(([Key, Value]) => ({ Key, Value })),
    };
  }

  private create(kind: TargetType, api: RdsApiName, input: Input) {
    this.count(api, input);
    const { fields, faults } = RDS_KINDS[kind];
    const [id, target] = [String(input[fields.snapshotIdentifier] ?? ''), String(input[fields.targetIdentifier] ?? '')];
    if (!this.targetsOf(kind).includes(target)) throw rdsFault(faults.targetNotFound, `${target} not found.`, 404);
    this.creates += 1;
    if (this.creates <= (this.options.busyFirstCreates ?? 0)) {
      throw rdsFault(faults.targetBusy, `${target} is not in the available state (backing-up).`, 400);
    }
    if (this.snapshots.has(id)) {
      throw rdsFault(faults.snapshotAlreadyExists, `Cannot create the snapshot because a snapshot with the identifier ${id} already exists.`, 400);
    }
    const tags = Object.fromEntries(((input.Tags as { Key: string; Value: string }[] | undefined) ?? []).map((t) => [t.Key, t.Value]));
    const snapshot: StoredSnapshot = { identifier: id, target, kind, createTime: new Date(), tags, lookups: 0, statusReads: 0 };
    this.snapshots.set(id, snapshot);
    return { [fields.snapshot]: { ...this.view(kind, snapshot), Status: 'creating' } };
  }

  private describe(kind: TargetType, api: RdsApiName, input: Input) {
    this.count(api, input);
    const { fields, faults } = RDS_KINDS[kind];
    const id = input[fields.snapshotIdentifier] as string | undefined;
    if (id !== undefined) {
      const snapshot = this.stored(kind, id);
      snapshot.lookups += 1;
      if (snapshot.fixedStatus === undefined && snapshot.lookups <= (this.options.notFoundFirstDescribes ?? 0)) {
        throw rdsFault(faults.snapshotNotFound, `${id} not found.`, 404);
      }
      snapshot.statusReads += 1;
      return { [fields.snapshots]: [this.view(kind, snapshot)] };
    }
    const target = String(input[fields.targetIdentifier] ?? '');
    const matching = [...this.snapshots.values()].filter((s) => s.kind === kind && s.target === target);
    const pageSize = this.options.pageSize ?? 100;
    const start = Number(input.Marker ?? 0);
    const page = matching.slice(start, start + pageSize);
    return { [fields.snapshots]: page.map((s) => this.view(kind, s)), Marker: start + pageSize < matching.length ? String(start + pageSize) : undefined };
  }

  private remove(kind: TargetType, api: RdsApiName, input: Input) {
    this.count(api, input);
    const { fields } = RDS_KINDS[kind];
    const id = String(input[fields.snapshotIdentifier] ?? '');
    const snapshot = this.stored(kind, id);
    this.snapshots.delete(id);
    this.deleted.push(id);
    return { [fields.snapshot]: { ...this.view(kind, snapshot), Status: 'deleted' } };
  }

  /** The snapshot of this kind with the identifier, or RDS's "not found". */
  private stored(kind: TargetType, id: string): StoredSnapshot {
    const snapshot = this.snapshots.get(id);
    if (!snapshot || snapshot.kind !== kind) throw rdsFault(RDS_KINDS[kind].faults.snapshotNotFound, `${id} not found.`, 404);
    return snapshot;
  }
}

export interface SimulatedExecution {
  readonly arn: string;
  readonly name: string;
  readonly stateMachineArn: string;
  readonly input: string;
  readonly startDate: Date;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
}


/**
 * Step Functions in memory, with its StartExecution idempotency: the same name and input
 * while the execution runs returns it again; otherwise a used name is ExecutionAlreadyExists.
 */
export class FakeStepFunctions extends FakeApi<'StartExecution' | 'DescribeExecution' | 'ListExecutions'> {
  readonly executions = new Map<string, SimulatedExecution>();
  /** Executions started and not yet taken by the chain runner. */
  private readonly started: SimulatedExecution[] = [];
  private clock = CLOCK_START;

  constructor(options: FaultOptions = {}) {
    const stub = mockClient(SFNClient);
    super(stub, options, (kind) => serviceError(kind, SFNServiceException, 'ThrottlingException'));
    stub.on(StartExecutionCommand).callsFake((input: StartExecutionCommandInput) => this.startExecution(input));
    stub.on(DescribeExecutionCommand).callsFake((input: DescribeExecutionCommandInput) => this.describeExecution(input));
    stub.on(ListExecutionsCommand).callsFake((input: ListExecutionsCommandInput) => this.listExecutions(input));
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
    this.count('StartExecution', { stateMachineArn, name });
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

  /** The machine's executions, newest first, one page (the simulation never holds more than a page). */
  private listExecutions({ stateMachineArn, statusFilter, maxResults }: ListExecutionsCommandInput) {
    this.count('ListExecutions', { stateMachineArn, statusFilter });
    const executions = [...this.executions.values()]
      .filter((e) => e.stateMachineArn === stateMachineArn && (statusFilter === undefined || e.status === statusFilter))
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime())
      .slice(0, maxResults ?? 100);
    return { executions: executions.map(({ arn, name, stateMachineArn: machine, startDate, status }) => ({ executionArn: arn, name, stateMachineArn: machine, startDate, status })) };
  }

  private describeExecution({ executionArn }: DescribeExecutionCommandInput) {
    this.count('DescribeExecution', { executionArn });
    const execution = executionArn ? this.executions.get(executionArn) : undefined;
    if (!execution) throw new ExecutionDoesNotExist({ message: `Execution Does Not Exist: '${executionArn}'`, $metadata: { httpStatusCode: 400 } });
    const { arn, name, stateMachineArn, input, startDate, status } = execution;
    return { executionArn: arn, name, stateMachineArn, input, startDate, status };
  }
}

export function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}
