import * as path from 'node:path';
import { Construct } from 'constructs';
import { CHECK_INPUT_ENVIRONMENT, RESTART_ENVIRONMENT } from '../../../lambdas/shared/handler-environments';
import { AslStateMachine } from '../../core/asl-state-machine';
import { JOB_DEFAULTS, KIND, MAX_EXPRESS_WORK_TIMEOUT_SECONDS, type LoopMode, type RestartWith } from './defaults';
import { batchStatements, ExpressBatches } from './express-batches';
import { worstCaseEvents, type LoopBudget } from '../../core/history-budget';
import type { PolicyStatement } from '../../core/iam';
import { NodejsFunction } from '../../core/nodejs-function';
import { LAMBDAS_DIR, PROJECT_DIR, projectRelative } from '../../core/paths';
import { StackWorkflows } from '../../core/stack-workflows';
import { ValidationError } from '../../core/validation-error';
import { continueAsNewBudget, definitionFiles, handoverValues } from './definitions';
import { jobProblem, jobSettingProblem } from './settings';
import { DEFAULT_JOB, type PrimeCount } from '../../../lambdas/work';
import type { ContinueAsNewLocalRun } from './local-run';

/**
 * The example work's job cut to a few work calls: the state a local run (`npm run simulate`)
 * starts the example with. Kept here, not in lambdas/work.ts, so the work's zip is unchanged.
 */
const SHORT_JOB: PrimeCount = { ...DEFAULT_JOB, limit: 20_000, batch: 1000 };

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
  /**
   * How an execution starts its successor: Step Functions' StartExecution integration, or a restart
   * function (deployed in both modes, so a switch never deletes what a running execution calls). @default 'integration'
   */
  readonly restartWith?: RestartWith;
  /**
   * How the work is called: a Standard Task per call, or in batches on an Express state machine
   * `<name>-batch`, far cheaper for many short calls (the batch machine is deployed in both modes
   * while workTimeoutSeconds allows a batch, so a switch never deletes what a running execution starts). @default 'standard'
   */
  readonly loop?: LoopMode;
  /** With `loop: 'express'`, at most this many work calls per batch. @default no cap but the batch's time budget */
  readonly batchCalls?: number;
}

/**
 * A state machine that calls one work function in a loop, carrying the state it returns, and
 * continues in a fresh execution of itself before one execution's history could reach its
 * quota — until the work says it is done. A second job is a second `new ContinueAsNew(stack, '<job>', {...})`.
 */
export class ContinueAsNew extends Construct {
  readonly stateMachine: AslStateMachine;
  /**
   * The Express machine each batch of `loop: 'express'` runs on; deployed in either loop mode while
   * the work's timeout allows a batch (at most MAX_EXPRESS_WORK_TIMEOUT_SECONDS), idle with `standard`.
   */
  readonly batches?: ExpressBatches;
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
    // The rules configuration checks a job's settings with, here for a job added in code: one definition each.
    for (const key of ['maxGenerations', 'batchCalls'] as const) {
      const problem = props[key] === undefined ? undefined : jobSettingProblem(key, props[key]);
      if (problem) throw new ValidationError(this, `${key} ${props[key]} ${problem}`);
    }
    const maxGenerations = props.maxGenerations ?? JOB_DEFAULTS.maxGenerations;
    const loop = props.loop ?? JOB_DEFAULTS.loop;
    const workTimeoutSeconds = props.workTimeoutSeconds ?? JOB_DEFAULTS.workTimeoutSeconds;
    this.budget = continueAsNewBudget(restartWith, loop);
    this.iterationsPerExecution = props.iterationsPerExecution ?? this.budget.maxIterations;
    // Before anything is bundled: what keeps a batch from running a whole call, or from stopping, or a chain from fitting its history.
    const job = { loop, batchCalls: props.batchCalls, workTimeoutSeconds, iterationsPerExecution: this.iterationsPerExecution, restartWith };
    const broken = jobProblem(job);
    if (broken) {
      throw new ValidationError(this, `${broken.setting} ${job[broken.setting as keyof typeof job]} ${broken.problem}; ${broken.because.map((key) => `${key} is ${job[key as keyof typeof job]}`).join(', ')}`);
    }
    const workEntry = path.resolve(PROJECT_DIR, props.workEntry ?? JOB_DEFAULTS.workEntry);
    const executions = arns.executions(name);
    const shared = { arns, logRetentionDays: logging.logRetentionDays };

