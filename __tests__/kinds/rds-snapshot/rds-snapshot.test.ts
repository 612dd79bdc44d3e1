import { snapshotPollSchedule } from '../../../lib/kinds/rds-snapshot/settings';
import { pollWaits } from '../../../lib/core/history-budget';
import { SNAPSHOT_RETRY_POLICIES } from '../../../lib/kinds/rds-snapshot/retry-policies';
import { snapshotIdentifierFor, TAG_KEYS } from '../../../lambdas/rds-snapshot/snapshot-naming';
import type { Handler } from '../../../simulator/bundled-handler';
import { matchesPattern, renderInputTemplate, statusChangeEvent } from '../../../simulator/eventbridge';
import { SIMULATED_AWS } from '../../../simulator/stack-artifacts';
import { executionArnOf, FakeRds, FakeStepFunctions, type ExistingSnapshot } from '../../../simulator/fake-aws';
import { runExecution } from '../../../simulator/run-execution';
import { taskRunner, type HandlerWrapper } from '../../../simulator/workflows';
import { redriveOf } from '../../support/redrive';
import { runContinueAsNewChain } from '../../../lib/kinds/continue-as-new/simulation';
import { earlierSnapshots, runSnapshotWorkflow, type SnapshotOptions } from '../../../lib/kinds/rds-snapshot/simulation';
import { OPERATIONS } from '../../support/operations';

import { synthesize } from '../../support/synth';
import { rdsSnapshotHistory } from '../../../lib/kinds/rds-snapshot/defaults';

const synthesized = synthesize(OPERATIONS);
const artifacts = synthesized.artifacts();
const stateMachine = artifacts.stateMachines['rds-snapshot'];
const schedule = snapshotPollSchedule(synthesized.config);
const count = (states: readonly string[], name: string) => states.filter((state) => state === name).length;
const named = (name: string, message: string) => Object.assign(new Error(message), { name });
const world = { instances: ['orders-db', 'billing-db', 'orders-db-replica'], clusters: ['analytics'] };
const run = (target: string, options: Partial<SnapshotOptions> = {}) =>
  runSnapshotWorkflow(artifacts, { ...world, statuses: ['available'], input: { target }, ...options });
const executionArn = (name = 'simulated-snapshot') => executionArnOf(stateMachine.arn, name);

/** The machine has a scheduled target that skips overlapping starts: every start passes the check's Choice (a start by hand goes on at once). */
const OVERLAP_CHOICE = { events: 2, transitions: 1 };

const ours = (target: string, days: number[], kind: 'instance' | 'cluster' = 'instance') => earlierSnapshots(stateMachine, target, days, kind);

/** Makes the first `times` calls of a Task fail: before the handler runs, or after it did its AWS call. */
function failFirstCalls(stateName: string, times: number, error: Error, afterSuccess = false) {
  const calls = { count: 0 };
  const wrapHandler: HandlerWrapper = (state, handler): Handler =>
    state !== stateName
      ? handler
      : async (input) => {
          calls.count += 1;
          if (calls.count > times) return handler(input);
          if (afterSuccess) await handler(input);
          throw error;
        };
  return { wrapHandler, calls };
}

