import { callLogger, executionFields, loggedCall } from '../../lambdas/shared/call-log';
import { CODE_VERSION_VARIABLE } from '../../lambdas/shared/code-version';

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
    // No CODE_VERSION outside a deployed function: the line says so rather than leaving it out.
    expect(lines[0].codeVersion).toBe('unknown');
    expect(typeof lines[0].durationMs).toBe('number');
    expect(lines[0].timestamp).toEqual(expect.any(String));
  });

  test('a call that throws: error, outcome failed, the error\'s name; the error goes on unchanged', async () => {
    const failure = Object.assign(new Error('the ledger is locked'), { name: 'LedgerLocked' });
    const lines = await linesOf(async () => {
      await expect(loggedCall('check', { ...executionFields(arn('export-1')), poll: 4 }, () => Promise.reject(failure))).rejects.toBe(failure);
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'ERROR', message: 'check', run: 'export-1', poll: 4, outcome: 'failed', errorName: 'LedgerLocked', codeVersion: 'unknown' });
  });

  test("every line of a deployed function names its code version, the CODE_VERSION its construct set: a call that returns and one that throws", async () => {
    const previous = process.env[CODE_VERSION_VARIABLE];
    process.env[CODE_VERSION_VARIABLE] = '0123456789ab';
    try {
      // A fresh module, as a new function instance loads it: the version is read when its logger is made.
      let fresh!: typeof import('../../lambdas/shared/call-log');
      jest.isolateModules(() => {
        fresh = require('../../lambdas/shared/call-log');
      });
      const written: string[] = [];
      const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
      const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
      fresh.callLogger().setLogLevel('INFO');
      try {
        await fresh.loggedCall('restart', executionFields(arn('nightly-g1')), async () => 'started');
        await fresh.loggedCall('work', executionFields(arn('nightly-g1')), () => Promise.reject(new Error('no'))).catch(() => undefined);
      } finally {
        out.mockRestore();
        err.mockRestore();
      }
      const lines = written.join('').trim().split('\n').map((line) => JSON.parse(line));
      expect(lines.map((line) => [line.message, line.level, line.codeVersion])).toEqual([
        ['restart', 'INFO', '0123456789ab'],
        ['work', 'ERROR', '0123456789ab'],
      ]);
    } finally {
      if (previous === undefined) delete process.env[CODE_VERSION_VARIABLE];
      else process.env[CODE_VERSION_VARIABLE] = previous;
    }
  });
});
