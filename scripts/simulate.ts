import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, pollSchedule, readContext } from '../lib/config';
import type { WorkflowsConfig } from '../lib/settings';
import { pollWaits } from '../lib/history-budget';
import type { ExecutionResult } from '../simulator/run-execution';
import { withSynthesizedStack } from '../simulator/synthesize';
import { runContinueAsNewChain, runSnapshotWorkflow } from '../simulator/workflows';

const HELP = `Runs both workflows locally: the rendered definitions and the bundled handlers of a fresh
synth, in aws-local-stepfunctions, against in-memory RDS and Step Functions. No AWS account.

Usage: npm run simulate -- [options]

  --workflow <name>          continue-as-new, rds-snapshot or both (default: both)
  --threshold <n>            loop iterations per continue-as-new execution (default: 5)
  --restarts <n>             restarts, so n + 1 executions in the chain (default: 2)
  --snapshot-minutes <n>     how long the snapshot stays "creating" (default: 10)
  --snapshot-fails           the snapshot ends "failed" instead of "available"
  --quiet                    print only the summaries, not each state
  --help                     show this help

Other settings (poll interval, cap, maximum wait, names) come from the WORKFLOWS_* environment
variables and cdktf.json context, as for synth.`;

class UsageError extends Error {}

interface Options {
  readonly workflows: readonly ('continue-as-new' | 'rds-snapshot')[];
  readonly threshold: number;
  readonly restarts: number;
  readonly snapshotMinutes: number;
  readonly snapshotFails: boolean;
  readonly quiet: boolean;
}

function wholeNumber(flag: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min) throw new UsageError(`--${flag} must be a whole number >= ${min}, got "${raw}"`);
  return Number(raw);
}

function parseOptions(argv: string[]): Options | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        workflow: { type: 'string' },
        threshold: { type: 'string' },
        restarts: { type: 'string' },
        'snapshot-minutes': { type: 'string' },
        'snapshot-fails': { type: 'boolean' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.help) return undefined;
  const workflow = parsed.workflow ?? 'both';
  if (!['continue-as-new', 'rds-snapshot', 'both'].includes(workflow)) {
    throw new UsageError(`--workflow must be continue-as-new, rds-snapshot or both, got "${workflow}"`);
  }
  return {
    workflows: workflow === 'both' ? ['continue-as-new', 'rds-snapshot'] : [workflow as 'continue-as-new' | 'rds-snapshot'],
    threshold: wholeNumber('threshold', parsed.threshold, 5, 1),
    restarts: wholeNumber('restarts', parsed.restarts, 2, 0),
    snapshotMinutes: wholeNumber('snapshot-minutes', parsed['snapshot-minutes'], 10, 0),
    snapshotFails: parsed['snapshot-fails'] ?? false,
    quiet: parsed.quiet ?? false,
  };
}

function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h ? `${h}h` : '', m ? `${m}m` : '', `${s}s`].filter(Boolean).join(' ');
}

function summary(execution: ExecutionResult): string {
  const outcome = execution.status === 'SUCCEEDED' ? 'SUCCEEDED' : `FAILED ${execution.error}: ${execution.cause}`;
  return (
    `${execution.name}: ${outcome}\n` +
    `    ${execution.states.length} states, ${execution.historyEvents} history events, ` +
    `${execution.stateTransitions} state transitions, simulated duration ${duration(execution.simulatedSeconds)}`
  );
}

/** How many "creating" answers a snapshot that takes `minutes` gets, polled on the configured schedule. */
function creatingPolls(config: WorkflowsConfig, minutes: number): number {
  const waits = pollWaits(pollSchedule(config));
  let waited = 0;
  let polls = 0;
  while (polls < waits.length && waited + waits[polls] < minutes * 60) waited += waits[polls++];
  return polls;
}

async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  if (!options) {
    console.log(HELP);
    return 0;
  }
  const config = loadConfig(
    { ...process.env, WORKFLOWS_LOOP_THRESHOLD: String(options.threshold), WORKFLOWS_RESTART_COUNT: String(options.restarts) },
    readContext(process.env),
  );
  return withSynthesizedStack(config, async (artifacts) => {
    const onState = options.quiet
      ? undefined
      : (() => {
          let step = 0;
          let current = '';
          return (execution: string, state: string) => {
            step = execution === current ? step + 1 : 1;
            current = execution;
            console.log(`  ${execution.padEnd(24)} ${String(step).padStart(4)}  ${state}`);
          };
        })();

    if (options.workflows.includes('continue-as-new')) {
      console.log(`continue-as-new: threshold ${options.threshold}, ${options.restarts} restarts`);
      const chain = await runContinueAsNewChain(artifacts, {
        input: { restart: { executionCount: options.restarts }, state: { job: 'simulated' } },
        onState,
      });
      chain.executions.forEach((execution, generation) => console.log(`  generation ${generation}  ${summary(execution)}`));
    }
    if (options.workflows.includes('rds-snapshot')) {
      const polls = creatingPolls(config, options.snapshotMinutes);
      const end = options.snapshotFails ? 'failed' : 'available';
      console.log(`rds-snapshot: snapshot "creating" for ${options.snapshotMinutes} min (${polls} polls), then "${end}"`);
      const { execution } = await runSnapshotWorkflow(artifacts, { statuses: [...Array(polls).fill('creating'), end], onState });
      console.log(`  ${summary(execution)}`);
    }
    return 0;
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) console.error(`${error.message}\n\nRun with --help for the options.`);
    else if (error instanceof ConfigError) console.error(error.message);
    else throw error;
    process.exit(2);
  },
);
