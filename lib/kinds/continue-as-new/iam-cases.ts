import { attribute, awsArn, invocations, type Attributed, type DeniedCase, type IamCases, type IamRequest } from '../../../simulator/iam-cases';
import { RESTART_MODES, type RestartWith } from './defaults';
import { runContinueAsNewChain } from './simulation';

const job = { state: { next: 2, limit: 62, batch: 10, primes: 0 } };
const denied = (role: string, configuration: RestartWith, what: string, request: IamRequest): DeniedCase => ({ configuration, role, what, request });

/**
 * The default job in both restart modes, three work calls an execution: a chain of two executions,
 * one whose successor's name is taken, and one started under the other restart mode before a
 * deploy switched it (its definition, this deploy's roles and functions).
 */
export const continueAsNewIamCases: IamCases = {
  configurations: Object.fromEntries(
    RESTART_MODES.map((mode) => [mode, { WORKFLOWS_SNAPSHOT_TARGETS: '{}', WORKFLOWS_ITERATIONS_PER_EXECUTION: '3', WORKFLOWS_RESTART_WITH: mode }]),
  ),
  record: async (artifacts) => {
    const calls: Attributed[] = [];
    for (const mode of RESTART_MODES) {
      const stack = artifacts(mode);
      const machine = stack.stateMachines['continue-as-new'];
      const chain = await runContinueAsNewChain(stack, { input: job, rootName: 'nightly' });
      const taken = await runContinueAsNewChain(stack, { input: job, rootName: 'weekly', existing: [{ name: 'weekly-g1', input: { state: job.state } }] });
      const ended = chain.executions.map((e) => e.status).join(', ');
      if (ended !== 'SUCCEEDED, SUCCEEDED' || taken.executions[0].error !== 'SuccessorNameTaken') {
        throw new Error(`restarting with the ${mode}: the chain ended ${ended} and the taken name ${taken.executions[0].error}; the cases expect two SUCCEEDED and SuccessorNameTaken`);
      }
      for (const run of [chain, taken]) calls.push(...attribute(mode, run.stepFunctionsLog), ...invocations(mode, machine, run.executions));
      // An execution started before a switch of restartWith keeps the other mode's definition, and runs under this deploy's role and functions.
      const other = artifacts(RESTART_MODES.find((m) => m !== mode)!).stateMachines['continue-as-new'];
      const switched = { ...stack, stateMachines: { ...stack.stateMachines, 'continue-as-new': other } };
      const before = await runContinueAsNewChain(switched, { input: job, rootName: 'switched' });
      if (before.executions.map((e) => e.status).join(', ') !== 'SUCCEEDED, SUCCEEDED') {
        throw new Error(`a ${mode} deploy running a chain started under the other restart mode ended ${before.executions.map((e) => e.status).join(', ')}; the cases expect two SUCCEEDED`);
      }
      calls.push(...attribute(mode, before.stepFunctionsLog), ...invocations(mode, other, before.executions));
    }
    return calls;
  },
  actions: ['lambda:InvokeFunction', 'logs:CreateLogStream', 'logs:PutLogEvents', 'states:DescribeExecution', 'states:StartExecution'],
  denied: [
    denied('long-running-continue-as-new', 'integration', 'starting another state machine', { action: 'states:StartExecution', resource: awsArn('states', 'stateMachine:long-running-rds-snapshot') }),
    denied('long-running-continue-as-new', 'integration', "reading another machine's executions", { action: 'states:DescribeExecution', resource: awsArn('states', 'execution:long-running-rds-snapshot:x') }),
    denied('long-running-continue-as-new', 'integration', 'stopping its own executions', { action: 'states:StopExecution', resource: awsArn('states', 'execution:long-running-continue-as-new:x') }),
    denied('long-running-continue-as-new-restart', 'function', 'starting another state machine', { action: 'states:StartExecution', resource: awsArn('states', 'stateMachine:long-running-rds-snapshot') }),
    denied('long-running-continue-as-new-check-input', 'integration', 'starting executions', { action: 'states:StartExecution', resource: awsArn('states', 'stateMachine:long-running-continue-as-new') }),
    denied('long-running-continue-as-new-check-input', 'integration', "reading another machine's executions", { action: 'states:DescribeExecution', resource: awsArn('states', 'execution:long-running-rds-snapshot:x') }),
    denied('long-running-continue-as-new-work', 'integration', 'anything of the workflows (it has only the statements you give it)', {
      action: 'states:StartExecution',
      resource: awsArn('states', 'stateMachine:long-running-continue-as-new'),
    }),
  ],
};
