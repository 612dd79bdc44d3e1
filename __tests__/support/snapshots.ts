import { TAG_KEYS, type TargetType } from '../../lambdas/rds-snapshot/snapshot-naming';
import { executionArnOf, type ExistingSnapshot } from '../../simulator/fake-aws';
import type { DeployedStateMachine } from '../../simulator/stack-artifacts';

/** Snapshots the workflow made of a target in earlier runs, one per age in days, named and tagged as its own. */
export const earlierSnapshots = (stateMachine: DeployedStateMachine, target: string, ageDays: readonly number[], kind: TargetType = 'instance'): ExistingSnapshot[] =>
  ageDays.map((age) => ({
    identifier: `${target}-sfn-earlier-${age}`,
    target,
    kind,
    ageDays: age,
    tags: { [TAG_KEYS.createdBy]: stateMachine.name, [TAG_KEYS.target]: target, [TAG_KEYS.execution]: executionArnOf(stateMachine.arn, `earlier-${age}`) },
  }));
