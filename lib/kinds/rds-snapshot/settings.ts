import { z } from 'zod';
import { TAG_KEYS, TARGET_TYPES, type TargetType } from '../../../lambdas/rds-snapshot/snapshot-naming';
import { isRdsIdentifier } from '../../../lambdas/rds-snapshot/rds-identifier';
import { said, type KindSettings } from '../../config/kind-settings';
import { integer, json, parseWith, readSchedule, SCHEDULE_SHAPE, withShape, type Check, type StartSchedule } from '../../config/parse';
import { suggestion } from '../../config/nearest-name';
import { setting, type ValuesOf } from '../../config/settings';
import { MAX_WAIT_MINUTES, POLL_INTERVAL_SECONDS, pollScheduleOf, pollScheduleProblems } from '../../core/polling';
import { SNAPSHOT_DEFAULTS, SNAPSHOT_SUCCESS_TAIL, SNAPSHOT_WORKFLOW_ID } from './defaults';

/**
 * An RDS DB instance or cluster identifier. RDS stores identifiers in lowercase and IAM matches
 * ARNs case-sensitively, so an uppercase one would name resources the policies never match:
 * refused, with the lowercase spelling to use.
 */
export function rdsIdentifier(kind: string): Check<z.ZodType<string>> {
  const rule = `an RDS ${kind} identifier: 1-63 lowercase letters, digits or hyphens, first a letter, no two hyphens in a row, no trailing hyphen`;
  return {
    rule,
    schema: z
      .string({ error: () => `must be ${rule}` })
      .refine((raw) => isRdsIdentifier(raw, 63), { error: () => `must be ${rule}` })
      .refine((raw) => raw === raw.toLowerCase(), {
        error: (issue) => `must be lowercase: RDS stores identifiers in lowercase and IAM matches ARNs case-sensitively; write "${String(issue.input).toLowerCase()}"`,
      }),
  };
}

export interface SnapshotTarget {
  readonly type: TargetType;
  readonly schedule?: StartSchedule;
}

export const MAX_SNAPSHOT_TARGETS = 20;
const TARGETS_RULE =
  'a JSON object of DB instance or Aurora cluster identifiers, each {"type": "instance" or "cluster"}, optionally with ' +
  '"schedule": {"expression": "cron(...)", "rate(...)" or "at(...)", "timezone": "<IANA time zone>"}, e.g. {"database-1": {"type": "instance"}}';

const TARGET_SHAPE = z.object({ type: z.enum(TARGET_TYPES), schedule: SCHEDULE_SHAPE.optional() }).strict();

/** The DB instances and clusters to snapshot, each with its kind and, optionally, a schedule; none for no snapshot workflow. */
export const snapshotTargets: Check<z.ZodType<Record<string, SnapshotTarget>>> = json(
  TARGETS_RULE,
  withShape(
    z.record(z.string(), z.unknown(), { error: () => `must be ${TARGETS_RULE}` }).transform((value, ctx) => {
      const refuse = (message: string) => {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      };
      const entries = Object.entries(value);
      if (entries.length > MAX_SNAPSHOT_TARGETS) return refuse(`may name at most ${MAX_SNAPSHOT_TARGETS} targets (each adds to the functions' policies), got ${entries.length}`);
      const targets: Record<string, SnapshotTarget> = {};
      for (const [identifier, raw] of entries) {
        const at = `target "${identifier}"`;
        const id = parseWith(rdsIdentifier('DB instance or cluster'), identifier);
        if ('problem' in id) return refuse(`${at}: ${id.problem}`);
        if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return refuse(`${at} must be an object such as {"type": "instance"}`);
        const target = raw as Record<string, unknown>;
        const extra = Object.keys(target).filter((key) => key !== 'type' && key !== 'schedule');
        if (extra.length > 0) return refuse(`${at}: "${extra[0]}" is not a target setting${suggestion(extra[0], ['type', 'schedule'])}`);
        if (!TARGET_TYPES.includes(target.type as TargetType)) return refuse(`${at}: "type" must be "instance" or "cluster", got ${JSON.stringify(target.type)}`);
        if (target.schedule === undefined) {
          targets[identifier] = { type: target.type as TargetType };
          continue;
        }
        const schedule = readSchedule(target.schedule);
        if ('problem' in schedule) return refuse(`${at}: ${schedule.problem}`);
        targets[identifier] = { type: target.type as TargetType, schedule: schedule.value };
      }
      return targets;
    }),
    z.record(z.string().regex(/^[a-z](?!.*--)[a-z0-9-]{0,62}(?<!-)$/), TARGET_SHAPE).meta({ maxProperties: MAX_SNAPSHOT_TARGETS }),
  ),
);

