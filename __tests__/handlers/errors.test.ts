import { callAws, isTransient, TransientAwsError } from '../../lambdas/shared/errors';
import { rdsError, sfnError } from '../support/sdk-errors';

describe('classifying AWS errors', () => {
  test.each([
    ['Step Functions throttling', sfnError('ThrottlingException', 400)],
    ['RDS throttling', rdsError('Throttling', 400)],
    ["Step Functions' 500", sfnError('InternalFailure', 500)],
    ["RDS's 500", rdsError('InternalFailure', 500)],
    ['a 503', sfnError('ServiceUnavailable', 503)],
    ['a request that timed out', Object.assign(new Error('socket hang up'), { name: 'TimeoutError' })],
    ['a reset connection', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
  ])('%s is transient', (_, error) => {
    expect(isTransient(error)).toBe(true);
  });

  test.each([
    ['access denied', sfnError('AccessDeniedException', 400)],
    ['a name already taken', sfnError('ExecutionAlreadyExists', 400)],
    ['a busy DB instance', rdsError('InvalidDBInstanceStateFault', 400)],
    ['a plain error', new Error('boom')],
    ['not an error', 'boom'],
  ])('%s is not', (_, error) => {
    expect(isTransient(error)).toBe(false);
  });

  test('callAws turns a transient failure into TransientAwsError naming the original, and passes anything else through', async () => {
    await expect(callAws(() => Promise.reject(sfnError('InternalFailure', 500)))).rejects.toEqual(
      expect.objectContaining({ name: 'TransientAwsError', message: 'InternalFailure: InternalFailure from Step Functions' }),
    );
    await expect(callAws(() => Promise.reject(sfnError('InternalFailure', 500)))).rejects.toBeInstanceOf(TransientAwsError);
    const denied = sfnError('AccessDeniedException', 400);
    await expect(callAws(() => Promise.reject(denied))).rejects.toBe(denied);
    await expect(callAws(() => Promise.resolve(7))).resolves.toBe(7);
  });
});
