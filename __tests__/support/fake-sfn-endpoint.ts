import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An execution as the fake keeps it; dates are epoch milliseconds. */
export interface FakeExecution {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  readonly startDate: number;
  stopDate?: number;
  readonly input: string;
  output?: string;
  error?: string;
  cause?: string;
  redriveStatus?: 'REDRIVABLE' | 'NOT_REDRIVABLE';
  redriveStatusReason?: string;
  redriveCount: number;
  /** Its history, oldest first, as GetExecutionHistory returns events (a started event when not given). */
  history?: readonly Record<string, unknown>[];
}

/** One request the endpoint answered: the API (the X-Amz-Target's operation) and its JSON body. */
export interface EndpointCall {
  readonly api: string;
  readonly input: Record<string, any>;
}

/** A Step Functions error as the service sends it over the JSON protocol: 400 and its `__type`, which the SDK turns into its exception class. */
class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** A fake endpoint's server listening on 127.0.0.1 at a free port: its URL. */
export async function listenLocally(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export function closeServer(server: Server | undefined): Promise<void> {
  return new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
}

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

/**
 * Step Functions over HTTP on 127.0.0.1, speaking its AWS JSON 1.0 protocol (`X-Amz-Target:
 * AWSStepFunctions.<Operation>`) with the API reference's request and response shapes and error
 * names: what `AWS_ENDPOINT_URL_SFN` points the real SDK client at, so nothing of the SDK is mocked.
 */
export class FakeStepFunctionsEndpoint {
  readonly executions = new Map<string, FakeExecution>();
  readonly calls: EndpointCall[] = [];
  /** APIs answered as an endpoint that does not implement them would answer. */
  readonly unanswered = new Set<string>();
  private server?: Server;
  private clock = Date.UTC(2026, 2, 1);
  url = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        const api = String(request.headers['x-amz-target'] ?? '').replace('AWSStepFunctions.', '');
        const input = body ? JSON.parse(body) : {};
        this.calls.push({ api, input });
        let status = 200;
        let answer: unknown;
        try {
          answer = this.answer(api, input);
        } catch (error) {
          if (!(error instanceof ServiceError)) throw error;
          status = 400;
          answer = { __type: `com.amazonaws.swf.service.v2.model#${error.type}`, message: error.message };
        }
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `req-${this.calls.length}` });
        response.end(JSON.stringify(answer));
      });
    });
    this.url = await listenLocally(this.server);
    return this;
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }

  /** Calls of one API since the last `clearCalls`. */
  callsOf(api: string): EndpointCall[] {
    return this.calls.filter((call) => call.api === api);
  }

  clearCalls(): void {
    this.calls.length = 0;
  }

  /** An execution that exists before the test: started a minute after the last one. */
  add(stateMachineArn: string, name: string, fields: Partial<Omit<FakeExecution, 'executionArn' | 'stateMachineArn' | 'name'>> = {}): FakeExecution {
    this.clock += 60_000;
    const status = fields.status ?? 'SUCCEEDED';
    const execution: FakeExecution = {
      executionArn: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`,
      stateMachineArn,
      name,
      startDate: this.clock,
      input: '{}',
      redriveCount: 0,
      ...(status === 'RUNNING' ? {} : { stopDate: this.clock + 30_000 }),
      ...fields,
      status,
    };
    this.executions.set(execution.executionArn, execution);
    return execution;
  }

  private existing(executionArn: unknown): FakeExecution {
    const execution = this.executions.get(String(executionArn));
    if (!execution) throw new ServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(executionArn)}'`);
    return execution;
  }

  /** An ExecutionListItem, as ListExecutions returns each execution; DescribeExecution's answer is this and more. */
  private listItem(e: FakeExecution) {
    return {
      executionArn: e.executionArn,
      stateMachineArn: e.stateMachineArn,
      name: e.name,
      status: e.status,
      startDate: seconds(e.startDate),
      stopDate: seconds(e.stopDate),
      redriveCount: e.redriveCount,
    };
  }

  private describe(e: FakeExecution) {
    return {
      ...this.listItem(e),
      input: e.input,
      inputDetails: { included: true },
      ...(e.output === undefined ? {} : { output: e.output, outputDetails: { included: true } }),
      ...(e.error === undefined ? {} : { error: e.error }),
      ...(e.cause === undefined ? {} : { cause: e.cause }),
      ...(e.redriveStatus === undefined ? {} : { redriveStatus: e.redriveStatus }),
      ...(e.redriveStatusReason === undefined ? {} : { redriveStatusReason: e.redriveStatusReason }),
    };
  }

  private answer(api: string, input: Record<string, any>): unknown {
    if (this.unanswered.has(api)) throw new ServiceError('UnknownOperationException', `${api} is not supported`);
    switch (api) {
      case 'DescribeExecution':
        return this.describe(this.existing(input.executionArn));
      case 'ListExecutions': {
        const all = [...this.executions.values()]
          .filter((e) => e.stateMachineArn === input.stateMachineArn && (input.statusFilter === undefined || e.status === input.statusFilter))
          .sort((a, b) => b.startDate - a.startDate);
        const from = Number(input.nextToken ?? 0);
        const size = Number(input.maxResults ?? 100);
        const page = all.slice(from, from + size).map((e) => this.listItem(e));
        return { executions: page, ...(from + size < all.length ? { nextToken: String(from + size) } : {}) };
      }
      case 'StopExecution': {
        const e = this.existing(input.executionArn);
        if (e.status === 'RUNNING') Object.assign(e, { status: 'ABORTED', stopDate: (this.clock += 1000), error: input.error, cause: input.cause, redriveStatus: 'REDRIVABLE' });
        return { stopDate: seconds(e.stopDate) };
      }
      case 'RedriveExecution': {
        const e = this.existing(input.executionArn);
        if (e.status === 'RUNNING' || e.status === 'SUCCEEDED' || e.redriveStatus === 'NOT_REDRIVABLE') {
          throw new ServiceError('ExecutionNotRedrivable', `Execution ${e.executionArn} cannot be redriven: ${e.redriveStatusReason ?? e.status}`);
        }
        Object.assign(e, { status: 'RUNNING', stopDate: undefined, error: undefined, cause: undefined, redriveCount: e.redriveCount + 1 });
        return { redriveDate: seconds((this.clock += 1000)) };
      }
      case 'StartExecution': {
        const arn = `${String(input.stateMachineArn).replace(':stateMachine:', ':execution:')}:${input.name}`;
        const existing = this.executions.get(arn);
        if (existing) {
          if (existing.status === 'RUNNING' && existing.input === input.input) return { executionArn: arn, startDate: seconds(existing.startDate) };
          throw new ServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
        }
        const started = this.add(String(input.stateMachineArn), String(input.name), { status: 'RUNNING', input: String(input.input ?? '{}') });
        return { executionArn: started.executionArn, startDate: seconds(started.startDate) };
      }
      case 'GetExecutionHistory': {
        const e = this.existing(input.executionArn);
        const history = e.history ?? [{ id: 1, type: 'ExecutionStarted', timestamp: e.startDate, executionStartedEventDetails: { input: e.input } }];
        const ordered = input.reverseOrder ? [...history].reverse() : [...history];
        const from = Number(input.nextToken ?? 0);
        const size = Number(input.maxResults ?? 100);
        const events = ordered.slice(from, from + size).map((event) => ({ ...event, timestamp: seconds(event.timestamp as number) }));
        return { events, ...(from + size < ordered.length ? { nextToken: String(from + size) } : {}) };
      }
      default:
        throw new ServiceError('UnknownOperationException', `the fake does not answer ${api}`);
    }
  }
}
