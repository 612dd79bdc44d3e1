import { inside, said, type KindSettings } from '../../config/kind-settings';
import { addedStatementProblems, environmentVariables, integer, namedSettings, optional, policyStatements, repositoryFile, startSchedule } from '../../config/parse';
import { entryShape, setting, type ValuesOf } from '../../config/settings';
import { LAMBDA_TIMEOUT_SECONDS } from '../../core/lambda-limits';
import { WORKFLOW_NAME_RULE } from '../../core/names';
import { PROJECT_DIR } from '../../core/paths';
import { MAX_WAIT_MINUTES, POLL_INTERVAL_SECONDS, pollScheduleOf, pollScheduleProblems } from '../../core/polling';
import { TASK_DEFAULTS, TASK_SUCCESS_TAIL } from './defaults';

/** The example task's handlers, which lived beside the work example before each kind had its folder. */
const MOVED_ENTRIES = {
  'lambdas/export-table-start.ts': 'lambdas/task/export-table-start.ts',
  'lambdas/export-table-check.ts': 'lambdas/task/export-table-check.ts',
};

/** What one long-running task sets, under its name in `tasks`. The defaults are the construct's own. */
export const TASK_SETTINGS = {
  startEntry: setting({
    example: { value: 'lambdas/task/export-table-start.ts' },
    default: '',
    defaultText: 'required',
    required: true,
    description: 'your start function (exports `handler`, a `TaskStartHandler`); see [Run your own task](#run-your-own-task)',
    ...repositoryFile(PROJECT_DIR, MOVED_ENTRIES),
  }),
  checkEntry: setting({
    example: { value: 'lambdas/task/export-table-check.ts' },
    default: '',
    defaultText: 'required',
    required: true,
    description: 'your check function (exports `handler`, a `TaskCheckHandler`)',
    ...repositoryFile(PROJECT_DIR, MOVED_ENTRIES),
  }),
  cancelEntry: setting({
    example: { value: '__tests__/fixtures/task/cancel.ts' },
    default: undefined,
    defaultText: 'unset (a stop leaves the external job running)',
    description: 'your cancel function (exports `handler`, a `TaskCancelHandler`), deployed as `<name>-cancel`: `npm run runs -- stop` calls it with the run\'s handle',
    ...optional(repositoryFile(PROJECT_DIR)),
  }),
  policyStatements: setting({
    example: { value: [{ Action: 's3:GetObject', Resource: 'arn:aws:s3:::archive/*' }] },
    default: [],
    defaultText: '`[]` (logs only)',
    description: "what the task's functions may call, added to each one's role policy; held to the rules of [Security](../README.md#security)",
    ...policyStatements('Task'),
  }),
  environment: setting({
    example: { value: { EXPORT_BUCKET: 'acme-exports' } },
    default: {},
    description: "variables the task's functions get: the job's table, bucket, and the like",
    ...environmentVariables,
  }),
  pollIntervalSeconds: setting({ example: { value: 30 }, default: TASK_DEFAULTS.pollIntervalSeconds, description: 'first wait before check; each later wait doubles', ...integer(POLL_INTERVAL_SECONDS.min, POLL_INTERVAL_SECONDS.max) }),
  maxPollIntervalSeconds: setting({
    example: { value: 600 },
    default: TASK_DEFAULTS.maxPollIntervalSeconds,
    description: 'cap of the doubling poll interval; at least pollIntervalSeconds',
    ...integer(POLL_INTERVAL_SECONDS.min, POLL_INTERVAL_SECONDS.max),
  }),
  maxWaitMinutes: setting({
    example: { value: 60 },
    default: TASK_DEFAULTS.maxWaitMinutes,
    description: 'polling gives up (`TaskTimeout`) after this long; the whole poll schedule must fit the history budget',
    ...integer(MAX_WAIT_MINUTES.min, MAX_WAIT_MINUTES.max),
  }),
  timeoutSeconds: setting({ example: { value: 30 }, default: TASK_DEFAULTS.timeoutSeconds, description: 'timeout of one call of start, check or cancel', ...integer(LAMBDA_TIMEOUT_SECONDS.min, LAMBDA_TIMEOUT_SECONDS.max) }),
  schedule: setting({
    example: { value: { expression: 'rate(1 day)' } },
    default: undefined,
    defaultText: 'unset (started by hand)',
    description: 'an EventBridge Scheduler schedule starting an execution with the input `{}` (`{"overlap": "skip"}` unless its `overlap` is `allow`: a start while the last one still runs then ends at once)',
    ...optional(startSchedule),
  }),
};

export type TaskConfig = ValuesOf<typeof TASK_SETTINGS>;

/** The kind's top-level setting: the tasks by name, each with the settings above. */
export const TASK_KIND_SETTINGS = {
  tasks: setting({
    example: { value: { nightly: { startEntry: '__tests__/fixtures/task/start.ts', checkEntry: '__tests__/fixtures/task/check.ts' } } },
    default: {},
    defaultText: '`{}` (none)',
    description: `your long-running tasks by name (${WORKFLOW_NAME_RULE}), each with the keys below; each is a state machine \`<namePrefix>-<task>\``,
    mergedByKey: true,
    ...namedSettings('task', '{"export-orders": {"startEntry": "lambdas/task/export-table-start.ts", "checkEntry": "lambdas/task/export-table-check.ts"}}', entryShape(TASK_SETTINGS)),
  }),
};

/** The kind's part of a stack's configuration. */
export interface TaskKindConfig {
  readonly tasks: Readonly<Record<string, TaskConfig>>;
}

declare module '../../config/settings' {
  interface KindsConfig extends TaskKindConfig {}
}

/** The tasks, each read with its rules; its poll schedule checked as the construct checks one (`pollScheduleProblems`). */
export const taskSettings: KindSettings<typeof TASK_KIND_SETTINGS, TaskKindConfig> = {
  settings: TASK_KIND_SETTINGS,
  perWorkflow: { key: 'tasks', settings: TASK_SETTINGS },
  resolve: ({ entries }) => ({ tasks: entries('tasks', 'task', TASK_SETTINGS, (key) => TASK_SETTINGS[key].default) }),
  workflows: ({ tasks }, { entryOrigin }) => Object.keys(tasks).map((id) => ({ id, at: entryOrigin('tasks', id) })),
  crossChecks: ({ tasks }, { entryOrigin, shared }) =>
    Object.entries(tasks).flatMap(([name, task]) => [
      ...pollScheduleProblems(pollScheduleOf(task), TASK_SUCCESS_TAIL).map(({ setting, problem }) => {
        const key = setting === 'maxWait' ? 'maxWaitMinutes' : setting;
        return `${said(inside(entryOrigin('tasks', name), key), task[key])}: ${problem}`;
      }),
      ...addedStatementProblems(`task ${name}`, inside(entryOrigin('tasks', name), 'policyStatements'), task.policyStatements, shared.namePrefix),
    ]),
};
