import { RDSServiceException } from '@aws-sdk/client-rds';
import { SFNServiceException } from '@aws-sdk/client-sfn';

/**
 * Errors shaped as the SDK throws them for the services' documented answers: throttling is a
 * 400 with the service's code, a server fault a 500 `InternalFailure`.
 */
export const sfnError = (name: string, status: number, fault: 'client' | 'server' = status >= 500 ? 'server' : 'client') =>
  new SFNServiceException({ name, $fault: fault, $metadata: { httpStatusCode: status }, message: `${name} from Step Functions` });

export const rdsError = (name: string, status: number, fault: 'client' | 'server' = status >= 500 ? 'server' : 'client') =>
  new RDSServiceException({ name, $fault: fault, $metadata: { httpStatusCode: status }, message: `${name} from RDS` });

/** A handler module that reads its environment at load: required after the variables are set. */
export function loadHandlerModule<T>(modulePath: string, env: Record<string, string>): T {
  Object.assign(process.env, env);
  return require(modulePath) as T;
}
