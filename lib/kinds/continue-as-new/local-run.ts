import type { WorkflowsConfig } from '../../config/settings';
import type { LoopMode, RestartWith } from './defaults';
import { runContinueAsNewChain } from './simulation';
import { count, jsonFlag, printStates, summary, UsageError, wholeNumber, type LocalRun } from '../../../simulator/local-run';

/** What a local run of a continue-as-new job needs besides its definition and zips: its construct writes it into the manifest. */
export interface ContinueAsNewLocalRun {
  /** The work function's entry, from the project root. */
  readonly workEntry: string;
  readonly loop: LoopMode;
  readonly restartWith: RestartWith;
  /** With loop express: at most this many work calls per batch; absent, no cap but the batch's time budget. */
  readonly batchCalls?: number;
  /** Work calls (batches, with loop express) per execution, as synthesized. */
  readonly iterationsPerExecution: number;
  /** A state that finishes in a few executions, when the work is the example (lambdas/work.ts); absent for work of yours. */
  readonly exampleState?: unknown;
}

interface ContinueAsNewOptions {
  /** Given: every configured job re-synthesized with this many work calls per execution; absent, each runs as deployed. */
  readonly iterations?: number;
  /** Given: the input state; else the example's short job, or null for work of yours. */
  readonly state?: unknown;
}

const batchCount = (n: number) => count(n, 'batch', 'batches');

/** Every configured job with `iterations` work calls per execution, so a short job spans several executions. */
function withIterations(config: WorkflowsConfig, iterations: number): WorkflowsConfig {
  // Loaded here, not at the top: only simulate's own synth (no --from) changes the configuration.
  const { iterationsProblem }: typeof import('./definitions') = require('./definitions');
  const jobs = Object.entries(config.jobs).map(([name, job]) => {
    const problem = iterationsProblem(iterations, job.restartWith, job.loop);
    if (problem) throw new UsageError(`--iterations ${iterations}: job ${name} ${problem}`);
    return [name, { ...job, iterationsPerExecution: iterations }];
  });
  return { ...config, jobs: Object.fromEntries(jobs) };
}

/** A continue-as-new job: each execution of the chain, the state carried to its successor, an Express loop's batches. */
export const continueAsNewRun: LocalRun<ContinueAsNewOptions> = {
  flags: {
    help: `jobs (continue-as-new):
  --iterations <n>           work calls (batches, for a job with loop express) per execution, e.g.
                             fewer, so a short job spans several executions (default: as deployed,
                             iterationsPerExecution; a job added in code keeps its own); simulate
                             synthesizes for it, so not with --from, which runs what was synthesized
  --state <json>             the input state (default: null, what a work of yours gets first when
                             started without one; for the example work, lambdas/work.ts,
                             {"next":2,"limit":20000,"batch":1000,"primes":0})`,
    options: { iterations: { type: 'string' }, state: { type: 'string' } },
    read: (values) => ({ iterations: wholeNumber('iterations', values.iterations, undefined, 1), state: jsonFlag('state', values.state) }),
    resynthesize: { flags: ['iterations'], configure: (config, options) => (options.iterations === undefined ? config : withIterations(config, options.iterations)) },
  },
  run: async ({ artifacts, machine, deployed, options, quiet, print }) => {
    const job = machine.workflow.localRun as ContinueAsNewLocalRun;
    const state = options.state !== undefined ? options.state : (job.exampleState ?? null);
    const express = job.loop === 'express';
    const [unit, units] = express ? ['batch', 'batches'] : ['work call', 'work calls'];
    const loop = express ? `, in batches on ${machine.workflow.stateMachines.batch} (Express, ${job.batchCalls === undefined ? 'no call cap' : `up to ${count(job.batchCalls, 'call')}`})` : '';
    const deployedIterations = (deployed.localRun as ContinueAsNewLocalRun).iterationsPerExecution;
    print(
      `${machine.workflowId}: work ${job.workEntry}${loop}, restart with the ${job.restartWith}, ${count(job.iterationsPerExecution, unit, units)} per execution (deployed: ${deployedIterations}), state ${JSON.stringify(state)}`,
    );
    const chain = await runContinueAsNewChain(artifacts, { workflowId: machine.workflowId, input: { state }, onState: printStates(quiet, print) });
    for (const [generation, execution] of chain.executions.entries()) {
      const batches = chain.batches.filter((batch) => batch.startedBy === execution.arn);
      const workCalls = (batches.length > 0 ? batches.map((batch) => batch.execution) : [execution]).flatMap((e) => e.states).filter((s) => s === 'Work').length;
      const inBatches = batches.length > 0 ? ` in ${batchCount(batches.length)}` : '';
      print(`  generation ${generation}  ${summary(execution)}, ${count(workCalls, 'work call')}${inBatches}`);
      const successor = chain.started.find((e) => (e.input as { lineage?: { parentExecutionArn?: string } }).lineage?.parentExecutionArn === execution.arn);
      if (successor) print(`    carried to ${successor.name}: ${JSON.stringify((successor.input as { state: unknown }).state)}`);
    }
    const [batch] = chain.batches;
    if (batch) {
      print(`  ${batchCount(chain.batches.length)}, each an execution of ${batch.stateMachine.name} (${batch.stateMachine.type}) started with ${batch.startedWith}`);
    }
    const last = chain.executions.at(-1);
    if (last?.status === 'SUCCEEDED') print(`  done after ${count(chain.executions.length, 'execution')}: ${JSON.stringify((last.output as { state: unknown }).state)}`);
    return chain.executions;
  },
};
