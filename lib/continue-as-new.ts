import * as path from 'node:path';
import { Construct } from 'constructs';
import { AslStateMachine } from './asl-state-machine';
import type { WorkflowsConfig } from './settings';
import { Arns } from './arns';
import { NodejsFunction } from './nodejs-function';
import { LAMBDAS_DIR } from './paths';

export interface ContinueAsNewProps {
  readonly config: WorkflowsConfig;
  readonly arns: Arns;
}

/**
 * The continue-as-new workflow: the iterator loop and the restart function that starts the
 * next execution of the same state machine, allowed to start nothing else.
 */
export class ContinueAsNew extends Construct {
  readonly stateMachine: AslStateMachine;
  /** What to start the first execution with: every restart runs one more execution. */
  readonly exampleInput: { restart: { executionCount: number }; state: Record<string, unknown> };

  constructor(scope: Construct, id: string, props: ContinueAsNewProps) {
    super(scope, id);
    const { config, arns } = props;
    const stateMachineName = `${config.namePrefix}-continue-as-new`;
    const shared = { arns, logRetentionDays: config.logRetentionDays };

    const iterator = new NodejsFunction(this, 'iterator', {
      ...shared,
      functionName: `${config.namePrefix}-iterator`,
      entry: path.join(LAMBDAS_DIR, 'iterator.ts'),
      memorySize: 128,
    });
    const restart = new NodejsFunction(this, 'restart', {
      ...shared,
      functionName: `${config.namePrefix}-restart`,
      entry: path.join(LAMBDAS_DIR, 'restart.ts'),
      environment: { STATE_MACHINE_ARN: arns.stateMachine(stateMachineName) },
      statements: [
        {
          Sid: 'StartOwnStateMachine',
          Effect: 'Allow',
          Action: ['states:StartExecution'],
          Resource: [arns.stateMachine(stateMachineName)],
        },
        {
          Sid: 'ReadOwnExecutions',
          Effect: 'Allow',
          Action: ['states:DescribeExecution'],
          Resource: [arns.executions(stateMachineName)],
        },
      ],
    });

    this.stateMachine = new AslStateMachine(this, 'workflow', {
      ...shared,
      stateMachineName,
      definitionFile: 'continue-as-new.asl.json',
      values: {
        IteratorFunctionName: iterator.functionName,
        RestartFunctionName: restart.functionName,
        LoopThreshold: config.loopThreshold,
      },
      invokes: [iterator, restart],
      logLevel: config.stateMachineLogLevel,
      logExecutionData: config.logExecutionData,
      xrayTracing: config.xrayTracing,
    });
    this.exampleInput = { restart: { executionCount: config.restartCount }, state: { job: 'example' } };
  }
}