describe('the snapshot workflow, run locally with the bundled handlers', () => {
  test('a DB instance: creating 3 times then available, one snapshot, tagged, polls backing off, the retention applied', async () => {
    const { execution, snapshots, log } = await run('orders-db', { statuses: ['creating', 'creating', 'creating', 'available'] });
    expect(execution.status).toBe('SUCCEEDED');
    expect(snapshots).toEqual([snapshotIdentifierFor('orders-db', executionArn())]);
    expect(snapshots[0]).toMatch(/^orders-db-sfn-simulated-snapshot-[0-9a-f]{8}$/);
    expect(count(execution.states, 'DescribeSnapshot')).toBe(4);
    expect(execution.simulatedSeconds).toBe(60 + 120 + 240 + 300);
    expect(execution.states.slice(-2)).toEqual(['ApplyRetention', 'SnapshotAvailable']);
    expect(log.find((call) => call.api === 'CreateDBSnapshot')?.input).toMatchObject({
      DBInstanceIdentifier: 'orders-db',
      Tags: [
        { Key: TAG_KEYS.createdBy, Value: 'long-running-rds-snapshot' },
        { Key: TAG_KEYS.execution, Value: executionArn() },
        { Key: TAG_KEYS.target, Value: 'orders-db' },
      ],
    });
    expect(execution.output).toMatchObject({ retention: { deleted: [], kept: 1 } });
  });

  test('an Aurora cluster: the cluster snapshot APIs, from create to retention', async () => {
    const { execution, snapshots, calls } = await run('analytics', { statuses: ['creating', 'available'] });
    expect(execution.status).toBe('SUCCEEDED');
    expect(snapshots).toEqual([expect.stringMatching(/^analytics-sfn-simulated-snapshot-/)]);
    expect(Object.fromEntries(calls)).toEqual({ CreateDBClusterSnapshot: 1, DescribeDBClusterSnapshots: 3 });
  });

  test.each([
    ['a target that is not configured', { target: 'orders-db-replica' }, 'UnknownTarget', 'target "orders-db-replica" is not configured; the configured targets are orders-db, billing-db, analytics'],
    ['no target, with three configured', {}, 'InvalidInput', 'the input must name a target, {"target": "<identifier>"}: one of orders-db, billing-db, analytics'],
  ])('%s fails at once with %s and a cause that lists the targets, snapshotting nothing', async (_, input, error, cause) => {
    const { execution, log } = await runSnapshotWorkflow(artifacts, { ...world, statuses: ['available'], input });
    expect(execution).toMatchObject({ status: 'FAILED', error, cause });
    expect(execution.states).toEqual(['KeepInput', 'IsOverlapSkipped', 'CreateSnapshot']);
    expect(log).toEqual([]);
  });

  test("retention: of this workflow's snapshots of the target, the newest 7 stay (the new one counted); a snapshot without our tag, another workflow's, another target's, one made by hand or still being made is never deleted", async () => {
    const untouched: ExistingSnapshot[] = [
      { identifier: 'orders-db-sfn-untagged', target: 'orders-db', ageDays: 30 },
      { identifier: 'orders-db-sfn-prod', target: 'orders-db', ageDays: 30, tags: { [TAG_KEYS.createdBy]: 'orders-rds-snapshot', [TAG_KEYS.target]: 'orders-db' } },
      { identifier: 'orders-db-nightly-backup', target: 'orders-db', ageDays: 40, tags: { [TAG_KEYS.createdBy]: stateMachine.name, [TAG_KEYS.target]: 'orders-db' } },
      { identifier: 'orders-db-sfn-earlier-50', target: 'orders-db', ageDays: 50, status: 'creating', tags: { [TAG_KEYS.createdBy]: stateMachine.name, [TAG_KEYS.target]: 'orders-db' } },
      ...ours('billing-db', [20, 21, 22, 23, 24, 25, 26, 27]),
      ...ours('orders-db-replica', [20, 21, 22, 23, 24, 25, 26, 27]),
    ];
    const existing = [...ours('orders-db', [1, 2, 3, 4, 5, 6, 7, 8, 9]), ...untouched];
    const { execution, deleted } = await run('orders-db', { existing, pageSize: 4 });
    expect(execution.status).toBe('SUCCEEDED');
    expect(deleted).toEqual(['orders-db-sfn-earlier-7', 'orders-db-sfn-earlier-8', 'orders-db-sfn-earlier-9']);
    expect(execution.output).toMatchObject({ retention: { deleted, kept: 7 } });
  });

  test.each(['failed', 'deleted', 'deleting', 'incompatible-restore', 'incompatible-parameters'])(
    'terminal status "%s" fails at once with the status as cause, and no retention',
    async (status) => {
      const { execution, snapshots } = await run('billing-db', { statuses: ['creating', status], existing: ours('billing-db', [1, 2, 3, 4, 5, 6, 7, 8]) });
      expect(execution).toMatchObject({ status: 'FAILED', error: 'SnapshotFailed', cause: `Snapshot ${snapshots[0]} of DB instance billing-db ended with status ${status}` });
      expect(count(execution.states, 'DescribeSnapshot')).toBe(2);
      expect(execution.states).not.toContain('ApplyRetention');
    },
  );

  test('a snapshot that never leaves "creating" fails with SnapshotTimeout after the maximum wait, within the history the budget allows for', async () => {
    const { execution, snapshots } = await run('orders-db', { statuses: ['creating'] });
    expect(execution).toMatchObject({
      status: 'FAILED',
      error: 'SnapshotTimeout',
      cause: `Snapshot ${snapshots[0]} was still creating after ${execution.simulatedSeconds} seconds of polling`,
    });
    expect(execution.simulatedSeconds).toBeGreaterThanOrEqual(schedule.maxWaitSeconds);
    expect(execution.simulatedSeconds).toBeLessThan(schedule.maxWaitSeconds + schedule.maxIntervalSeconds);
    expect(count(execution.states, 'DescribeSnapshot')).toBe(pollWaits(schedule).length);
    // The synth-time arithmetic for this ending, with no retries, is exactly what the run recorded.
    const estimate = rdsSnapshotHistory(schedule, 0, 'timeout');
    expect([execution.historyEvents, execution.stateTransitions]).toEqual([estimate.events + OVERLAP_CHOICE.events, estimate.stateTransitions + OVERLAP_CHOICE.transitions]);
  });

  test("the snapshot found available at the last poll: the budget's other ending, also exact", async () => {
    const polls = pollWaits(schedule).length;
    const { execution } = await run('orders-db', { statuses: [...Array(polls - 1).fill('creating'), 'available'] });
    expect(execution.status).toBe('SUCCEEDED');
    const estimate = rdsSnapshotHistory(schedule, 0, 'available');
    expect([execution.historyEvents, execution.stateTransitions]).toEqual([estimate.events + OVERLAP_CHOICE.events, estimate.stateTransitions + OVERLAP_CHOICE.transitions]);
  });

  test.each([['"hello"', 'hello'], ['[1, 2]', [1, 2]]])('input %s names no target: InvalidInput, and it is kept in the failure path', async (_, input) => {
    const { execution } = await runSnapshotWorkflow(artifacts, { ...world, statuses: ['available'], input });
    expect(execution).toMatchObject({ status: 'FAILED', error: 'InvalidInput' });
  });
});

