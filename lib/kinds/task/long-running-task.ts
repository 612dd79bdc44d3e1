import * as path from 'node:path';
import { Construct } from 'constructs';
import { AslStateMachine } from '../../core/asl-state-machine';
import { pollingHistory, type PollSchedule } from '../../core/history-budget';
import type { PolicyStatement } from '../../core/iam';
import { KIND, TASK_DEFAULTS, TASK_DEFINITION_FILES, TASK_POLLING_STEP, TASK_SUCCESS_TAIL } from './defaults';
import { NodejsFunction } from '../../core/nodejs-function';
import type { StartSchedule } from '../../config/parse';
import { LAMBDAS_DIR, PROJECT_DIR, projectRelative } from '../../core/paths';
import { pollingBackstopSeconds, pollingBudget, pollingValues, pollScheduleOf, pollScheduleProblems } from '../../core/polling';
import { OVERLAP_CHECK_EVENTS, overlapCheck } from '../../core/overlap';
import { ScheduledStarts, skipsOverlap } from '../../core/scheduled-starts';
import { StackWorkflows } from '../../core/stack-workflows';
import { ValidationError } from '../../core/validation-error';
import type { TaskLocalRun } from './local-run';

export interface LongRunningTaskProps {
  /** Names the state machine; its functions are `<name>-start`, `<name>-check` (and `<name>-cancel`). @default `<namePrefix>-<id>` */
  readonly name?: string;
  /** Your start function's entry, exporting `handler` (a `TaskStartHandler`), from the project root or absolute. */
  readonly startEntry: string;
  /** Your check function's entry, exporting `handler` (a `TaskCheckHandler`). */
  readonly checkEntry: string;
  /** Your cancel function's entry, exporting `handler` (a `TaskCancelHandler`): `npm run runs -- stop` calls `<name>-cancel` with the run's handle. @default none (a stop leaves the external job running) */
  readonly cancelEntry?: string;
  /** What its functions (start, check, cancel) may call besides writing their logs; more with `addToRolePolicy`. @default nothing */
  readonly policyStatements?: readonly PolicyStatement[];
  /** Variables its functions get, such as the job's table or bucket. @default none */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default a first wait of 60 s, doubling to 300 s, giving up after 12 hours (TASK_DEFAULTS) */
  readonly polling?: PollSchedule;
  /** Timeout of one call of start, check or cancel. @default 60 */
  readonly timeoutSeconds?: number;
  /** Starts an execution, with the input `{}` (and the overlap mark, see `StartSchedule.overlap`), on this schedule. @default started by hand only */
  readonly schedule?: StartSchedule;
}

/**
 * A long-running job of yours on the polling machinery: the state machine calls your start
 * function once (at least once), then waits and calls your check function, backing off to a
 * capped interval, until check says the job succeeded (the output: the handle, the result and
 * the input), failed (`TaskFailed`), or it outlasts the maximum wait (`TaskTimeout`).
 */
export class LongRunningTask extends Construct {
  readonly stateMachine: AslStateMachine;
  readonly startFunction: NodejsFunction;
  readonly checkFunction: NodejsFunction;
  /** With `cancelEntry`: the function `npm run runs -- stop` calls; the state machine never does. */
  readonly cancelFunction?: NodejsFunction;
  readonly exampleInput: Record<string, never> = {};
  readonly schedules?: ScheduledStarts;

  constructor(scope: Construct, id: string, props: LongRunningTaskProps) {
    super(scope, StackWorkflows.freeId(scope, id));
    const workflows = StackWorkflows.of(this);
    const { arns, logging } = workflows;
    const name = workflows.nameFor(id, props.name);
    const polling = props.polling ?? pollScheduleOf(TASK_DEFAULTS);
    const [pollingProblem] = pollScheduleProblems(polling, TASK_SUCCESS_TAIL);
    if (pollingProblem) throw new ValidationError(this, `polling ${JSON.stringify(polling)}: ${pollingProblem.problem}`);

    const shared = {
      arns,
      logRetentionDays: logging.logRetentionDays,
      timeoutSeconds: props.timeoutSeconds ?? TASK_DEFAULTS.timeoutSeconds,
      addedStatements: props.policyStatements,
      environment: props.environment,
    };
    const runtime = path.join(LAMBDAS_DIR, KIND, 'task-runtime.ts');
    const startEntry = path.resolve(PROJECT_DIR, props.startEntry);
    const checkEntry = path.resolve(PROJECT_DIR, props.checkEntry);
    this.startFunction = new NodejsFunction(this, 'start', {
      ...shared,
      functionName: `${name}-start`,
      entry: startEntry,
      wrapper: { module: runtime, exportName: 'runStart' },
    });
    this.checkFunction = new NodejsFunction(this, 'check', {
      ...shared,
      functionName: `${name}-check`,
      entry: checkEntry,
      wrapper: { module: runtime, exportName: 'runCheck' },
    });
    if (props.cancelEntry !== undefined) {
      this.cancelFunction = new NodejsFunction(this, 'cancel', {
        ...shared,
        functionName: `${name}-cancel`,
        entry: path.resolve(PROJECT_DIR, props.cancelEntry),
        wrapper: { module: runtime, exportName: 'runCancel' },
      });
    }

    // A schedule that skips while its last run still runs: the definition checks first.
    const overlap = props.schedule && skipsOverlap([props.schedule]) ? overlapCheck(name, 'StartTask', arns) : undefined;
    this.stateMachine = new AslStateMachine(this, 'workflow', {
      stateMachineName: name,
      definitionFiles: [...TASK_DEFINITION_FILES, ...(overlap?.files ?? [])],
      statements: overlap?.statements,
      values: {
        ...overlap?.values,
        StartFunctionName: this.startFunction.functionName,
        StartTaskTimeoutSeconds: this.startFunction.taskTimeoutSeconds,
        CheckFunctionName: this.checkFunction.functionName,
        CheckTaskTimeoutSeconds: this.checkFunction.taskTimeoutSeconds,
        ...pollingValues(polling, TASK_POLLING_STEP, pollingBudget(TASK_DEFINITION_FILES, TASK_POLLING_STEP)),
        ExecutionTimeoutSeconds: pollingBackstopSeconds(polling),
      },
      invokes: [this.startFunction, this.checkFunction],
      arns,
      logging,
    });

    if (props.schedule) {
      this.schedules = new ScheduledStarts(this, 'schedules', {
        name,
        stateMachine: this.stateMachine,
        arns,
        schedules: [{ name: id, ...props.schedule, input: this.exampleInput }],
      });
    }
    workflows.register(this, {
      workflowId: id,
      kind: KIND,
      stateMachine: this.stateMachine,
      exampleInput: this.exampleInput,
      worstCaseHistoryEvents: pollingHistory(polling, TASK_SUCCESS_TAIL).events + (overlap ? OVERLAP_CHECK_EVENTS : 0),
      manifest: {
        functions: {
          start: this.startFunction.functionName,
          check: this.checkFunction.functionName,
          ...(this.cancelFunction ? { cancel: this.cancelFunction.functionName } : {}),
        },
        localRun: { startEntry: projectRelative(startEntry), checkEntry: projectRelative(checkEntry) } satisfies TaskLocalRun,
      },
    });
  }

  /** Lets the functions call more: the statement joins each one's role policy, held to the statement rules (lib/core/statement-rules.ts) at synth. */
  addToRolePolicy(statement: PolicyStatement): void {
    this.startFunction.addToRolePolicy(statement);
    this.checkFunction.addToRolePolicy(statement);
    this.cancelFunction?.addToRolePolicy(statement);
  }
}
