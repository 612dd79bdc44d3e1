import { handler } from '../../lambdas/iterator';

describe('iterator handler', () => {
  test('advances the index by step and goes on while below count', async () => {
    await expect(handler({ index: -1, step: 1, count: 3 })).resolves.toEqual({ index: 0, step: 1, count: 3, continue: true });
    await expect(handler({ index: 1, step: 1, count: 3 })).resolves.toEqual({ index: 2, step: 1, count: 3, continue: true });
  });

  test('stops once the index reaches count', async () => {
    await expect(handler({ index: 2, step: 1, count: 3 })).resolves.toMatchObject({ index: 3, continue: false });
  });

  test.each([
    [null, 'event must be a JSON object, got null'],
    [[1], 'event must be a JSON object, got [1]'],
    [{ index: 0, step: 1 }, 'count must be an integer >= 1, got nothing'],
    [{ index: 0, step: 0, count: 5 }, 'step must be an integer >= 1, got 0'],
    [{ index: 0.5, step: 1, count: 5 }, 'index must be an integer >= -1, got 0.5'],
    [{ index: '1', step: 1, count: 5 }, 'index must be an integer >= -1, got "1"'],
  ])('rejects %j with InvalidInput', async (event, message) => {
    await expect(handler(event)).rejects.toMatchObject({ name: 'InvalidInput', message });
  });
});
