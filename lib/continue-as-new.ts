import * as path from 'node:path';
import { Construct } from 'constructs';
import { AslStateMachine, type WorkflowLogging } from './asl-state-machine';
import { Arns } from './arns';
import { continueAsNewBudget, DEFAULT_MAX_GENERATIONS, DEFINITION_FILES, MAX_GENERATIONS_LIMIT, type RestartWith } from './definitions';
import type { LoopBudget } from './history-budget';
import type { PolicyStatement } from './iam';
import { NodejsFunction } from './nodejs-function';
import { LAMBDAS_DIR } from './paths';
import { ValidationError } from './validation-error';

export const DEFAULT_WORK_ENTRY = path.join(LAMBDAS_DIR, 'work.ts');

export interface ContinueAsNewProps {
  /** Names the state machine; its functions are `<name>-check-input`, `<name>-work` and `<name>-restart`. */
  readonly name: string;
  readonly arns: Arns;
  readonly logging: WorkflowLogging;
  /** The work handler's entry file, exporting `handler` (a `WorkHandler`). @default lambdas/work.ts */
  readonly workEntry?: string;
  /** @default 60 */
  readonly workTimeoutSeconds?: number;
  /** @default 256 */
  readonly workMemoryMb?: number;
  /** What the work may call besides writing its logs; more with `addToWorkRolePolicy`. @default nothing */
  readonly workStatements?: readonly PolicyStatement[];
  /** Work calls per execution before the next execution takes over. @default the most the history budget allows */
  readonly iterationsPerExecution?: number;
  /** Executions one chain may run; the one after that stops at once with GenerationCapReached. @default 1000 */
  readonly maxGenerations?: number;
  /** How an execution starts its successor: Step Functions' StartExecution integration, or the seed's restart function. @default 'integration' */
  readonly restartWith?: RestartWith;
}

/**
 * A state machine that calls one work function in a loop, carrying the state it returns, and
 * continues in a fresh execution of itself before one execution's history could reach its
 * quota — until the work says it is done. A second job is a second `new ContinueAsNew`.
 */
export class ContinueAsNew extends Construct {
  readonly stateMachine: AslStateMachine;
  readonly workFunction: NodejsFunction;
  /** The loop's history budget, derived from the definition. */
  readonly budget: LoopBudget;
  readonly iterationsPerExecution: number;
  /** What to start an execution with: the work starts from a null state. */
  readonly exampleInput: Record<string, never> = {};

  constructor(scope: Construct, id: string, props: ContinueAsNewProps) {
    super(scope, id);
    const { arns, logging, name } = props;
    const restartWith = props.restartWith ?? 'integration';
    const maxGenerations = props.maxGenerations ?? DEFAULT_MAX_GENERATIONS;
    if (!Number.isInteger(maxGenerations) || maxGenerations < 1 || maxGenerations > MAX_GENERATIONS_LIMIT) {
      throw new ValidationError(this, `maxGenerations ${maxGenerations} must be a whole number from 1 to ${MAX_GENERATIONS_LIMIT}`);
    }
    this.budget = continueAsNewBudget(restartWith);
    this.iterationsPerExecution = props.iterationsPerExecution ?? this.budget.maxIterations;
    if (!Number.isInteger(this.iterationsPerExecution) || this.iterationsPerExecution < 1 || this.iterationsPerExecution > this.budget.maxIterations) {
      throw new ValidationError(
        this,
        `iterationsPerExecution ${this.iterationsPerExecution} must be a whole number from 1 to ${this.budget.maxIterations}: ` +
          `${this.budget.eventsPerIteration} history events per iteration and ${this.budget.fixedEvents} besides must stay within ${this.budget.budget}`,
      );
    }
    const executions = arns.executions(name);
    const shared = { arns, logRetentionDays: logging.logRetentionDays };

    const checkInput = new NodejsFunction(this, 'check-input', {
      ...shared,
      functionName: `${name}-check-input`,
      entry: path.join(LAMBDAS_DIR, 'check-input.ts'),
      environment: { MAX_GENERATIONS: String(maxGenerations) },
      statements: [{ Sid: 'ReadOwnExecutions', Effect: 'Allow', Action: ['states:DescribeExecution'], Resource: [executions] }],
    });
    this.workFunction = new NodejsFunction(this, 'work', {
      ...shared,
      functionName: `${name}-work`,
      entry: props.workEntry ?? DEFAULT_WORK_ENTRY,
      wrapper: { module: path.join(LAMBDAS_DIR, 'shared', 'work-runtime.ts'), exportName: 'runWork' },
      timeoutSeconds: props.workTimeoutSeconds ?? 60,
      memorySize: props.workMemoryMb ?? 256,
      statements: props.workStatements,
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
            environment: { STATE_MACHINE_ARN: arns.stateMachine(name) },
            statements: startOwnSuccessor,
          })
        : undefined;

    this.stateMachine = new AslStateMachine(this, 'workflow', {
      stateMachineName: name,
      definitionFiles: DEFINITION_FILES.continueAsNew(restartWith),
      values: {
        CheckInputFunctionName: checkInput.functionName,
        CheckInputTaskTimeoutSeconds: checkInput.taskTimeoutSeconds,
        WorkFunctionName: this.workFunction.functionName,
        WorkTaskTimeoutSeconds: this.workFunction.taskTimeoutSeconds,
        IterationsPerExecution: this.iterationsPerExecution,
        ...(restart
          ? { RestartFunctionName: restart.functionName, RestartTaskTimeoutSeconds: restart.taskTimeoutSeconds }
          : { StateMachineName: name }),
      },
      invokes: [checkInput, this.workFunction, ...(restart ? [restart] : [])],
      statements: restart ? [] : startOwnSuccessor,
      arns,
      logging,
    });
  }

  /** Lets the work function call more: the statement joins its role's policy. */
  addToWorkRolePolicy(statement: PolicyStatement): void {
    this.workFunction.addToRolePolicy(statement);
  }
}