    const checkInput = new NodejsFunction(this, 'check-input', {
      ...shared,
      functionName: `${name}-check-input`,
      entry: path.join(LAMBDAS_DIR, KIND, 'check-input.ts'),
      environment: CHECK_INPUT_ENVIRONMENT.write({ maxGenerations, loop: loop === 'express' ? 'express' : undefined }),
      statements: [{ Sid: 'ReadOwnExecutions', Effect: 'Allow', Action: ['states:DescribeExecution'], Resource: [executions] }],
    });
    this.workFunction = new NodejsFunction(this, 'work', {
      ...shared,
      functionName: `${name}-work`,
      entry: workEntry,
      wrapper: { module: path.join(LAMBDAS_DIR, KIND, 'work-runtime.ts'), exportName: 'runWork' },
      timeoutSeconds: workTimeoutSeconds,
      memorySize: props.workMemoryMb ?? JOB_DEFAULTS.workMemoryMb,
      addedStatements: props.workPolicyStatements,
    });
    const startOwnSuccessor: PolicyStatement[] = [
      { Sid: 'StartOwnStateMachine', Effect: 'Allow', Action: ['states:StartExecution'], Resource: [arns.stateMachine(name)] },
      { Sid: 'ReadOwnExecutions', Effect: 'Allow', Action: ['states:DescribeExecution'], Resource: [executions] },
    ];
    // Deployed in either restart mode: an execution started before a switch to the integration still calls it.
    const restartFunction = new NodejsFunction(this, 'restart', {
      ...shared,
      functionName: `${name}-restart`,
      entry: path.join(LAMBDAS_DIR, KIND, 'restart.ts'),
      environment: RESTART_ENVIRONMENT.write({ stateMachineArn: arns.stateMachine(name) }),
      statements: startOwnSuccessor,
    });
    const restart = restartWith === 'function' ? restartFunction : undefined;

    const workValues = { WorkFunctionName: this.workFunction.functionName, WorkTaskTimeoutSeconds: this.workFunction.taskTimeoutSeconds };
    // Deployed in either loop mode while a batch can hold a work call: an execution started before a switch to
    // `standard` still starts batches. A longer timeout rules `express` out, so no execution of this deploy's
    // settings can have started one (scripts/ci/plan-summary.ts says what a timeout raised in the same deploy does).
    const batches =
      workTimeoutSeconds <= MAX_EXPRESS_WORK_TIMEOUT_SECONDS
        ? new ExpressBatches(this, 'batch', { jobName: name, workFunction: this.workFunction, batchCalls: props.batchCalls, arns, logging })
        : undefined;
    this.batches = batches;
    const express = loop === 'express' ? batches : undefined;

    this.stateMachine = new AslStateMachine(this, 'workflow', {
      stateMachineName: name,
      definitionFiles: definitionFiles(restartWith, loop),
      values: {
        CheckInputFunctionName: checkInput.functionName,
        CheckInputTaskTimeoutSeconds: checkInput.taskTimeoutSeconds,
        IterationsPerExecution: this.iterationsPerExecution,
        ...handoverValues(this.budget),
        // With batches too: WorkAgain calls the work once more when a batch's call failed.
        ...workValues,
        ...express?.jobValues,
        ...(restart
          ? { RestartFunctionName: restart.functionName, RestartTaskTimeoutSeconds: restart.taskTimeoutSeconds }
          : { StateMachineName: name }),
      },
      // What any loop and restart mode of this job calls, whichever this deploy uses: an execution keeps the
      // definition it started with but runs under this role, rewritten in place by every deploy.
      invokes: [checkInput, this.workFunction, restartFunction],
      statements: [...startOwnSuccessor, ...batchStatements(arns, name)],
      arns,
      logging,
    });
    workflows.register(this, {
      workflowId: id,
      kind: KIND,
      stateMachine: this.stateMachine,
      exampleInput: this.exampleInput,
      worstCaseHistoryEvents: worstCaseEvents(this.budget, this.iterationsPerExecution),
      manifest: {
        // Present whenever the batch machine is deployed, in either loop mode: tools tell an Express job by `localRun.loop`.
        otherStateMachines: batches ? { batch: batches.stateMachine.stateMachineName } : undefined,
        functions: { checkInput: checkInput.functionName, work: this.workFunction.functionName, restart: restartFunction.functionName },
        localRun: {
          workEntry: projectRelative(workEntry),
          loop,
          restartWith,
          batchCalls: props.batchCalls,
          iterationsPerExecution: this.iterationsPerExecution,
          // Only the example work is known to take this state; work of yours starts from its own null state.
          exampleState: workEntry === path.join(LAMBDAS_DIR, 'work.ts') ? SHORT_JOB : undefined,
        } satisfies ContinueAsNewLocalRun,
      },
    });
  }

  /** Lets the work function call more: the statement joins its role's policy, held to the statement rules (lib/core/statement-rules.ts) at synth. */
  addToWorkRolePolicy(statement: PolicyStatement): void {
    this.workFunction.addToRolePolicy(statement);
  }
}

