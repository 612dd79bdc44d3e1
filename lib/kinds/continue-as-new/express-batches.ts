import { Construct } from 'constructs';
import type { Arns } from '../../core/arns';
import { AslStateMachine, type WorkflowLogging } from '../../core/asl-state-machine';
import { batchSecondsFor, EXPRESS_TASK_TIMEOUT_SECONDS } from './defaults';
import type { PolicyStatement } from '../../core/iam';
import type { NodejsFunction } from '../../core/nodejs-function';
import type { AslValues } from '../../core/render-asl';
import { BATCH_DEFINITION_FILES, expressBatchBudget, handoverValues } from './definitions';

export interface ExpressBatchesProps {
  /** The job machine's name: the batch machine is `<jobName>-batch`. */
  readonly jobName: string;
  readonly workFunction: NodejsFunction;
  /** At most this many work calls per batch (checked by the job). @default no cap but the batch's time budget */
  readonly batchCalls?: number;
  readonly arns: Arns;
  readonly logging: WorkflowLogging;
}

const BATCH_SUFFIX = '-batch';

/** The batch machine's name for a job. */
export const batchMachineName = (jobName: string) => `${jobName}${BATCH_SUFFIX}`;

/**
 * What `startExecution.sync:2` needs: start the batch machine, follow and stop its executions
 * (in either ARN form: `execution:` and Express's `express:`), and the managed rule through
 * which Step Functions hears that a batch ended. Built from names, so a job's role can keep them
 * whichever loop mode this deploy uses.
 */
export function batchStatements(arns: Arns, jobName: string): PolicyStatement[] {
  const name = batchMachineName(jobName);
  return [
    { Sid: 'StartOwnBatches', Effect: 'Allow', Action: ['states:StartExecution'], Resource: [arns.stateMachine(name)] },
    { Sid: 'FollowOwnBatches', Effect: 'Allow', Action: ['states:DescribeExecution', 'states:StopExecution'], Resource: [arns.executions(name), arns.expressExecutions(name)] },
    {
      Sid: 'HearBatchesEnd',
      Effect: 'Allow',
      Action: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
      Resource: [arns.eventRule('StepFunctionsGetEventsForStepFunctionsExecutionRule')],
    },
  ];
}

/**
 * The Express state machine an `express` loop runs its batches on, and what the job's machine
 * needs to run them: the values its definition names and the statements its role needs.
 */
export class ExpressBatches extends Construct {
  readonly stateMachine: AslStateMachine;
  /** The job machine's placeholders for its Work step (asl/continue-as-new/continue-as-new.loop-express.asl.json). */
  readonly jobValues: AslValues;
  /**
   * What `startExecution.sync:2` needs: start the batch machine, follow and stop its executions
   * (in either ARN form: `execution:` and Express's `express:`), and the managed rule through
   * which Step Functions hears that a batch ended.
   */
  readonly jobStatements: readonly PolicyStatement[];

  constructor(scope: Construct, id: string, props: ExpressBatchesProps) {
    super(scope, id);
    const { arns, batchCalls, workFunction } = props;
    const name = batchMachineName(props.jobName);
    const seconds = batchSecondsFor(workFunction.taskTimeoutSeconds);
    const limits = batchCalls === undefined ? { seconds } : { seconds, maxCalls: batchCalls };
    this.stateMachine = new AslStateMachine(this, 'state-machine', {
      stateMachineName: name,
      type: 'EXPRESS',
      definitionFiles: BATCH_DEFINITION_FILES,
      values: {
        WorkFunctionName: workFunction.functionName,
        WorkTaskTimeoutSeconds: workFunction.taskTimeoutSeconds,
        BatchLimits: limits,
        ...handoverValues(expressBatchBudget()),
      },
      invokes: [workFunction],
      arns,
      logging: props.logging,
    });
    // The job's WorkAgain calls the work as one call of a batch: the same state limit.
    this.jobValues = { BatchStateMachineName: name, BatchTaskTimeoutSeconds: EXPRESS_TASK_TIMEOUT_SECONDS, BatchLimits: limits };
    this.jobStatements = batchStatements(arns, props.jobName);
  }
}
