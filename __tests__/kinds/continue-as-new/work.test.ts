import { DEFAULT_JOB, handler } from '../../../lambdas/work';

const call = (state: unknown) => handler({ state: state as never, generation: 0, iteration: 0 });

describe('the example work: counting primes below a limit, a batch per call', () => {
  test('counts the batch from the cursor and moves the cursor on', async () => {
    await expect(call({ next: 2, limit: 100, batch: 10, primes: 0 })).resolves.toEqual({ state: { next: 12, limit: 100, batch: 10, primes: 5 }, done: false });
  });

  test('says done when the cursor reaches the limit, never passing it', async () => {
    await expect(call({ next: 95, limit: 100, batch: 10, primes: 24 })).resolves.toEqual({ state: { next: 100, limit: 100, batch: 10, primes: 25 }, done: true });
  });

  test('call after call, it counts the 1,229 primes below 10,000', async () => {
    let result = await call({ next: 2, limit: 10_000, batch: 333, primes: 0 });
    while (!result.done) result = await call(result.state);
    expect(result.state).toMatchObject({ next: 10_000, primes: 1229 });
  });

  test('with no state it starts the default job', async () => {
    await expect(call(null)).resolves.toMatchObject({ state: { limit: DEFAULT_JOB.limit, next: DEFAULT_JOB.next + DEFAULT_JOB.batch }, done: false });
  });

  test.each([
    [{ next: 2, limit: 100, batch: 0, primes: 0 }, 'state.batch must be an integer >= 1, got 0'],
    [{ next: 200, limit: 100, batch: 1, primes: 0 }, 'state.next (200) must not pass state.limit (100)'],
    ['go', 'state must be a JSON object, got a string of 4 bytes of JSON'],
  ])('a state it cannot read (%j) is refused with InvalidInput', async (state, message) => {
    await expect(call(state)).rejects.toMatchObject({ name: 'InvalidInput', message });
  });
});