/** The snapshot workflow's settings, all top-level. */
export const RDS_SNAPSHOT_SETTINGS = {
  snapshotTargets: setting({
    example: { value: { analytics: { type: 'cluster' } } },
    default: { 'database-1': { type: 'instance' } },
    description: 'the DB instances and Aurora clusters to snapshot, each optionally on an EventBridge Scheduler schedule; an execution names its target (`{"target": "<identifier>"}`); `{}`: no snapshot workflow',
    mergedByKey: true,
    ...snapshotTargets,
  }),
  snapshotKeepLast: setting({
    example: { value: 3 },
    default: SNAPSHOT_DEFAULTS.keepLast,
    description: "after each snapshot, this workflow's snapshots of the target beyond the newest this many are deleted (0: no count limit)",
    ...integer(0, 100),
  }),
  snapshotMaxAgeDays: setting({
    example: { value: 30 },
    default: SNAPSHOT_DEFAULTS.maxAgeDays,
    description: "after each snapshot, this workflow's snapshots of the target older than this are deleted (0: no age limit; both 0: retention off)",
    ...integer(0, 3650),
  }),
  pollIntervalSeconds: setting({
    example: { value: 30 },
    default: SNAPSHOT_DEFAULTS.pollIntervalSeconds,
    description: 'first wait before describing the snapshot; each later wait doubles',
    ...integer(POLL_INTERVAL_SECONDS.min, POLL_INTERVAL_SECONDS.max),
  }),
  maxPollIntervalSeconds: setting({
    example: { value: 600 },
    default: SNAPSHOT_DEFAULTS.maxPollIntervalSeconds,
    description: 'cap of the doubling poll interval; at least pollIntervalSeconds',
    ...integer(POLL_INTERVAL_SECONDS.min, POLL_INTERVAL_SECONDS.max),
  }),
  snapshotMaxWaitMinutes: setting({
    example: { value: 60 },
    default: SNAPSHOT_DEFAULTS.maxWaitMinutes,
    description: 'polling gives up (`SnapshotTimeout`) after this long; the whole poll schedule must fit the history budget',
    ...integer(MAX_WAIT_MINUTES.min, MAX_WAIT_MINUTES.max),
  }),
};

/** The kind's part of a stack's configuration: its settings as read. */
export type RdsSnapshotConfig = ValuesOf<typeof RDS_SNAPSHOT_SETTINGS>;

declare module '../../config/settings' {
  interface KindsConfig extends RdsSnapshotConfig {}
}

/** The snapshot workflow's poll schedule, in seconds, from its settings. */
export function snapshotPollSchedule(config: Pick<RdsSnapshotConfig, 'pollIntervalSeconds' | 'maxPollIntervalSeconds' | 'snapshotMaxWaitMinutes'>) {
  return pollScheduleOf({ ...config, maxWaitMinutes: config.snapshotMaxWaitMinutes });
}

/** One workflow, `rds-snapshot`, when any target is configured; its poll schedule checked as the construct checks one (`pollScheduleProblems`). */
export const rdsSnapshotSettings: KindSettings<typeof RDS_SNAPSHOT_SETTINGS, RdsSnapshotConfig> = {
  settings: RDS_SNAPSHOT_SETTINGS,
  replaced: { dbInstanceIdentifier: 'use snapshotTargets, e.g. {"database-1": {"type": "instance"}}' },
  fixedIds: [SNAPSHOT_WORKFLOW_ID],
  resolve: ({ values }) => values,
  workflows: (own, { origins }) => (Object.keys(own.snapshotTargets).length === 0 ? [] : [{ id: SNAPSHOT_WORKFLOW_ID, at: origins.snapshotTargets }]),
  crossChecks: (own, { origins, shared, sharedOrigins }) => {
    const named = (key: keyof RdsSnapshotConfig) => said(origins[key], own[key]);
    const polling = pollScheduleProblems(snapshotPollSchedule(own), SNAPSHOT_SUCCESS_TAIL).map(({ setting, problem }) =>
      setting === 'maxWait' ? `${named('snapshotMaxWaitMinutes')}: ${problem} (${named('maxPollIntervalSeconds')})` : `${named('maxPollIntervalSeconds')}: ${problem} (${named('pollIntervalSeconds')})`,
    );
    const reserved = Object.keys(shared.tags).filter((key) => (Object.values(TAG_KEYS) as string[]).includes(key));
    const tags = reserved.length > 0 ? [`${said(sharedOrigins.tags, shared.tags)}: ${reserved.join(', ')} is the snapshot workflow's own tag; choose another key`] : [];
    return [...polling, ...tags];
  },
};
