import * as path from 'node:path';
import { Construct } from 'constructs';
import { CHECK_INPUT_ENVIRONMENT, RESTART_ENVIRONMENT } from '../lambdas/shared/handler-environments';
import type { Arns } from './arns';
import { AslStateMachine } from './asl-state-machine';
import {
  batchSecondsFor,
  iterationsProblem,
  JOB_DEFAULTS,
  MAX_EXPRESS_WORK_TIMEOUT_SECONDS,
  MAX_GENERATIONS_LIMIT,
  type LoopMode,
  type RestartWith,
} from './continue-as-new-defaults';
import { continueAsNewBudget, DEFINITION_FILES } from './definitions';
import type { LoopBudget } from './history-budget';
import type { PolicyStatement } from './iam';
import { NodejsFunction } from './nodejs-function';
import { LAMBDAS_DIR, PROJECT_DIR } from './paths';
import { TRANSIENT_ERRORS } from './retry-policies';
import { StackWorkflows } from './stack-workflows';
import { ValidationError } from './validation-error';

export interface ContinueAsNewProps {
  /** Names the state machine; its functions are `<name>-check-input`, `<name>-work` and `<name>-restart`. @default `<namePrefix>-<id>` */
  readonly name?: string;
  /** The work handler's entry file, exporting `handler` (a `WorkHandler`), from the project root or absolute. @default lambdas/work.ts */
  readonly workEntry?: string;
  /** Timeout of one work call. @default 60 */
  readonly workTimeoutSeconds?: number;
  /** @default 256 */
  readonly workMemoryMb?: number;
  /** What the work may call besides writing its logs; more with `addToWorkRolePolicy`. @default nothing */
  readonly workPolicyStatements?: readonly PolicyStatement[];
  /** Work calls per execution (batches, with `loop: 'express'`) before the next execution takes over. @default the most the history budget allows */
  readonly iterationsPerExecution?: number;
  /** Executions one chain may run; the one after that stops at once with GenerationCapReached. @default 1000 */
  readonly maxGenerations?: number;
  /** How an execution starts its successor: Step Functions' StartExecution integration, or a restart function. @default 'integration' */
  readonly restartWith?: RestartWith;
  /**
   * How the work is called: a Standard Task per call, or in batches on an Express state machine
   * `<name>-batch`, far cheaper for many short calls. @default 'standard'
   */
  readonly loop?: LoopMode;
  /** With `loop: 'express'`, at most this many work calls per batch. @default no cap but the batch's time budget */
  readonly batchCalls?: number;
}

/** The batch machine's name beside its job's. */
const BATCH_SUFFIX = '-batch';
const MAX_STATE_MACHINE_NAME = 80;

/**
 * A state machine that calls one work function in a loop, carrying the state it returns, and
 * continues in a fresh execution of itself before one execution's history could reach its
 * quota — until the work says it is done. A second job is a second `new ContinueAsNew(stack, '<job>', {...})`.
 */
export class ContinueAsNew extends Construct {
  readonly stateMachine: AslStateMachine;
  /** With `loop: 'express'`: the Express machine each batch runs on. */
  readonly batchStateMachine?: AslStateMachine;
  readonly workFunction: NodejsFunction;
  /** The loop's history budget, derived from the definition. */
  readonly budget: LoopBudget;
  readonly iterationsPerExecution: number;
  /** What to start an execution with: the work starts from a null state. */
  readonly exampleInput: Record<string, never> = {};

