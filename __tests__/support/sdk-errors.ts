import { RDSServiceException } from '@aws-sdk/client-rds';
import { SFNServiceException } from '@aws-sdk/client-sfn';
import type { HandlerEnvironment } from '../../lambdas/shared/handler-environments';

/**
 * Errors shaped as the SDK throws them for the services' documented answers: throttling is a
 * 400 with the service's code, a server fault a 500 `InternalFailure`.
 */
export const sfnError = (name: string, status: number, fault: 'client' | 'server' = status >= 500 ? 'server' : 'client') =>
  new SFNServiceException({ name, $fault: fault, $metadata: { httpStatusCode: status }, message: `${name} from Step Functions` });

export const rdsError = (name: string, status: number, fault: 'client' | 'server' = status >= 500 ? 'server' : 'client') =>
  new RDSServiceException({ name, $fault: fault, $metadata: { httpStatusCode: status }, message: `${name} from RDS` });

/** Deploys a handler here: its variables set as its construct sets them, through the same `write`. The handlers read them at each call. */
export function setEnvironment<Values>(environment: HandlerEnvironment<Values>, values: Values): void {
  Object.assign(process.env, environment.write(values));
}
