import { MAX_STATE_BYTES, type WorkHandler } from '../../../lambdas/shared/work-contract';
import { runWork } from '../../../lambdas/continue-as-new/work-runtime';
import { sfnError } from '../../support/sdk-errors';

const event = { state: { cursor: 1 }, generation: 2, iteration: 5 };
const returning = (result: unknown) => runWork((async () => result) as unknown as WorkHandler);

describe('the work runtime around every work handler', () => {
  test('hands the handler exactly the state, generation and iteration, and returns exactly its state and done', async () => {
    const seen: unknown[] = [];
    const work = runWork<{ cursor: number }>(async (received) => {
      seen.push(received);
      return { state: { cursor: received.state.cursor + 1 }, done: false };
    });
    await expect(work({ ...event, extra: 'ignored' })).resolves.toEqual({ state: { cursor: 2 }, done: false });
    expect(seen).toEqual([event]);
    await expect(returning({ state: null, done: true, note: 'dropped' })(event)).resolves.toEqual({ state: null, done: true });
  });

  test.each([
    ['not an object', 'done', 'the work returned a string of 6 bytes of JSON: it is not an object'],
    ['nothing', undefined, 'the work returned nothing: it is not an object'],
    ['"done" that is not a boolean', { state: 1, done: 'yes' }, 'the work returned an object of 24 bytes of JSON, keys state (number), done (string): "done" is a string of 5 bytes of JSON, not a boolean'],
    ['no "state"', { done: false }, 'the work returned an object of 14 bytes of JSON, keys done (boolean): it has no "state"'],
  ])('a result with %s fails with InvalidWorkResult, naming the shape of what came back, never its values', async (_, result, message) => {
    await expect(returning(result)(event)).rejects.toMatchObject({
      name: 'InvalidWorkResult',
      message: `${message}; it must return {"state": <JSON>, "done": <boolean>}`,
    });
  });

  test('an object with many keys names the first twenty, each cut at 40 characters', async () => {
    const state = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`${'k'.repeat(50)}${i}`, i]));
    const message = await returning(state)(event).catch((error: Error) => error.message);
    expect(message).toContain(`keys ${'k'.repeat(40)}... (number), `);
    expect(message).toContain(' (number) and 5 more: "done" is nothing, not a boolean');
  });

  test('a state too large to carry fails with StateTooLarge, giving its size and the limit', async () => {
    await expect(returning({ state: 'x'.repeat(MAX_STATE_BYTES - 1), done: false })(event)).rejects.toMatchObject({
      name: 'StateTooLarge',
      message: expect.stringContaining(`the state the work returned is ${MAX_STATE_BYTES + 1} bytes of JSON; the machine carries at most ${MAX_STATE_BYTES}`),
    });
    await expect(returning({ state: 'x'.repeat(MAX_STATE_BYTES - 2), done: false })(event)).resolves.toMatchObject({ done: false });
  });

  test("an AWS call of the work's that fails transiently comes out as TransientAwsError; other errors keep their name and stack, their message only by size", async () => {
    await expect(runWork(async () => Promise.reject(sfnError('ThrottlingException', 400)))(event)).rejects.toMatchObject({
      name: 'TransientAwsError',
      message: 'the work threw ThrottlingException with a message of 39 bytes, not shown: a cause never carries what your code put in it',
    });
    const own = Object.assign(new Error('the archive s3://secret-bucket/key is corrupt'), { name: 'CorruptArchive' });
    const thrown = (await runWork(async () => Promise.reject(own))(event).catch((error: Error) => error)) as Error;
    expect(thrown).toMatchObject({ name: 'CorruptArchive', message: 'the work threw CorruptArchive with a message of 45 bytes, not shown: a cause never carries what your code put in it' });
    expect(thrown.stack?.split('\n').slice(1)).toEqual(own.stack?.split('\n').slice(1));
    expect(`${thrown.stack}`).not.toContain('secret');
    await expect(runWork(async () => Promise.reject('a bare string'))(event)).rejects.toMatchObject({ name: 'Error', message: expect.stringContaining('with a message of 13 bytes') });
  });

  test.each([
    ['no state', { generation: 0, iteration: 0 }, 'event.state must be present (null for none)'],
    ['a negative generation', { state: 1, generation: -1, iteration: 0 }, 'event.generation must be an integer >= 0, got -1'],
    ['a fractional iteration', { state: 1, generation: 0, iteration: 0.5 }, 'event.iteration must be an integer >= 0, got 0.5'],
  ])('an event with %s is refused with InvalidInput before the work runs', async (_, badEvent, message) => {
    const work = jest.fn();
    await expect(runWork(work)(badEvent)).rejects.toMatchObject({ name: 'InvalidInput', message });
    expect(work).not.toHaveBeenCalled();
  });
});

