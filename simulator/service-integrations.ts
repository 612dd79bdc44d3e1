import './runtime-node';
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Handler } from './bundled-handler';
import { SIMULATED_AWS } from './stack-artifacts';

/**
 * Step Functions names a service integration's errors after the service and the SDK exception:
 * `StepFunctions.ExecutionAlreadyExistsException` for the optimized StartExecution (as its
 * guide shows), `Sfn.<exception>` for an AWS SDK integration.
 */
function integrationError(prefix: string, error: unknown): Error {
  const name = error instanceof Error ? error.name : 'UnknownError';
  const exception = name.endsWith('Exception') ? name : `${name}Exception`;
  return Object.assign(new Error(error instanceof Error ? error.message : String(error)), { name: `${prefix}.${exception}` });
}

// The client's calls are answered by whichever fake has mocked SFNClient.
const sfn = new SFNClient({ region: SIMULATED_AWS.region });

type Parameters = Record<string, unknown>;

/** The Task resources Step Functions runs itself, answered through the same fakes the handlers call. */
export const SERVICE_INTEGRATIONS: Readonly<Record<string, Handler>> = {
  'arn:aws:states:::states:startExecution': async (input) => {
    const { StateMachineArn, Name, Input } = input as Parameters;
    try {
      const { executionArn, startDate } = await sfn.send(
        new StartExecutionCommand({
          stateMachineArn: String(StateMachineArn),
          name: Name === undefined ? undefined : String(Name),
          input: typeof Input === 'string' ? Input : JSON.stringify(Input ?? {}),
        }),
      );
      return { ExecutionArn: executionArn, StartDate: startDate?.toISOString() };
    } catch (error) {
      throw integrationError('StepFunctions', error);
    }
  },
  'arn:aws:states:::aws-sdk:sfn:listExecutions': async (input) => {
    const { StateMachineArn, StatusFilter, MaxResults } = input as Parameters;
    try {
      const { executions = [] } = await sfn.send(
        new ListExecutionsCommand({ stateMachineArn: String(StateMachineArn), statusFilter: StatusFilter as never, maxResults: MaxResults === undefined ? undefined : Number(MaxResults) }),
      );
      return {
        Executions: executions.map((e) => ({ ExecutionArn: e.executionArn, StateMachineArn: e.stateMachineArn, Name: e.name, Status: e.status, StartDate: e.startDate?.toISOString() })),
      };
    } catch (error) {
      throw integrationError('Sfn', error);
    }
  },
  'arn:aws:states:::aws-sdk:sfn:describeExecution': async (input) => {
    try {
      const execution = await sfn.send(new DescribeExecutionCommand({ executionArn: String((input as Parameters).ExecutionArn) }));
      return {
        ExecutionArn: execution.executionArn,
        StateMachineArn: execution.stateMachineArn,
        Name: execution.name,
        Status: execution.status,
        StartDate: execution.startDate?.toISOString(),
        Input: execution.input,
      };
    } catch (error) {
      throw integrationError('Sfn', error);
    }
  },
};