describe('the snapshot workflow under faults', () => {
  test('RDS throttles the first 2 calls of each API and answers 500 after: retried as TransientAwsError, SUCCEEDED, exactly one snapshot', async () => {
    for (const failWith of ['throttling', 'server'] as const) {
      const { execution, snapshots, calls } = await run('orders-db', { statuses: ['creating', 'available'], failFirstCalls: 2, failWith });
      expect(execution.status).toBe('SUCCEEDED');
      expect(snapshots).toHaveLength(1);
      expect(calls.get('CreateDBSnapshot')).toBe(3);
    }
  });

  test('throttling that never stops: retried 6 times, then FAILED with TransientAwsError naming the throttling', async () => {
    const { execution, snapshots, calls } = await run('orders-db', { failFirstCalls: 100 });
    expect(execution).toMatchObject({ status: 'FAILED', error: 'TransientAwsError', cause: 'Throttling: Rate exceeded' });
    expect(calls.get('CreateDBSnapshot')).toBe(7);
    expect(snapshots).toHaveLength(0);
  });

  test('the create function times out after RDS accepted the call: the retry finds its own snapshot, no second one', async () => {
    const fault = failFirstCalls('CreateSnapshot', 1, named('Sandbox.Timedout', 'Task timed out after 30.00 seconds'), true);
    const { execution, snapshots, calls } = await run('analytics', fault);
    expect(execution.status).toBe('SUCCEEDED');
    expect(fault.calls.count).toBe(2);
    expect(calls.get('CreateDBClusterSnapshot')).toBe(2);
    expect(snapshots).toHaveLength(1);
  });

  test('a snapshot with our identifier from an execution name used 100 days ago is not taken for ours: SnapshotNameTaken', async () => {
    const old: ExistingSnapshot = {
      identifier: snapshotIdentifierFor('orders-db', executionArn()),
      target: 'orders-db',
      ageDays: 100,
      tags: { [TAG_KEYS.createdBy]: stateMachine.name, [TAG_KEYS.target]: 'orders-db', [TAG_KEYS.execution]: executionArn() },
    };
    const { execution, snapshots, deleted } = await run('orders-db', { existing: [old] });
    expect(execution).toMatchObject({ status: 'FAILED', error: 'SnapshotNameTaken' });
    expect(execution.cause).toMatch(/made \S+, before this execution started/);
    expect(Date.parse(/made (\S+),/.exec(execution.cause!)![1])).toBeLessThan(Date.now() - 99 * 24 * 3600 * 1000);
    expect(execution.states).not.toContain('DescribeSnapshot');
    expect([snapshots, deleted]).toEqual([[], []]);
  });

  test('a busy instance (a backup window, a modification) is waited for with the long backoff, then snapshotted', async () => {
    const { execution, snapshots, calls } = await run('orders-db', { busyFirstCreates: 3 });
    expect(execution.status).toBe('SUCCEEDED');
    expect(calls.get('CreateDBSnapshot')).toBe(4);
    expect(snapshots).toHaveLength(1);
  });

  test("a target that stays busy: after the long backoff, FAILED at CreateSnapshot (the point a redrive tries again) with RDS's error and cause", async () => {
    const { execution, calls } = await run('analytics', { busyFirstCreates: 100 });
    const { MaxAttempts } = SNAPSHOT_RETRY_POLICIES.TargetBusyRetry;
    expect(calls.get('CreateDBClusterSnapshot')).toBe(MaxAttempts + 1);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'InvalidDBClusterStateFault', cause: expect.stringContaining('analytics is not in the available state (backing-up).') });
    expect(execution.states.at(-1)).toBe('CreateSnapshot');
  });

  test('RDS says "not found" right after the create: retried a few times, then polled as usual', async () => {
    const { execution, calls } = await run('orders-db', { statuses: ['creating', 'available'], notFoundFirstDescribes: 2 });
    expect(execution.status).toBe('SUCCEEDED');
    // Two "not found", the two statuses, and the retention's listing.
    expect(calls.get('DescribeDBSnapshots')).toBe(2 + 2 + 1);
  });

  test('"not found" that lasts past the retries fails with it', async () => {
    const { execution } = await run('orders-db', { notFoundFirstDescribes: 100 });
    expect(execution).toMatchObject({ status: 'FAILED', error: 'DBSnapshotNotFoundFault' });
    expect(count(execution.states, 'DescribeSnapshot')).toBe(1);
  });

  test('an error that is not transient fails at once, with its name and message', async () => {
    const { execution } = await runSnapshotWorkflow(artifacts, { statuses: ['available'], instances: [], input: { target: 'billing-db' } });
    expect(execution).toMatchObject({ status: 'FAILED', error: 'DBInstanceNotFoundFault', cause: 'billing-db not found.' });
  });
});