describe('the retries of a call, for the loop\'s count of history events', () => {
  test('handed back as they came ($$.State.RetryCount), with the code version that ran, never to the work; none from a definition that sends none', async () => {
    const seen: unknown[] = [];
    const work = runWork<number>(async (received) => (seen.push(received), { state: received.state + 1, done: false }));
    await expect(work({ state: 1, generation: 0, iteration: 0, retries: 3 })).resolves.toEqual({ state: 2, done: false, retries: 3, codeVersion: 'unknown' });
    process.env.CODE_VERSION = '0123456789ab';
    try {
      await expect(work({ state: 1, generation: 0, iteration: 0, retries: 0 })).resolves.toMatchObject({ retries: 0, codeVersion: '0123456789ab' });
    } finally {
      delete process.env.CODE_VERSION;
    }
    await expect(work({ state: 1, generation: 0, iteration: 0 })).resolves.toEqual({ state: 2, done: false });
    expect(seen).toEqual(Array(3).fill({ state: 1, generation: 0, iteration: 0 }));
    await expect(work({ state: 1, generation: 0, iteration: 0, retries: -1 })).rejects.toMatchObject({ name: 'InvalidInput', message: 'event.retries must be an integer >= 0, got -1' });
  });
});

describe('state versions', () => {
  type Cursor = { offset: number };
  const advance = jest.fn(async ({ state }: { state: Cursor }) => ({ state: { offset: state.offset + 100 }, done: false }));
  beforeEach(() => advance.mockClear());

  test('a module with a stateVersion stamps the state it hands on; a state it stamped comes back to the work unstamped', async () => {
    const work = runWork<Cursor>(advance, { stateVersion: 2 });
    const first = await work({ state: { offset: 0 }, generation: 0, iteration: 0 });
    expect(first).toEqual({ state: { stateVersion: 2, state: { offset: 100 } }, done: false });
    await expect(work({ state: first.state, generation: 0, iteration: 1 })).resolves.toEqual({ state: { stateVersion: 2, state: { offset: 200 } }, done: false });
    expect(advance.mock.calls.map(([event]) => event.state)).toEqual([{ offset: 0 }, { offset: 100 }]);
  });

  test('a state another version wrote is migrated before the work sees it', async () => {
    const migrateState = jest.fn((state: unknown, fromVersion: number) => (fromVersion === 1 ? { offset: (state as { page: number }).page * 100 } : (state as Cursor)));
    const work = runWork<Cursor>(advance, { stateVersion: 2, migrateState });
    await expect(work({ state: { stateVersion: 1, state: { page: 3 } }, generation: 1, iteration: 0 })).resolves.toEqual({ state: { stateVersion: 2, state: { offset: 400 } }, done: false });
    expect(migrateState).toHaveBeenCalledWith({ page: 3 }, 1);
    expect(advance).toHaveBeenCalledWith({ state: { offset: 300 }, generation: 1, iteration: 0 });
  });

  test('with no migrateState, StateVersionMismatch naming both versions, and the work is never called', async () => {
    const work = runWork<Cursor>(advance, { stateVersion: 2 });
    await expect(work({ state: { stateVersion: 1, state: { page: 3 } }, generation: 0, iteration: 0 })).rejects.toMatchObject({
      name: 'StateVersionMismatch',
      message: expect.stringMatching(/^the work: the state was written by stateVersion 1, and this code is stateVersion 2 and exports no migrateState; nothing was called and the state is kept as it was\. Deploy a work that exports migrateState/),
    });
    expect(advance).not.toHaveBeenCalled();
  });

  test('a module with no stateVersion carries the state as it is, a stamped one too; a bad stateVersion is refused', async () => {
    const stamped = { stateVersion: 1, state: { offset: 0 } };
    await expect(runWork(async ({ state }) => ({ state, done: true }), {})({ state: stamped, generation: 0, iteration: 0 })).resolves.toEqual({ state: stamped, done: true });
    await expect(runWork<Cursor>(advance, { stateVersion: 1.5 })({ state: { offset: 0 }, generation: 0, iteration: 0 })).rejects.toMatchObject({
      name: 'InvalidInput',
      message: 'the work exports stateVersion 1.5: it must be a positive whole number',
    });
    expect(advance).not.toHaveBeenCalled();
  });
});

