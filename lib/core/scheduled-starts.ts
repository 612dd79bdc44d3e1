import { Construct } from 'constructs';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import { SchedulerScheduleGroup } from '@cdktf/provider-aws/lib/scheduler-schedule-group';
import { Arns } from './arns';
import type { AslStateMachine } from './asl-state-machine';
import { SKIP_MARKER, type Overlap } from './overlap';
import { ServiceRole } from './service-role';

export interface ScheduledStart {
  /** The schedule's name within the group. */
  readonly name: string;
  /** `cron(...)`, `rate(...)` or `at(...)`. */
  readonly expression: string;
  /** An IANA time zone. */
  readonly timezone: string;
  /** What each execution is started with (an object: a skipping schedule adds `"overlap": "skip"` to it). */
  readonly input: Readonly<Record<string, unknown>>;
  /** A start while a run this schedule started is still running: skipped (the definition must then check, see `overlapCheck`), or run. @default 'skip' */
  readonly overlap?: Overlap;
}

/** Whether any of the schedules skips overlapping starts: its state machine then needs the check. */
export const skipsOverlap = (schedules: readonly Pick<ScheduledStart, 'overlap'>[]): boolean => schedules.some((schedule) => (schedule.overlap ?? 'skip') === 'skip');

export interface ScheduledStartsProps {
  /** Names the schedule group and its role. */
  readonly name: string;
  readonly stateMachine: AslStateMachine;
  readonly schedules: readonly ScheduledStart[];
  readonly arns: Arns;
}

/**
 * EventBridge Scheduler schedules that start one state machine, each with its own fixed input,
 * in a group of their own. Their role may start only that state machine, and Scheduler may
 * assume it only for this group: Scheduler names the group, not the schedule, as the source,
 * and IAM cannot condition on the input, which each schedule fixes instead.
 */
export class ScheduledStarts extends Construct {
  readonly group: SchedulerScheduleGroup;
  readonly schedules: readonly SchedulerSchedule[];

  constructor(scope: Construct, id: string, props: ScheduledStartsProps) {
    super(scope, id);
    const { arns } = props;
    this.group = new SchedulerScheduleGroup(this, 'group', { name: props.name });
    const { role } = new ServiceRole(this, 'execution', {
      roleName: `${props.name}-scheduler`,
      service: 'scheduler.amazonaws.com',
      source: { accountId: arns.accountId, sourceArn: arns.scheduleGroup(props.name) },
      statements: [{ Sid: 'StartOwnStateMachine', Effect: 'Allow', Action: ['states:StartExecution'], Resource: [props.stateMachine.stateMachineArn] }],
    });
    this.schedules = props.schedules.map(
      (schedule) =>
        new SchedulerSchedule(this, schedule.name, {
          name: schedule.name,
          groupName: this.group.name,
          scheduleExpression: schedule.expression,
          scheduleExpressionTimezone: schedule.timezone,
          flexibleTimeWindow: { mode: 'OFF' },
          target: {
            arn: props.stateMachine.stateMachineArn,
            roleArn: role.arn,
            input: JSON.stringify((schedule.overlap ?? 'skip') === 'skip' ? { ...schedule.input, ...SKIP_MARKER } : schedule.input),
            // A start that cannot happen within the hour is left to the next run.
            retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 10 },
          },
          dependsOn: [props.stateMachine.resource],
        }),
    );
  }
}
