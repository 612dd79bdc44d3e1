import { pollWaits } from '../../core/history-budget';
import { ownSnapshotPrefix, TAG_KEYS, type TargetType } from '../../../lambdas/rds-snapshot/snapshot-naming';
import type { ExistingSnapshot } from '../../../simulator/fake-aws';
import { deployedPollSchedule, type DeployedStateMachine } from '../../../simulator/stack-artifacts';
import { type HandlerWrapper } from '../../../simulator/workflows';
import { runSnapshotWorkflow } from './simulation';
import { duration, printStates, summary, UsageError, wholeNumber, type LocalRun } from '../../../simulator/local-run';

/** What a local run of the snapshot workflow needs besides its definition and zips: its construct writes it into the manifest. */
export interface RdsSnapshotLocalRun {
  /** The DB instances and clusters it may snapshot, in the order configured: the first is the example's. */
  readonly targets: Readonly<Record<string, 'instance' | 'cluster'>>;
  /** The tag value that marks a snapshot as made by this workflow (what retention may delete). */
  readonly createdBy: string;
}

interface RdsSnapshotOptions {
  /** Given: the target to snapshot; else the workflow's first. */
  readonly target?: string;
  readonly snapshotMinutes: number;
  readonly snapshotFails: boolean;
  readonly earlierSnapshots: number;
}

/** Snapshots this workflow made of the target before, one a day, the oldest first; and one someone else made, untagged. */
function earlierSnapshots(target: string, kind: TargetType, createdBy: string, count: number): ExistingSnapshot[] {
  const ours = Array.from({ length: count }, (_, i) => ({
    identifier: `${ownSnapshotPrefix(target)}earlier-${String(i + 1).padStart(2, '0')}`,
    target,
    kind,
    ageDays: count - i,
    tags: { [TAG_KEYS.createdBy]: createdBy, [TAG_KEYS.target]: target },
  }));
  return count === 0 ? [] : [...ours, { identifier: `${target}-by-hand`, target, kind, ageDays: count + 1 }];
}

/** The target to snapshot: --target's, or the first the workflow was synthesized with. */
function targetOf(machine: DeployedStateMachine, options: RdsSnapshotOptions): { target: string; kind: TargetType } {
  const { targets } = machine.workflow.localRun as RdsSnapshotLocalRun;
  const target = options.target ?? Object.keys(targets)[0];
  const kind = Object.prototype.hasOwnProperty.call(targets, target) ? targets[target] : undefined;
  if (!kind) throw new UsageError(`--target ${target} is not a configured target: ${Object.keys(targets).join(', ')}`);
  return { target, kind };
}

/** A snapshot workflow against an in-memory RDS: the snapshot, each poll with its status, the retention. */
export const rdsSnapshotRun: LocalRun<RdsSnapshotOptions> = {
  flags: {
    help: `rds-snapshot:
  --target <identifier>      the configured DB instance or cluster to snapshot (default: the first)
  --snapshot-minutes <n>     how long the snapshot stays "creating" (default: 10)
  --snapshot-fails           the snapshot ends "failed" instead of "available"
  --earlier-snapshots <n>    this workflow made n snapshots of the target before, one a day, and
                             someone made one by hand: shows what the retention deletes (default: 0)`,
    options: { target: { type: 'string' }, 'snapshot-minutes': { type: 'string' }, 'snapshot-fails': { type: 'boolean' }, 'earlier-snapshots': { type: 'string' } },
    read: (values) => ({
      target: values.target === undefined ? undefined : String(values.target),
      snapshotMinutes: wholeNumber('snapshot-minutes', values['snapshot-minutes'], 10, 0),
      earlierSnapshots: wholeNumber('earlier-snapshots', values['earlier-snapshots'], 0, 0),
      snapshotFails: values['snapshot-fails'] === true,
    }),
    check: (machine, options) => void targetOf(machine, options),
  },
  run: async ({ artifacts, machine, options, quiet, print }) => {
    const { targets, createdBy } = machine.workflow.localRun as RdsSnapshotLocalRun;
    const ids = Object.keys(targets);
    const { target, kind } = targetOf(machine, options);
    const schedule = deployedPollSchedule(machine.definition);
    const waits = pollWaits(schedule);
    let waited = 0;
    let creatingPolls = 0;
    while (creatingPolls < waits.length && waited + waits[creatingPolls] < options.snapshotMinutes * 60) waited += waits[creatingPolls++];
    const end = options.snapshotFails ? 'failed' : 'available';
    const timesOut = creatingPolls === waits.length;
    print(
      timesOut
        ? `${machine.workflowId}: the snapshot of DB ${kind} ${target} stays "creating" for ${options.snapshotMinutes} min, past the ${schedule.maxWaitSeconds / 60}-minute maximum wait: polling will time out (SnapshotTimeout)`
        : `${machine.workflowId}: snapshot of DB ${kind} ${target} "creating" for ${options.snapshotMinutes} min (${creatingPolls} polls), then "${end}"`,
    );
    const existing = earlierSnapshots(target, kind, createdBy, options.earlierSnapshots);
    if (existing.length > 0) {
      print(`  before: ${existing.length - 1} earlier snapshots of this workflow, one a day, and ${existing.at(-1)!.identifier} made by hand (untagged)`);
    }
    let polls = 0;
    let elapsed = 0;
    const report: HandlerWrapper = (state, handler) =>
      !['CreateSnapshot', 'DescribeSnapshot', 'ApplyRetention'].includes(state)
        ? handler
        : async (input) => {
            const result = (await handler(input)) as { snapshotIdentifier: string; status?: string; deleted?: string[]; kept?: number };
            if (state === 'CreateSnapshot') print(`  snapshot ${result.snapshotIdentifier}`);
            if (state === 'DescribeSnapshot') {
              elapsed += waits[polls];
              polls += 1;
              print(`  poll ${polls} after ${duration(elapsed)}: ${result.status}`);
            }
            if (state === 'ApplyRetention') print(`  retention: kept ${result.kept}, deleted ${result.deleted?.length ? result.deleted.join(', ') : 'none'}`);
            return result;
          };
    const { execution } = await runSnapshotWorkflow(artifacts, {
      workflowId: machine.workflowId,
      input: { target },
      statuses: [...Array(creatingPolls).fill('creating'), end],
      instances: ids.filter((t) => targets[t] === 'instance'),
      clusters: ids.filter((t) => targets[t] === 'cluster'),
      existing,
      onState: printStates(quiet, print),
      wrapHandler: report,
    });
    print(`  ${summary(execution)}`);
    return [execution];
  },
};
