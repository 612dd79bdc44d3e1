import { createServer, type Server } from 'node:http';
import { closeServer, listenLocally } from './fake-sfn-endpoint';

/** One Invoke the endpoint answered: the function's name and the payload, parsed. */
export interface LambdaInvocation {
  readonly functionName: string;
  readonly payload: unknown;
}

/**
 * Lambda's Invoke over HTTP on 127.0.0.1 (`POST /2015-03-31/functions/<name>/invocations`, the
 * REST-JSON protocol), answering as the API reference says: the function's result as the body; a
 * handler that threw as 200 with `X-Amz-Function-Error: Unhandled` and `{errorType, errorMessage}`;
 * a function that does not exist as 404 ResourceNotFoundException. What `AWS_ENDPOINT_URL_LAMBDA`
 * points the real SDK client at.
 */
export class FakeLambdaEndpoint {
  /** The deployed functions by name: what each does with its event. */
  readonly functions = new Map<string, (event: unknown) => Promise<unknown>>();
  readonly invocations: LambdaInvocation[] = [];
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => void this.answer(String(request.url), body).then(({ status, headers, answer }) => {
        response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': `req-${this.invocations.length}`, ...headers });
        response.end(JSON.stringify(answer));
      }));
    });
    this.url = await listenLocally(this.server);
    return this;
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }

  private async answer(url: string, body: string): Promise<{ status: number; headers: Record<string, string>; answer: unknown }> {
    const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(url);
    if (!match) return { status: 404, headers: { 'x-amzn-errortype': 'UnknownOperationException' }, answer: { message: `the fake does not answer ${url}` } };
    const functionName = decodeURIComponent(match[1]);
    const payload = body ? JSON.parse(body) : null;
    this.invocations.push({ functionName, payload });
    const run = this.functions.get(functionName);
    if (!run) {
      return {
        status: 404,
        headers: { 'x-amzn-errortype': 'ResourceNotFoundException' },
        answer: { Type: 'User', Message: `Function not found: arn:aws:lambda:eu-west-1:123456789012:function:${functionName}` },
      };
    }
    try {
      return { status: 200, headers: { 'x-amz-executed-version': '$LATEST' }, answer: (await run(payload)) ?? null };
    } catch (error) {
      const { name, message } = error as Error;
      return { status: 200, headers: { 'x-amz-function-error': 'Unhandled', 'x-amz-executed-version': '$LATEST' }, answer: { errorType: name, errorMessage: message, trace: [] } };
    }
  }
}
