import { createServer, type Socket } from 'node:net';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { CLIENT_CONFIG, MAX_ATTEMPTS, WORST_CASE_CALL_SECONDS } from '../../lambdas/shared/aws-clients';
import { isTransient } from '../../lambdas/shared/errors';

describe('SDK clients cut off hung calls', () => {
  test("the worst case of one call, every attempt timing out, stays under half the functions' 30 s timeout", () => {
    expect(WORST_CASE_CALL_SECONDS).toBeLessThanOrEqual(15);
  });

  test('a server that never answers: the call gives up after MAX_ATTEMPTS attempts with a transient timeout', async () => {
    const sockets: Socket[] = [];
    const server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const { port } = server.address() as { port: number };
    // The shared settings, with the request timeout shortened so the test takes a fraction of a second.
    const client = new SFNClient({
      ...CLIENT_CONFIG,
      requestHandler: { ...CLIENT_CONFIG.requestHandler, requestTimeout: 200 },
      endpoint: `http://127.0.0.1:${port}`,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
    let waiting: NodeJS.Timeout | undefined;
    try {
      const failure = await Promise.race([
        client.send(new ListStateMachinesCommand({})).then(
          () => 'answered',
          (error: unknown) => error,
        ),
        new Promise((resolve) => (waiting = setTimeout(resolve, 3000, 'still waiting after 3 s'))),
      ]);
      expect(failure).toBeInstanceOf(Error);
      expect(isTransient(failure)).toBe(true);
      expect(sockets).toHaveLength(MAX_ATTEMPTS);
    } finally {
      // A timer left pending would hold the jest worker past the file's end.
      clearTimeout(waiting);
      client.destroy();
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });
});
