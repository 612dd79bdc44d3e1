import { RDSServiceException, type RDSClient } from '@aws-sdk/client-rds';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
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

/**
 * The same, loaded afresh (another configuration of the same handler), with a mock of the RDS
 * client as that fresh load sees it: each load has its own copy of the SDK.
 */
export function loadRdsHandlerAfresh<T>(modulePath: string, env: Record<string, string>): { module: T; rds: AwsClientStub<RDSClient>; sdk: RdsSdk } {
  Object.assign(process.env, env);
  let loaded: { module: T; rds: AwsClientStub<RDSClient>; sdk: RdsSdk } | undefined;
  jest.isolateModules(() => {
    const sdk = require('@aws-sdk/client-rds') as RdsSdk;
    loaded = { sdk, rds: mockClient(sdk.RDSClient) as unknown as AwsClientStub<RDSClient>, module: require(modulePath) as T };
  });
  return loaded!;
}

type RdsSdk = typeof import('@aws-sdk/client-rds');
