import { FakeDynamoDb } from '../../../simulator/fake-dynamodb';
import type { DeployedStateMachine, StackArtifacts } from '../../../simulator/stack-artifacts';
import { type HandlerWrapper } from '../../../simulator/workflows';
import { runTaskWorkflow } from './simulation';
import { duration, jsonFlag, printStates, summary, wholeNumber, type LocalRun } from '../../../simulator/local-run';

/** What a local run of a task needs besides its definition and zips: its construct writes it into the manifest. */
export interface TaskLocalRun {
  /** The start and check functions' entries, from the project root. */
  readonly startEntry: string;
  readonly checkEntry: string;
}

interface TaskOptions {
  readonly input?: unknown;
  readonly exportPolls: number;
  readonly exportFails: boolean;
}

/**
 * The table the example export task, configured or added in code, is deployed to export (its
 * start function's environment), so simulate can answer its DynamoDB calls in memory; none for a task of yours.
 */
const exportTableOf = (artifacts: StackArtifacts, machine: DeployedStateMachine): string | undefined =>
  artifacts.functions.get(machine.workflow.functions.start)?.environment.EXPORT_TABLE_ARN;

/** The example export task's DynamoDB, in memory: its table exists, and the export runs for --export-polls checks. */
function exportExample(tableArn: string, options: TaskOptions, print: (line: string) => void): FakeDynamoDb {
  const end = options.exportFails ? 'FAILED' : 'COMPLETED';
  print(`  the example export of ${tableArn}, against an in-memory DynamoDB: IN_PROGRESS for ${options.exportPolls} checks, then ${end}`);
  return new FakeDynamoDb({
    tables: [{ arn: tableArn, itemCount: 1200 }],
    statuses: [...Array<'IN_PROGRESS'>(options.exportPolls).fill('IN_PROGRESS'), end],
    failure: { code: 'S3AccessDenied', message: 'Access Denied to the export bucket' },
  });
}

/** A long-running task: its start and check functions, each poll with its status, then the output. */
export const taskRun: LocalRun<TaskOptions> = {
  flags: {
    help: `tasks:
  --input <json>             the execution's input (default: {})
  --export-polls <n>         the example export task: checks that find the export IN_PROGRESS before it ends (default: 2)
  --export-fails             the example export task: the export ends FAILED instead of COMPLETED`,
    options: { input: { type: 'string' }, 'export-polls': { type: 'string' }, 'export-fails': { type: 'boolean' } },
    read: (values) => ({
      input: jsonFlag('input', values.input),
      exportPolls: wholeNumber('export-polls', values['export-polls'], 2, 0),
      exportFails: values['export-fails'] === true,
    }),
  },
  run: async ({ artifacts, machine, options, quiet, print }) => {
    const { startEntry, checkEntry } = machine.workflow.localRun as TaskLocalRun;
    const input = options.input ?? {};
    print(`${machine.workflowId}: start ${startEntry}, check ${checkEntry}, input ${JSON.stringify(input)}`);
    const report: HandlerWrapper = (state, handler) =>
      state !== 'CheckTask'
        ? handler
        : async (event) => {
            const { poll, waitedSeconds } = event as { poll: number; waitedSeconds: number };
            const result = (await handler(event).catch((error: Error) => {
              print(`  poll ${poll} after ${duration(waitedSeconds)}: ${error.name}`);
              throw error;
            })) as { status: string };
            print(`  poll ${poll} after ${duration(waitedSeconds)}: ${result.status}`);
            return result;
          };
    const exportTable = exportTableOf(artifacts, machine);
    const dynamodb = exportTable === undefined ? undefined : exportExample(exportTable, options, print);
    try {
      const execution = await runTaskWorkflow(artifacts, { workflowId: machine.workflowId, input, onState: printStates(quiet, print), wrapHandler: report });
      print(`  ${summary(execution)}`);
      if (execution.status === 'SUCCEEDED') print(`  output: ${JSON.stringify(execution.output)}`);
      return [execution];
    } finally {
      dynamodb?.restore();
    }
  },
};