  constructor(scope: Construct, id: string, props: ContinueAsNewProps = {}) {
    super(scope, StackWorkflows.freeId(scope, id));
    const workflows = StackWorkflows.of(this);
    const { arns, logging } = workflows;
    const name = workflows.nameFor(id, props.name);
    const restartWith = props.restartWith ?? JOB_DEFAULTS.restartWith;
    const maxGenerations = props.maxGenerations ?? JOB_DEFAULTS.maxGenerations;
    if (!Number.isInteger(maxGenerations) || maxGenerations < 1 || maxGenerations > MAX_GENERATIONS_LIMIT) {
      throw new ValidationError(this, `maxGenerations ${maxGenerations} must be a whole number from 1 to ${MAX_GENERATIONS_LIMIT}`);
    }
    const loop = props.loop ?? JOB_DEFAULTS.loop;
    const workTimeoutSeconds = props.workTimeoutSeconds ?? JOB_DEFAULTS.workTimeoutSeconds;
    checkLoop(this, name, loop, props.batchCalls, workTimeoutSeconds);
    this.budget = continueAsNewBudget(restartWith, loop);
    this.iterationsPerExecution = props.iterationsPerExecution ?? this.budget.maxIterations;
    const tooMany = iterationsProblem(this.iterationsPerExecution, restartWith, loop);
    if (tooMany) throw new ValidationError(this, `iterationsPerExecution ${this.iterationsPerExecution} ${tooMany}`);
    const executions = arns.executions(name);
    const shared = { arns, logRetentionDays: logging.logRetentionDays };

    const checkInput = new NodejsFunction(this, 'check-input', {
      ...shared,
      functionName: `${name}-check-input`,
      entry: path.join(LAMBDAS_DIR, 'check-input.ts'),
      environment: CHECK_INPUT_ENVIRONMENT.write({ maxGenerations }),
      statements: [{ Sid: 'ReadOwnExecutions', Effect: 'Allow', Action: ['states:DescribeExecution'], Resource: [executions] }],
    });
    this.workFunction = new NodejsFunction(this, 'work', {
      ...shared,
      functionName: `${name}-work`,
      entry: path.resolve(PROJECT_DIR, props.workEntry ?? JOB_DEFAULTS.workEntry),
      wrapper: { module: path.join(LAMBDAS_DIR, 'shared', 'work-runtime.ts'), exportName: 'runWork' },
      timeoutSeconds: workTimeoutSeconds,
      memorySize: props.workMemoryMb ?? JOB_DEFAULTS.workMemoryMb,
      statements: props.workPolicyStatements,
    });
    const startOwnSuccessor: PolicyStatement[] = [
      { Sid: 'StartOwnStateMachine', Effect: 'Allow', Action: ['states:StartExecution'], Resource: [arns.stateMachine(name)] },
      { Sid: 'ReadOwnExecutions', Effect: 'Allow', Action: ['states:DescribeExecution'], Resource: [executions] },
    ];
    const restart =
      restartWith === 'function'
        ? new NodejsFunction(this, 'restart', {
            ...shared,
            functionName: `${name}-restart`,
            entry: path.join(LAMBDAS_DIR, 'restart.ts'),
            environment: RESTART_ENVIRONMENT.write({ stateMachineArn: arns.stateMachine(name) }),
            statements: startOwnSuccessor,
          })
        : undefined;

    const workValues = { WorkFunctionName: this.workFunction.functionName, WorkTaskTimeoutSeconds: this.workFunction.taskTimeoutSeconds };
    if (loop === 'express') {
      const batchSeconds = batchSecondsFor(this.workFunction.taskTimeoutSeconds);
      this.batchStateMachine = new AslStateMachine(this, 'batch', {
        stateMachineName: `${name}${BATCH_SUFFIX}`,
        type: 'EXPRESS',
        definitionFiles: DEFINITION_FILES.batch(),
        values: {
          ...workValues,
          BatchLimits: props.batchCalls === undefined ? { seconds: batchSeconds } : { seconds: batchSeconds, maxCalls: props.batchCalls },
          TransientErrors: TRANSIENT_ERRORS,
        },
        invokes: [this.workFunction],
        arns,
        logging,
      });
    }
    const batch = this.batchStateMachine;

    this.stateMachine = new AslStateMachine(this, 'workflow', {
      stateMachineName: name,
      definitionFiles: DEFINITION_FILES.continueAsNew(restartWith, loop),
      values: {
        CheckInputFunctionName: checkInput.functionName,
        CheckInputTaskTimeoutSeconds: checkInput.taskTimeoutSeconds,
        IterationsPerExecution: this.iterationsPerExecution,
        ...(batch
          ? { BatchStateMachineName: batch.stateMachineName, BatchTaskTimeoutSeconds: EXPRESS_TASK_TIMEOUT_SECONDS }
          : workValues),
        ...(restart
          ? { RestartFunctionName: restart.functionName, RestartTaskTimeoutSeconds: restart.taskTimeoutSeconds }
          : { StateMachineName: name }),
      },
      invokes: [checkInput, ...(batch ? [] : [this.workFunction]), ...(restart ? [restart] : [])],
      statements: [...(restart ? [] : startOwnSuccessor), ...(batch ? runBatches(arns, batch.stateMachineName) : [])],
      arns,
      logging,
    });
    workflows.register(this, {
      workflowId: id,
      kind: 'continue-as-new',
      stateMachine: this.stateMachine,
      exampleInput: this.exampleInput,
      worstCaseHistoryEvents: this.budget.fixedEvents + this.iterationsPerExecution * this.budget.eventsPerIteration,
    });
  }