describe("a scheduled start that would overlap (the schedule's overlap: skip, the default)", () => {
  const scheduled = { target: 'orders-db', overlap: 'skip' };
  const withRunning = async (others: readonly { name: string; input: unknown }[], options: Partial<SnapshotOptions> = {}) => {
    const stepFunctions = new FakeStepFunctions();
    try {
      const begun = others.map((other) => stepFunctions.begin(stateMachine.arn, other.name, other.input));
      stepFunctions.begin(stateMachine.arn, 'simulated-snapshot', scheduled);
      return { begun, ...(await run('orders-db', { input: scheduled, ...options })) };
    } finally {
      stepFunctions.restore();
    }
  };

  test('the schedule starts with overlap: skip in its input, and the machine may list and read its own executions only', () => {
    const [schedule] = Object.values(synthesized.json.resource.aws_scheduler_schedule) as { target: { input: string } }[];
    expect(JSON.parse(schedule.target.input)).toEqual(scheduled);
    expect(stateMachine.definition.States.KeepInput.Next).toBe('IsOverlapSkipped');
  });

  test('while a run of the same target still runs: ends at once, SUCCEEDED, naming it; no snapshot made, no RDS call, no alert', async () => {
    const { begun, execution, log } = await withRunning([
      { name: 'earlier', input: scheduled },
      { name: 'billing', input: { target: 'billing-db', overlap: 'skip' } },
    ]);
    expect(execution).toMatchObject({ status: 'SUCCEEDED', output: { skipped: { reason: 'overlap', runningExecutionArn: begun[0].arn }, input: scheduled } });
    expect(execution.states).not.toContain('CreateSnapshot');
    expect(log).toEqual([]);
    expect(matchesPattern(statusChangeEvent(execution, stateMachine.arn), artifacts.alertRules[0].eventPattern as never)).toBe(false);
  });

  test("while only another target's run runs, or none: the snapshot is made as usual", async () => {
    const { execution, snapshots } = await withRunning([{ name: 'billing', input: { target: 'billing-db', overlap: 'skip' } }]);
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.output).not.toHaveProperty('skipped');
    expect(snapshots).toHaveLength(1);
  });
});

