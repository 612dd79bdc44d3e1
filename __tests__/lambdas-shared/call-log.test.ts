import { callLogger, executionFields, loggedCall } from '../../lambdas/shared/call-log';

const arn = (name: string) => `arn:aws:states:eu-west-1:123456789012:execution:long-running-nightly:${name}`;

/** The JSON lines the logger writes to stdout during `run`. */
async function linesOf(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const written: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
  callLogger().setLogLevel('INFO');
  try {
    await run().catch(() => undefined);
  } finally {
    callLogger().setLogLevel('SILENT');
    write.mockRestore();
    stderr.mockRestore();
  }
  return written.join('').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

describe('one structured line per handler call', () => {
  test("an execution ARN names the workflow, the run and the generation", () => {
    expect(executionFields(arn('nightly-g12'))).toEqual({ workflow: 'long-running-nightly', execution: 'nightly-g12', run: 'nightly', generation: 12 });
    expect(executionFields(arn('nightly'))).toEqual({ workflow: 'long-running-nightly', execution: 'nightly', run: 'nightly', generation: 0 });
    expect(executionFields('not an arn')).toEqual({});
  });

  test('a call that returns: info, its fields as the handler filled them in, the outcome and the duration', async () => {
    const lines = await linesOf(() =>
      loggedCall('work', executionFields(arn('nightly-g3')), async (fields) => {
        Object.assign(fields, { iteration: 41, outcome: 'continue' });
        return 'result';
      }),
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'INFO', message: 'work', service: 'workflows', workflow: 'long-running-nightly', run: 'nightly', generation: 3, iteration: 41, outcome: 'continue' });
    expect(typeof lines[0].durationMs).toBe('number');
    expect(lines[0].timestamp).toEqual(expect.any(String));
  });

  test('a call that throws: error, outcome failed, the error\'s name; the error goes on unchanged', async () => {
    const failure = Object.assign(new Error('the ledger is locked'), { name: 'LedgerLocked' });
    const lines = await linesOf(async () => {
      await expect(loggedCall('check', { ...executionFields(arn('export-1')), poll: 4 }, () => Promise.reject(failure))).rejects.toBe(failure);
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'ERROR', message: 'check', run: 'export-1', poll: 4, outcome: 'failed', errorName: 'LedgerLocked' });
  });
});