  /** Lets the work function call more: the statement joins its role's policy. */
  addToWorkRolePolicy(statement: PolicyStatement): void {
    this.workFunction.addToRolePolicy(statement);
  }
}

/** The job's machine waits on a batch for at most its 5 minutes and a margin. */
const EXPRESS_TASK_TIMEOUT_SECONDS = 360;

function checkLoop(scope: Construct, name: string, loop: LoopMode, batchCalls: number | undefined, workTimeoutSeconds: number): void {
  if (loop !== 'express') {
    if (batchCalls !== undefined) throw new ValidationError(scope, `batchCalls ${batchCalls} applies only with loop express; loop is ${loop}`);
    return;
  }
  if (batchCalls !== undefined && (!Number.isInteger(batchCalls) || batchCalls < 1)) {
    throw new ValidationError(scope, `batchCalls ${batchCalls} must be a whole number of at least 1`);
  }
  if (workTimeoutSeconds > MAX_EXPRESS_WORK_TIMEOUT_SECONDS) {
    throw new ValidationError(
      scope,
      `workTimeoutSeconds ${workTimeoutSeconds} is too long for loop express: a whole call must fit in a batch's 5 minutes with room to spare, so at most ${MAX_EXPRESS_WORK_TIMEOUT_SECONDS}`,
    );
  }
  if (`${name}${BATCH_SUFFIX}`.length > MAX_STATE_MACHINE_NAME) {
    throw new ValidationError(scope, `name ${name} is too long for loop express: its batch machine ${name}${BATCH_SUFFIX} must have at most ${MAX_STATE_MACHINE_NAME} characters`);
  }
}

/**
 * What `startExecution.sync:2` needs to run a batch: start the batch machine, follow and stop
 * its executions (in either ARN form: `execution:` and Express's `express:`), and the managed
 * rule through which Step Functions hears that a batch ended.
 */
function runBatches(arns: Arns, batchName: string): PolicyStatement[] {
  return [
    { Sid: 'StartOwnBatches', Effect: 'Allow', Action: ['states:StartExecution'], Resource: [arns.stateMachine(batchName)] },
    {
      Sid: 'FollowOwnBatches',
      Effect: 'Allow',
      Action: ['states:DescribeExecution', 'states:StopExecution'],
      Resource: [arns.executions(batchName), arns.expressExecutions(batchName)],
    },
    {
      Sid: 'HearBatchesEnd',
      Effect: 'Allow',
      Action: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
      Resource: [arns.eventRule('StepFunctionsGetEventsForStepFunctionsExecutionRule')],
    },
  ];
}
