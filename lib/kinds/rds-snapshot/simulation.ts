// One snapshot run locally against an in-memory RDS: what its tests, its local run and the bench start it with.
import { TAG_KEYS, type TargetType } from '../../../lambdas/rds-snapshot/snapshot-naming';
import { executionArnOf, FakeRds, type ExistingSnapshot, type FakeRdsOptions, type RecordedCall } from '../../../simulator/fake-aws';
import { runExecution, type ExecutionResult } from '../../../simulator/run-execution';
import type { DeployedStateMachine, StackArtifacts } from '../../../simulator/stack-artifacts';
import { taskRunner, workflowOf, type SimulationHooks } from '../../../simulator/workflows';
import { KIND } from './defaults';

export type { HandlerWrapper } from '../../../simulator/workflows';

export interface SnapshotOptions extends SimulationHooks, FakeRdsOptions {
  /** @default the stack's only snapshot workflow */
  readonly workflowId?: string;
  /** @default {} (the only configured target) */
  readonly input?: unknown;
  /** @default "simulated-snapshot" */
  readonly executionName?: string;
}

export interface SnapshotResult {
  readonly execution: ExecutionResult;
  /** Snapshots the run made. */
  readonly snapshots: readonly string[];
  /** Snapshots the run deleted. */
  readonly deleted: readonly string[];
  readonly calls: ReadonlyMap<string, number>;
  /** Every RDS call, with who made it. */
  readonly log: readonly RecordedCall[];
}

/** Runs one execution of the snapshot workflow against a fake RDS with the given targets, snapshots and statuses. */
export async function runSnapshotWorkflow(artifacts: StackArtifacts, options: SnapshotOptions): Promise<SnapshotResult> {
  const rds = new FakeRds(options);
  const existing = new Set((options.existing ?? []).map((s) => s.identifier));
  try {
    const name = options.executionName ?? 'simulated-snapshot';
    const stateMachine = workflowOf(artifacts, KIND, options.workflowId);
    const execution = await runExecution({
      stateMachine,
      name,
      input: options.input ?? {},
      handlerFor: taskRunner(artifacts, stateMachine, options.wrapHandler),
      onState: (state, input) => options.onState?.(name, state, input),
    });
    const made = [...rds.snapshots.keys(), ...rds.deleted].filter((id) => !existing.has(id));
    return { execution, snapshots: made, deleted: [...rds.deleted], calls: rds.calls, log: rds.log };
  } finally {
    rds.restore();
  }
}

/** Snapshots the workflow made of a target in earlier runs, one per age in days, named and tagged as its own. */
export const earlierSnapshots = (stateMachine: DeployedStateMachine, target: string, ageDays: readonly number[], kind: TargetType = 'instance'): ExistingSnapshot[] =>
  ageDays.map((age) => ({
    identifier: `${target}-sfn-earlier-${age}`,
    target,
    kind,
    ageDays: age,
    tags: { [TAG_KEYS.createdBy]: stateMachine.name, [TAG_KEYS.target]: target, [TAG_KEYS.execution]: executionArnOf(stateMachine.arn, `earlier-${age}`) },
  }));
