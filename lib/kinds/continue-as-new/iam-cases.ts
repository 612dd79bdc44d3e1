import { attribute, awsArn, invocations, type Attributed, type DeniedCase, type IamCases, type IamRequest } from '../../../simulator/iam-cases';
import type { DeployedStateMachine, StackArtifacts } from '../../../simulator/stack-artifacts';
import type { LoopMode, RestartWith } from './defaults';
import { runContinueAsNewChain, type ChainResult } from './simulation';

const job = { state: { next: 2, limit: 62, batch: 10, primes: 0 } };
const denied = (role: string, configuration: Deploy, what: string, request: IamRequest): DeniedCase => ({ configuration, role, what, request });

/** The deploys the cases synthesize: the default job in each restart mode, and in Express batches of one call. */
const DEPLOYS = { integration: { restartWith: 'integration' }, function: { restartWith: 'function' }, express: { restartWith: 'integration', loop: 'express' } } as const satisfies Record<string, { restartWith: RestartWith; loop?: LoopMode }>;
type Deploy = keyof typeof DEPLOYS;

/** The work calls of a chain's executions and of its batches (each a nested execution of the batch machine), each by the machine that made it. */
function workInvocations(configuration: string, stack: StackArtifacts, machine: DeployedStateMachine, run: ChainResult): Attributed[] {
  const batchCalls = run.batches.flatMap((batch) => {
    const batchMachine = stack.stateMachinesByArn.get(batch.stateMachine.arn)!;
    return invocations(configuration, { ...machine, ...batchMachine }, [batch.execution]);
  });
  return [...invocations(configuration, machine, run.executions), ...batchCalls];
}

/**
 * The default job in both restart modes and with `loop: express`, three work calls (batches) an
 * execution: a chain of two executions, one whose successor's name is taken, and on each deploy a
 * chain started under each other deploy before a switch to this one (its definition, this deploy's
 * roles, functions and batch machine).
 */
export const continueAsNewIamCases: IamCases = {
  configurations: Object.fromEntries(
    Object.entries(DEPLOYS).map(([deploy, { restartWith, ...loop }]) => [
      deploy,
      {
        WORKFLOWS_SNAPSHOT_TARGETS: '{}',
        WORKFLOWS_ITERATIONS_PER_EXECUTION: '3',
        WORKFLOWS_RESTART_WITH: restartWith,
        ...('loop' in loop ? { WORKFLOWS_LOOP: loop.loop, WORKFLOWS_BATCH_CALLS: '1' } : {}),
      },
    ]),
  ),
  record: async (artifacts) => {
    const calls: Attributed[] = [];
    const deploys = Object.keys(DEPLOYS) as Deploy[];
    for (const deploy of deploys) {
      const stack = artifacts(deploy);
      const machine = stack.stateMachines['continue-as-new'];
      const chain = await runContinueAsNewChain(stack, { input: job, rootName: 'nightly' });
      const taken = await runContinueAsNewChain(stack, { input: job, rootName: 'weekly', existing: [{ name: 'weekly-g1', input: { state: job.state } }] });
      const ended = chain.executions.map((e) => e.status).join(', ');
      if (ended !== 'SUCCEEDED, SUCCEEDED' || taken.executions[0].error !== 'SuccessorNameTaken') {
        throw new Error(`the ${deploy} deploy: the chain ended ${ended} and the taken name ${taken.executions[0].error}; the cases expect two SUCCEEDED and SuccessorNameTaken`);
      }
      for (const run of [chain, taken]) calls.push(...attribute(deploy, run.stepFunctionsLog), ...workInvocations(deploy, stack, machine, run));
      // An execution started before a switch of restartWith or loop keeps the other deploy's definition, and runs under this deploy's roles, functions and batch machine.
      for (const before of deploys.filter((d) => d !== deploy)) {
        const other = artifacts(before).stateMachines['continue-as-new'];
        const switched = { ...stack, stateMachines: { ...stack.stateMachines, 'continue-as-new': other } };
        const run = await runContinueAsNewChain(switched, { input: job, rootName: `from-${before}` });
        if (!run.executions.every((e) => e.status === 'SUCCEEDED')) {
          throw new Error(`the ${deploy} deploy running a chain started under the ${before} deploy ended ${run.executions.map((e) => e.status).join(', ')}; the cases expect every execution SUCCEEDED`);
        }
        calls.push(...attribute(deploy, run.stepFunctionsLog), ...workInvocations(deploy, stack, other, run));
      }
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
