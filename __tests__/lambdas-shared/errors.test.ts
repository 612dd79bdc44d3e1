import { callAws, DeploymentError, HandlerError, InvalidInput, isTransient, TransientAwsError } from '../../lambdas/shared/errors';
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

  test('callAws turns a transient failure into TransientAwsError naming the original, its cause, and passes anything else through', async () => {
    const failure = sfnError('InternalFailure', 500);
    await expect(callAws(() => Promise.reject(failure))).rejects.toEqual(
      expect.objectContaining({ name: 'TransientAwsError', message: 'InternalFailure: InternalFailure from Step Functions', cause: failure }),
    );
    await expect(callAws(() => Promise.reject(sfnError('InternalFailure', 500)))).rejects.toBeInstanceOf(TransientAwsError);
    const denied = sfnError('AccessDeniedException', 400);
    await expect(callAws(() => Promise.reject(denied))).rejects.toBe(denied);
    await expect(callAws(() => Promise.resolve(7))).resolves.toBe(7);
  });
});

describe("the handlers' errors", () => {
  test('share one base and carry their name as a string, which bundled-handler.test.ts checks survives minification', () => {
    const cause = new Error('underneath');
    for (const [error, name] of [[new InvalidInput('x'), 'InvalidInput'], [new DeploymentError('x', { cause }), 'DeploymentError'], [new TransientAwsError(cause), 'TransientAwsError']] as const) {
      expect(error).toBeInstanceOf(HandlerError);
      expect(error.name).toBe(name);
      expect(String(error.stack)).toMatch(new RegExp(`^${name}: `));
    }
    expect(new DeploymentError('x', { cause }).cause).toBe(cause);
  });
});