describe('the task runtime', () => {
  const { runCheck } = require('../../../lambdas/task/task-runtime') as typeof import('../../../lambdas/task/task-runtime');

  test("your check gets exactly the contract's fields; the machine's own inputBytes stays outside", async () => {
    const seen: unknown[] = [];
    const check = runCheck(async (event) => (seen.push(event), { status: 'running' }));
    await expect(check({ task: { id: 1 }, poll: 2, waitedSeconds: 180, inputBytes: 40 })).resolves.toEqual({ status: 'running', task: { id: 1 }, result: null, inputBytes: 40 });
    expect(seen).toEqual([{ task: { id: 1 }, poll: 2, waitedSeconds: 180 }]);
  });

  test('with a stateVersion, start stamps the handle, check reads it unstamped and migrates or refuses one another version wrote', async () => {
    const { runStart } = require('../../../lambdas/task/task-runtime') as typeof import('../../../lambdas/task/task-runtime');
    const start = runStart(async () => ({ task: { exportId: 'e-1' } }), { stateVersion: 1 });
    const { task } = await start({ input: {}, execution: { name: 'nightly', startTime: '2026-01-01T00:00:00Z' } });
    expect(task).toEqual({ stateVersion: 1, state: { exportId: 'e-1' } });
    const seen: unknown[] = [];
    const checkV1 = runCheck(async (event) => (seen.push(event.task), { status: 'running' }), { stateVersion: 1 });
    await expect(checkV1({ task, poll: 1, waitedSeconds: 60 })).resolves.toMatchObject({ task: { stateVersion: 1, state: { exportId: 'e-1' } } });
    const checkV2 = runCheck(async (event) => (seen.push(event.task), { status: 'running' }), { stateVersion: 2 });
    await expect(checkV2({ task, poll: 2, waitedSeconds: 120 })).rejects.toMatchObject({ name: 'StateVersionMismatch', message: expect.stringContaining('written by stateVersion 1, and this code is stateVersion 2') });
    const migrating = runCheck(async (event) => (seen.push(event.task), { status: 'running' }), { stateVersion: 2, migrateState: (handle: unknown) => ({ id: (handle as { exportId: string }).exportId }) });
    await expect(migrating({ task, poll: 2, waitedSeconds: 120 })).resolves.toMatchObject({ task: { stateVersion: 2, state: { id: 'e-1' } } });
    expect(seen).toEqual([{ exportId: 'e-1' }, { id: 'e-1' }]);
  });

  test('a handle that fits alone but not beside the input is StateTooLarge', async () => {
    const check = runCheck(async ({ task }) => ({ status: 'running', task }));
    const handle = 'h'.repeat(200_000);
    await expect(check({ task: handle, poll: 1, waitedSeconds: 60 })).resolves.toMatchObject({ status: 'running' });
    await expect(check({ task: handle, poll: 1, waitedSeconds: 60, inputBytes: 100_000 })).rejects.toMatchObject({ name: 'StateTooLarge' });
  });

  describe('inside an Express batch', () => {
    const counting = runWork<number>(async ({ state }) => ({ state: state + 1, done: state + 1 >= 10 }));
    const batchEvent = (calls: number, startedSecondsAgo: number, limits: object) => ({
      state: 1,
      generation: 0,
      iteration: 7,
      batch: { startTime: new Date(Date.now() - startedSecondsAgo * 1000).toISOString(), calls, limits },
    });

    test('says whether the batch has room for another call: under its cap and before its deadline, and never once done', async () => {
      await expect(counting(batchEvent(0, 10, { seconds: 195, maxCalls: 100 }))).resolves.toEqual({ state: 2, done: false, more: true });
      await expect(counting(batchEvent(99, 10, { seconds: 195, maxCalls: 100 }))).resolves.toEqual({ state: 2, done: false, more: false });
      await expect(counting(batchEvent(5000, 10, { seconds: 195 }))).resolves.toEqual({ state: 2, done: false, more: true });
      await expect(counting(batchEvent(3, 196, { seconds: 195 }))).resolves.toEqual({ state: 2, done: false, more: false });
      await expect(counting({ ...batchEvent(3, 10, { seconds: 195 }), state: 9 })).resolves.toEqual({ state: 10, done: true, more: false });
    });

    test('the work sees only the contract: the batch stays with the wrapper', async () => {
      const seen: unknown[] = [];
      await runWork(async (received) => {
        seen.push(received);
        return { state: null, done: true };
      })(batchEvent(0, 1, { seconds: 100 }));
      expect(seen).toEqual([{ state: 1, generation: 0, iteration: 7 }]);
    });

    test.each([
      [{ startTime: 'yesterday', calls: 0, limits: { seconds: 1 } }, 'InvalidInput', 'event.batch.startTime must be an ISO 8601 time, got a string of 11 bytes of JSON'],
      [{ startTime: new Date().toISOString(), calls: -1, limits: { seconds: 1 } }, 'InvalidInput', 'event.batch.calls must be an integer >= 0, got -1'],
      [{ startTime: new Date().toISOString(), calls: 0, limits: { seconds: 1, maxCalls: 0 } }, 'InvalidInput', 'event.batch.limits.maxCalls must be an integer >= 1, got 0'],
    ])('a broken batch %j is refused with %s, and the work is not called', async (batch, name, message) => {
      let called = false;
      const work = runWork(async () => {
        called = true;
        return { state: null, done: true };
      });
      await expect(work({ state: 1, generation: 0, iteration: 0, batch })).rejects.toMatchObject({ name, message });
      expect(called).toBe(false);
    });

    test("a batch's state may be at most half the Standard bound, coming in or going out", async () => {
      const half = Math.floor(MAX_STATE_BYTES / 2);
      await expect(returning({ state: 'x'.repeat(half), done: false })(batchEvent(1, 1, { seconds: 100 }))).rejects.toMatchObject({ name: 'StateTooLarge' });
      await expect(returning({ state: 'x'.repeat(half - 10), done: false })(batchEvent(1, 1, { seconds: 100 }))).resolves.toMatchObject({ done: false });
      await expect(returning({ state: 1, done: false })({ ...batchEvent(0, 1, { seconds: 100 }), state: 'x'.repeat(half) })).rejects.toThrow(
        /^the state the batch started with is \d+ bytes of JSON; the machine carries at most 129024/,
      );
    });
  });
});
