import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadConfig, otherRegionArns, readContext, SETTINGS } from '../lib/config/config';
import { variableOf } from '../lib/config/settings';
import { DEFAULT_JOB } from '../lib/kinds/continue-as-new/settings';
import { problemsOf } from './support/config-problems';
import { tempDir } from './support/temp-dir';
import { continueAsNewBudget } from '../lib/kinds/continue-as-new/definitions';

const MOST_ITERATIONS = Math.max(continueAsNewBudget('integration').maxIterations, continueAsNewBudget('function').maxIterations);
const problems = (env: Record<string, string>, context: Record<string, unknown> = {}) => problemsOf(() => loadConfig(env, context));
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('configuration', () => {
  test('defaults let synth run with nothing set', () => {
    expect(loadConfig({})).toEqual({
      namePrefix: 'long-running',
      region: 'us-east-1',
      jobs: {
        'continue-as-new': {
          workEntry: 'lambdas/work.ts',
          workTimeoutSeconds: 60,
          workMemoryMb: 256,
          workPolicyStatements: [],
          iterationsPerExecution: undefined,
          maxGenerations: 1000,
          restartWith: 'integration',
          loop: 'standard',
          batchCalls: undefined,
        },
      },
      snapshotTargets: { 'database-1': { type: 'instance' } },
      snapshotKeepLast: 7,
      snapshotMaxAgeDays: 0,
      pollIntervalSeconds: 60,
      maxPollIntervalSeconds: 300,
      snapshotMaxWaitMinutes: 720,
      logRetentionDays: 14,
      stateMachineLogLevel: 'ERROR',
      logExecutionData: false,
      xrayTracing: false,
      tags: {},
      tasks: {},
      alertEmail: undefined,
      stateBucket: undefined,
      stateKeyPrefix: 'long-running-workflows',
      stateRegion: undefined,
    });
  });

  test('environment variables win over cdktf.json context, which wins over defaults', () => {
    const context = { iterationsPerExecution: 50, maxGenerations: 9, tags: { team: 'data' } };
    const config = loadConfig({ WORKFLOWS_ITERATIONS_PER_EXECUTION: '200', WORKFLOWS_XRAY_TRACING: 'true' }, context);
    expect(config).toMatchObject({ jobs: { 'continue-as-new': { iterationsPerExecution: 200, maxGenerations: 9 } }, xrayTracing: true, tags: { team: 'data' } });
  });

  test('the context is what the CDKTF CLI passes, or cdktf.json itself when a script runs without the CLI', () => {
    expect(readContext({ CDKTF_CONTEXT_JSON: '{"namePrefix":"jobs"}' })).toEqual({ namePrefix: 'jobs' });
    const project = tempDir('workflows-context-');
    mkdirSync(project, { recursive: true });
    writeFileSync(path.join(project, 'cdktf.json'), JSON.stringify({ app: 'x', context: { region: 'eu-west-1' } }));
    expect(readContext({}, project)).toEqual({ region: 'eu-west-1' });
  });

  test("a misspelled top-level key of cdktf.json is refused with the nearest one, not read as no settings at all", () => {
    const project = tempDir('workflows-context-');
    writeFileSync(path.join(project, 'cdktf.json'), JSON.stringify({ app: 'x', projectId: 'p', contxt: { region: 'eu-west-1' } }));
    expect(() => readContext({}, project)).toThrow('cdktf.json "contxt" is not a key of cdktf.json; did you mean "context"?');
    writeFileSync(path.join(project, 'cdktf.json'), '[]');
    expect(() => readContext({}, project)).toThrow('cdktf.json must be a JSON object');
  });

  test('every setting has its own WORKFLOWS_ variable', () => {
    const names = Object.keys(SETTINGS).map(variableOf);
    expect(new Set(names).size).toBe(names.length);
    expect(names.every((name) => name.startsWith('WORKFLOWS_'))).toBe(true);
  });

  test.each([
    ['WORKFLOWS_NAME_PREFIX', 'Jobs', 'must be 1-32 lowercase letters'],
    ['WORKFLOWS_NAME_PREFIX', 'a'.repeat(33), 'must be 1-32 lowercase letters'],
    ['WORKFLOWS_REGION', 'mars', 'must be an AWS region code such as us-east-1'],
    ['WORKFLOWS_REGION', 'us-east-99', "is not an AWS region: the AWS SDK's partition data lists no such region"],
    ['WORKFLOWS_REGION', 'aws-global', 'must be an AWS region code such as us-east-1'],
    ['WORKFLOWS_SNAPSHOT_TARGETS', '{"1db":{"type":"instance"}}', 'target "1db": must be an RDS DB instance or cluster identifier'],
    ['WORKFLOWS_SNAPSHOT_TARGETS', '{"db--x":{"type":"instance"}}', 'no two hyphens in a row'],
    ['WORKFLOWS_SNAPSHOT_TARGETS', '{"Orders-DB":{"type":"instance"}}', 'target "Orders-DB": must be lowercase: RDS stores identifiers in lowercase and IAM matches ARNs case-sensitively; write "orders-db"'],
    ['WORKFLOWS_SNAPSHOT_TARGETS', '{"db":{"type":"table"}}', 'target "db": "type" must be "instance" or "cluster", got "table"'],
    ['WORKFLOWS_SNAPSHOT_TARGETS', '{"db":{"type":"instance","retain":3}}', 'target "db": "retain" is not a target setting; the settings are "type", "schedule"'],
    ['WORKFLOWS_SNAPSHOT_TARGETS', '{"db":{"type":"instance","shedule":{}}}', 'target "db": "shedule" is not a target setting; did you mean "schedule"?'],
    ['WORKFLOWS_SNAPSHOT_TARGETS', '{"db":{"type":"instance","schedule":{"expression":"every day"}}}', 'target "db": "schedule": "expression" must be a schedule expression such as "cron(0 3 * * ? *)", "rate(1 day)" or "at(2027-01-31T09:00:00)", got "every day"'],
    ['WORKFLOWS_SNAPSHOT_TARGETS', '{"db":{"type":"instance","schedule":{"expression":"rate(1 day)","timezone":"Mars/Olympus"}}}', 'target "db": "timezone" must be an IANA time zone such as "Europe/Berlin", got "Mars/Olympus"'],
    ['WORKFLOWS_SNAPSHOT_TARGETS', '{"db":{"type":"instance","schedule":{"expression":"rate(1 day)","timezon":"UTC"}}}', 'target "db": "schedule": "timezon" is not a schedule setting; did you mean "timezone"?'],
    ['WORKFLOWS_SNAPSHOT_KEEP_LAST', '101', 'must be a whole number from 0 to 100'],
    ['WORKFLOWS_SNAPSHOT_MAX_AGE_DAYS', '-1', 'must be a whole number from 0 to 3650'],
    ['WORKFLOWS_ALERT_EMAIL', 'ops', 'must be an email address'],
    ['WORKFLOWS_ITERATIONS_PER_EXECUTION', '0', `must be a whole number from 1 to the history budget's limit: ${continueAsNewBudget('integration').maxIterations} with restartWith integration, ${MOST_ITERATIONS} with restartWith function, `],
    ['WORKFLOWS_ITERATIONS_PER_EXECUTION', '1.5', 'must be a whole number'],
    ['WORKFLOWS_MAX_GENERATIONS', '0', 'must be a whole number from 1 to 1000000'],
    ['WORKFLOWS_RESTART_WITH', 'lambda', 'must be one of integration, function'],
    ['WORKFLOWS_WORK_TIMEOUT_SECONDS', '901', 'must be a whole number from 1 to 900'],
    ['WORKFLOWS_WORK_MEMORY_MB', '64', 'must be a whole number from 128 to 10240'],
    ['WORKFLOWS_WORK_ENTRY', 'lambdas/missing.ts', 'names no file: a .ts or .js file of this repository'],
    ['WORKFLOWS_WORK_ENTRY', '../outside.ts', 'must stay inside this repository'],
    ['WORKFLOWS_WORK_ENTRY', '/etc/passwd', 'must be a .ts or .js file of this repository'],
    ['WORKFLOWS_WORK_POLICY_STATEMENTS', '{"Action":"s3:GetObject"}', 'must be a JSON array of IAM Allow statements'],
    ['WORKFLOWS_WORK_POLICY_STATEMENTS', '[{"Action":"s3:*","Resource":"*"}]', 'statement 0: Action "s3:*" allows a whole service; name the actions the work calls'],
    ['WORKFLOWS_WORK_POLICY_STATEMENTS', '[{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}]', 'statement 0: Effect must be "Allow"'],
    ['WORKFLOWS_WORK_POLICY_STATEMENTS', '[{"Action":"s3:GetObject"}]', 'statement 0: Resource must name one or more resources'],
    ['WORKFLOWS_WORK_POLICY_STATEMENTS', '[{"Action":"s3:GetObject","Resource":"*","NotResource":"x"}]', 'statement 0 may hold only Sid, Effect, Action, Resource, Condition and AllowActionPatterns, not NotResource'],
    ['WORKFLOWS_POLL_INTERVAL_SECONDS', 'soon', 'must be a whole number from 1 to 3600'],
    ['WORKFLOWS_LOG_RETENTION_DAYS', '10', 'must be one of 0, 1, 3, 5, 7, 14'],
    ['WORKFLOWS_STATE_MACHINE_LOG_LEVEL', 'DEBUG', 'must be one of ALL, ERROR, FATAL, OFF'],
    ['WORKFLOWS_XRAY_TRACING', 'yes', 'must be true or false'],
    ['WORKFLOWS_KMS_KEY_ARN', 'arn:aws:kms:eu-west-1:123456789012:alias/workflows', 'must be a KMS key ARN, arn:<partition>:kms:<region>:<account>:key/<key id> (not an alias)'],
    ['WORKFLOWS_TAGS', 'team=data', 'must be a JSON object of string values'],
    ['WORKFLOWS_TAGS', '{"aws:x":"y"}', 'tag key "aws:x" must be 1-128 characters and not start with "aws:"'],
    ['WORKFLOWS_TAGS', '{"n":1}', 'tag "n" must have a string value'],
  ])('%s=%s is refused, naming the variable, the value and the rule', (name, value, rule) => {
    const found = problems({ [name]: value });
    expect(found).toEqual([expect.stringContaining(rule)]);
    expect(found[0]).toMatch(new RegExp(`^${name} = ${escape(JSON.stringify(value))}: `));
  });

  test('regions the SDK lists are accepted, in every partition', () => {
    for (const region of ['us-east-1', 'ap-southeast-7', 'cn-north-1', 'us-gov-west-1']) expect(loadConfig({ WORKFLOWS_REGION: region }).region).toBe(region);
  });

  test("the stated range is the real one: iterations up to the restart mode's derived budget, not one more", () => {
    for (const mode of ['integration', 'function'] as const) {
      const { maxIterations } = continueAsNewBudget(mode);
      expect(loadConfig({ WORKFLOWS_RESTART_WITH: mode, WORKFLOWS_ITERATIONS_PER_EXECUTION: String(maxIterations) }).jobs[DEFAULT_JOB].iterationsPerExecution).toBe(maxIterations);
    }
    const { maxIterations } = continueAsNewBudget('integration');
    expect(problems({ WORKFLOWS_ITERATIONS_PER_EXECUTION: String(maxIterations + 1) })).toEqual([
      expect.stringMatching(
        new RegExp(`^WORKFLOWS_ITERATIONS_PER_EXECUTION = ${maxIterations + 1}: must be a whole number from 1 to ${maxIterations}, the history budget's limit with restartWith integration: .* \\(the default restartWith\\)$`),
      ),
    ]);
  });

  test('a job\'s loop settings are checked with the loop they depend on, naming where each came from', () => {
    expect(problems({ WORKFLOWS_JOBS: '{"drain": {"loop": "expres"}}' })).toEqual(['WORKFLOWS_JOBS.drain.loop = "expres": must be one of standard, express']);
    expect(problems({ WORKFLOWS_BATCH_CALLS: '100' })).toEqual(['WORKFLOWS_BATCH_CALLS = 100: applies only with loop express (the default loop)']);
    expect(problems({ WORKFLOWS_LOOP: 'express', WORKFLOWS_WORK_TIMEOUT_SECONDS: '600' })).toEqual([
      "WORKFLOWS_WORK_TIMEOUT_SECONDS = 600: is too long for loop express: a whole call must fit in a batch's 5 minutes with room to spare, so at most 240 (WORKFLOWS_LOOP)",
    ]);
    const { maxIterations } = continueAsNewBudget('integration', 'express');
    expect(problems({ WORKFLOWS_JOBS: `{"drain": {"loop": "express", "iterationsPerExecution": ${maxIterations + 1}}}` })[0]).toMatch(
      new RegExp(`^WORKFLOWS_JOBS.drain.iterationsPerExecution = ${maxIterations + 1}: must be a whole number from 1 to ${maxIterations}, the history budget's limit with restartWith integration and loop express: .* per batch .*\\(the default restartWith, WORKFLOWS_JOBS.drain.loop\\)$`),
    );
    expect(loadConfig({ WORKFLOWS_JOBS: '{"drain": {"loop": "express", "batchCalls": 100}}' }).jobs.drain).toMatchObject({ loop: 'express', batchCalls: 100 });
  });

  test('work policy statements are read into IAM statements, with Sids', () => {
    const statements = '[{"Action":"s3:GetObject","Resource":"arn:aws:s3:::archive/*"},{"Sid":"ReadQueue","Action":["sqs:ReceiveMessage"],"Resource":["arn:aws:sqs:us-east-1:123456789012:jobs"]}]';
    expect(loadConfig({ WORKFLOWS_WORK_POLICY_STATEMENTS: statements }).jobs[DEFAULT_JOB].workPolicyStatements).toEqual([
      { Sid: 'Work0', Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::archive/*'] },
      { Sid: 'ReadQueue', Effect: 'Allow', Action: ['sqs:ReceiveMessage'], Resource: ['arn:aws:sqs:us-east-1:123456789012:jobs'] },
    ]);
  });

  test('a bad context value names the context key', () => {
    expect(problems({}, { maxGenerations: 'many' })).toEqual(['cdktf.json context "maxGenerations" = "many": must be a whole number from 1 to 1000000']);
  });

  test("cdktf.json's JSON is read as the type it is: a number, a boolean or an object written as a string is refused as such; a variable's text is still read", () => {
    expect(problems({}, { maxGenerations: '50', xrayTracing: 'true', tags: '{"team":"data"}', jobs: { reindex: { workTimeoutSeconds: '120' } } })).toEqual([
      'cdktf.json context "maxGenerations" = "50": must be a whole number from 1 to 1000000, as JSON: write 50, not the string "50"',
      'cdktf.json context "xrayTracing" = "true": must be true or false, as JSON: write true, not the string "true"',
      'cdktf.json context "tags" = "{\\"team\\":\\"data\\"}": must be a JSON object of string values, e.g. {"team":"data"}, as JSON: write {"team":"data"}, not the string "{\\"team\\":\\"data\\"}"',
      'cdktf.json context "jobs.reindex.workTimeoutSeconds" = "120": must be a whole number from 1 to 900, as JSON: write 120, not the string "120"',
    ]);
    const config = loadConfig({ WORKFLOWS_MAX_GENERATIONS: '50', WORKFLOWS_XRAY_TRACING: 'true', WORKFLOWS_TAGS: '{"team":"data"}' });
    expect([config.jobs[DEFAULT_JOB].maxGenerations, config.xrayTracing, config.tags]).toEqual([50, true, { team: 'data' }]);
  });

  test('an ARN the configuration names in another region than the deployment is said in one line, naming where', () => {
    const table = 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders';
    const task = { startEntry: 'lambdas/task/export-table-start.ts', checkEntry: 'lambdas/task/export-table-check.ts', environment: { EXPORT_TABLE_ARN: table, EXPORT_BUCKET: 'acme' } };
    const statements = [{ Action: ['dynamodb:ExportTableToPointInTime'], Resource: [table, 'arn:aws:s3:::acme/*'] }];
    const config = loadConfig({}, { tasks: { export: { ...task, policyStatements: statements } } });
    expect(otherRegionArns(config, 'long-running-workflows')).toEqual([
      `long-running-workflows: ${table} (tasks.export.policyStatements[0].Resource[0], tasks.export.environment.EXPORT_TABLE_ARN) is in eu-west-1, while the stack deploys to us-east-1: a call that uses it must be made in eu-west-1`,
    ]);
    expect(otherRegionArns(loadConfig({ WORKFLOWS_REGION: 'eu-west-1' }, { tasks: { export: task } }), 'long-running-workflows')).toEqual([]);
  });

  test('lists every bad value at once', () => {
    expect(problems({ WORKFLOWS_REGION: 'x', WORKFLOWS_MAX_GENERATIONS: 'y' })).toHaveLength(2);
  });

  test('a cross-check names where each value came from', () => {
    expect(problems({ WORKFLOWS_POLL_INTERVAL_SECONDS: '600' }, { maxPollIntervalSeconds: 300 })).toEqual([
      'cdktf.json context "maxPollIntervalSeconds" = 300: must be at least the first poll interval, 600 (WORKFLOWS_POLL_INTERVAL_SECONDS = 600)',
    ]);
    expect(problems({ WORKFLOWS_MAX_POLL_INTERVAL_SECONDS: '30', WORKFLOWS_SNAPSHOT_MAX_WAIT_MINUTES: '60' })).toEqual([
      'WORKFLOWS_MAX_POLL_INTERVAL_SECONDS = 30: must be at least the first poll interval, 60 (the default pollIntervalSeconds = 60)',
    ]);
    expect(problems({ WORKFLOWS_SNAPSHOT_MAX_WAIT_MINUTES: '10080' }, { pollIntervalSeconds: 5, maxPollIntervalSeconds: 5 })).toEqual([
      expect.stringMatching(
        /^WORKFLOWS_SNAPSHOT_MAX_WAIT_MINUTES = 10080: polling for that long could write \d+ history events, over the budget of 20000 .*; raise the maximum poll interval or shorten the wait \(cdktf\.json context "maxPollIntervalSeconds" = 5\)$/,
      ),
    ]);
  });
});

describe('a misspelled setting is an error wherever it is written, with the nearest valid name', () => {
  test('a WORKFLOWS_ variable', () => {
    expect(problems({ WORKFLOWS_REGON: 'eu-west-1' })).toEqual(['WORKFLOWS_REGON is not a setting; did you mean WORKFLOWS_REGION?']);
  });

  test('a top-level cdktf.json context key', () => {
    expect(problems({}, { nmePrefix: 'jobs' })).toEqual(['cdktf.json context "nmePrefix" is not a setting; did you mean "namePrefix"?']);
  });

  test('a name nothing is near lists the settings', () => {
    expect(problems({}, { colour: 'blue' })[0]).toMatch(/^cdktf\.json context "colour" is not a setting; the settings are "namePrefix", "region", /);
  });

  test('targets are read with their schedules, the time zone UTC and overlap skip unless given', () => {
    const targets =
      '{"orders-db":{"type":"instance","schedule":{"expression":"cron(0 3 * * ? *)","timezone":"Europe/Berlin","overlap":"allow"}},"analytics":{"type":"cluster","schedule":{"expression":"rate(12 hours)"}}}';
    expect(loadConfig({ WORKFLOWS_SNAPSHOT_TARGETS: targets }).snapshotTargets).toEqual({
      'orders-db': { type: 'instance', schedule: { expression: 'cron(0 3 * * ? *)', timezone: 'Europe/Berlin', overlap: 'allow' } },
      analytics: { type: 'cluster', schedule: { expression: 'rate(12 hours)', timezone: 'UTC', overlap: 'skip' } },
    });
    expect(problems({ WORKFLOWS_SNAPSHOT_TARGETS: '{"a":{"type":"instance","schedule":{"expression":"rate(1 hour)","overlap":"never"}}}' })[0]).toContain('"overlap" must be one of skip, allow, got "never"');
  });

  test("a configured tag may not take the snapshot workflow's own tag keys", () => {
    expect(problems({ WORKFLOWS_TAGS: '{"workflow:created-by":"me"}' })).toEqual([
      'WORKFLOWS_TAGS = {"workflow:created-by":"me"}: workflow:created-by is the snapshot workflow\'s own tag; choose another key',
    ]);
  });

  test('a setting this project replaced says what to use instead', () => {
    expect(problems({ WORKFLOWS_LOOP_THRESHOLD: '100' }, { restartCount: 4, dbInstanceIdentifier: 'orders-db' })).toEqual([
      'WORKFLOWS_LOOP_THRESHOLD is no longer a setting: use iterationsPerExecution (its default is the most the history budget allows)',
      'cdktf.json context "restartCount" is no longer a setting: a chain now runs until the work returns done: true; maxGenerations is its safety cap',
      'cdktf.json context "dbInstanceIdentifier" is no longer a setting: use snapshotTargets, e.g. {"database-1": {"type": "instance"}}',
    ]);
  });

  test('keys CDKTF itself reads from context stay allowed', () => {
    expect(loadConfig({}, { cdktfRelativeModules: [], cdktfStaticModuleAssetHash: 'x', '@cdktf/disable_stack_trace_in_metadata': true }).region).toBe('us-east-1');
  });
});

describe('schedule expressions, checked as EventBridge Scheduler defines them', () => {
  const withSchedule = (expression: string, timezone?: string) =>
    problems({ WORKFLOWS_SNAPSHOT_TARGETS: JSON.stringify({ db: { type: 'instance', schedule: { expression, ...(timezone ? { timezone } : {}) } } }) });

  test.each(['cron(0 3 * * ? *)', 'cron(0/15 8-18 ? * MON-FRI *)', 'cron(0 3 L * ? *)', 'cron(0 3 15W * ? 2027)', 'cron(0 3 ? * 6#3 *)', 'cron(0 3 * JAN,FEB ? 1970-2199)', 'rate(1 day)', 'rate(5 minutes)', 'at(2027-01-31T09:00:00)'])(
    '%s is accepted',
    (expression) => expect(loadConfig({ WORKFLOWS_SNAPSHOT_TARGETS: JSON.stringify({ db: { type: 'instance', schedule: { expression } } }) }).snapshotTargets.db.schedule?.expression).toBe(expression),
  );

  test.each([
    ['cron(not a cron)', 'is not a cron expression as EventBridge Scheduler reads one'],
    ['cron(0 3 * * *)', 'Expected 6 values, but got 5'],
    ['cron(99 3 * * ? *)', "Number '99' of minutes field is bigger than upper limit '59'"],
    ['cron(0 3 * * * *)', 'Cannot specify both daysOfMonth and daysOfWeek'],
    ['cron(0 3 ? * ? *)', 'Cannot use blank value in daysOfMonth and daysOfWeek'],
    ['cron(0 3 * * ? 2200)', "Number '2200' of years field is bigger than upper limit '2199'"],
    ['rate(0 minutes)', 'a rate must be at least 1'],
    ['rate(1 days)', 'write "rate(1 day)", the unit singular for 1'],
    ['rate(2 hour)', 'write "rate(2 hours)", the unit plural for more than 1'],
    ['at(2026-13-45T99:00:00)', 'is not a real date and time'],
    ['every day', '"expression" must be a schedule expression such as'],
  ])('%s is refused: %s', (expression, message) => {
    expect(withSchedule(expression)).toEqual([expect.stringContaining(message)]);
  });

  test('the time zone is one the IANA database has, spelled as it does', () => {
    expect(withSchedule('rate(1 day)', 'Mars/Olympus')).toEqual([expect.stringContaining('"timezone" must be an IANA time zone')]);
    expect(withSchedule('rate(1 day)', 'europe/berlin')).toEqual([expect.stringContaining('must be spelled as the IANA database does: "Europe/Berlin"')]);
  });
});