test('a redrive from a failed describe describes the same snapshot again: one snapshot made, the retention applied', async () => {
  // Four "not found" answers outlast the describe's 3 retries; the fifth finds the snapshot.
  const rds = new FakeRds({ ...world, statuses: ['available'], notFoundFirstDescribes: 4 });
  try {
    const run = (options: Pick<Parameters<typeof runExecution>[0], 'stateMachine' | 'name' | 'input'>) =>
      runExecution({ ...options, handlerFor: taskRunner(artifacts, stateMachine) });
    const failed = await run({ stateMachine, name: 'redriven', input: { target: 'orders-db' } });
    expect(failed).toMatchObject({ status: 'FAILED', error: 'DBSnapshotNotFoundFault' });
    expect(failed.states[failed.states.length - 1]).toBe('DescribeSnapshot');
    const redriven = await run(redriveOf(stateMachine, failed));
    expect(redriven.status).toBe('SUCCEEDED');
    expect(redriven.states).not.toContain('CreateSnapshot');
    expect(redriven.states).toContain('ApplyRetention');
    expect([...rds.snapshots.keys()]).toEqual([snapshotIdentifierFor('orders-db', executionArn('redriven'))]);
    expect(rds.calls.get('CreateDBSnapshot')).toBe(1);
  } finally {
    rds.restore();
  }
});

describe('failure alerts', () => {
  const [alertRule] = artifacts.alertRules;

  test('a failed snapshot execution reaches the alert rule, and the message names the machine, the execution and the cause', async () => {
    const { execution } = await run('orders-db', { statuses: ['creating', 'failed'] });
    const event = statusChangeEvent(execution, stateMachine.arn);
    expect(matchesPattern(event, alertRule.eventPattern as never)).toBe(true);
    expect(renderInputTemplate(event, alertRule.inputTransformer)).toBe(
      `Step Functions execution ${execution.arn} of ${stateMachine.arn} ended FAILED. Error: SnapshotFailed. Cause: ${execution.cause}. ` +
        `Console: https://${SIMULATED_AWS.region}.console.aws.amazon.com/states/home?region=${SIMULATED_AWS.region}#/v2/executions/details/${execution.arn}`,
    );
  });

  test('so does a failed continue-as-new execution; a succeeded one does not, nor another state machine', async () => {
    const chain = await runContinueAsNewChain(artifacts, { input: { restart: { executionCount: 1 } } });
    const failed = chain.executions[0];
    const continueAsNew = artifacts.stateMachines['continue-as-new'].arn;
    expect(failed.status).toBe('FAILED');
    expect(matchesPattern(statusChangeEvent(failed, continueAsNew), alertRule.eventPattern as never)).toBe(true);
    expect(matchesPattern(statusChangeEvent({ ...failed, status: 'SUCCEEDED' }, continueAsNew), alertRule.eventPattern as never)).toBe(false);
    expect(matchesPattern(statusChangeEvent(failed, continueAsNew.replace('continue-as-new', 'someone-else')), alertRule.eventPattern as never)).toBe(false);
  });

  test('the matcher refuses pattern forms it does not implement rather than guess', () => {
    expect(() => matchesPattern({ detail: { status: 'FAILED' } }, { detail: { status: [{ prefix: 'FAIL' }] } })).toThrow('this matcher takes exact values only');
  });
});
