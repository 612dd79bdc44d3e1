import { SETTINGS, contextFromEnv, loadConfig } from '../lib/config';
import { problemsOf } from './support/config-problems';

const problems = (env: Record<string, string>, context: Record<string, unknown> = {}) => problemsOf(() => loadConfig(env, context));

describe('configuration', () => {
  test('defaults let synth run with nothing set', () => {
    expect(loadConfig({})).toEqual({
      namePrefix: 'long-running',
      region: 'us-east-1',
      dbInstanceIdentifier: 'database-1',
      loopThreshold: 100,
      restartCount: 4,
      pollIntervalSeconds: 60,
      maxPollIntervalSeconds: 300,
      snapshotMaxWaitMinutes: 720,
      logRetentionDays: 14,
      stateMachineLogLevel: 'ERROR',
      logExecutionData: false,
      xrayTracing: false,
      tags: {},
      stateBucket: undefined,
      stateKeyPrefix: 'long-running-workflows',
      stateRegion: undefined,
    });
  });

  test('environment variables win over cdktf.json context, which wins over defaults', () => {
    const context = { loopThreshold: 50, restartCount: 9, tags: { team: 'data' } };
    const config = loadConfig({ WORKFLOWS_LOOP_THRESHOLD: '200', WORKFLOWS_XRAY_TRACING: 'true' }, context);
    expect(config).toMatchObject({ loopThreshold: 200, restartCount: 9, xrayTracing: true, tags: { team: 'data' } });
  });

  test('reads the context cdktf passes in CDKTF_CONTEXT_JSON', () => {
    expect(contextFromEnv({ CDKTF_CONTEXT_JSON: '{"namePrefix":"jobs"}' })).toEqual({ namePrefix: 'jobs' });
    expect(contextFromEnv({})).toEqual({});
  });

  test('every setting has its own WORKFLOWS_ variable', () => {
    const names = Object.values(SETTINGS).map((setting) => setting.env);
    expect(new Set(names).size).toBe(names.length);
    expect(names.every((name) => name.startsWith('WORKFLOWS_'))).toBe(true);
  });

  test.each([
    ['WORKFLOWS_NAME_PREFIX', 'Jobs', 'must be 1-32 lowercase letters'],
    ['WORKFLOWS_NAME_PREFIX', 'a'.repeat(33), 'must be 1-32 lowercase letters'],
    ['WORKFLOWS_REGION', 'mars', 'must be an AWS region code'],
    ['WORKFLOWS_DB_INSTANCE_IDENTIFIER', '1db', 'must be an RDS DB instance identifier'],
    ['WORKFLOWS_DB_INSTANCE_IDENTIFIER', 'db--x', 'no two hyphens in a row'],
    ['WORKFLOWS_LOOP_THRESHOLD', '0', 'must be a whole number from 1 to 100000'],
    ['WORKFLOWS_LOOP_THRESHOLD', '1.5', 'must be a whole number'],
    ['WORKFLOWS_RESTART_COUNT', '-1', 'must be a whole number from 0'],
    ['WORKFLOWS_POLL_INTERVAL_SECONDS', 'soon', 'must be a whole number from 1 to 3600'],
    ['WORKFLOWS_LOG_RETENTION_DAYS', '10', 'must be one of 0, 1, 3, 5, 7, 14'],
    ['WORKFLOWS_STATE_MACHINE_LOG_LEVEL', 'DEBUG', 'must be one of ALL, ERROR, FATAL, OFF'],
    ['WORKFLOWS_XRAY_TRACING', 'yes', 'must be true or false'],
    ['WORKFLOWS_TAGS', 'team=data', 'must be a JSON object of string values'],
    ['WORKFLOWS_TAGS', '{"aws:x":"y"}', 'tag key "aws:x" must be 1-128 characters and not start with "aws:"'],
    ['WORKFLOWS_TAGS', '{"n":1}', 'tag "n" must have a string value'],
  ])('%s=%s is refused, naming the variable, the value and the rule', (name, value, rule) => {
    const found = problems({ [name]: value });
    expect(found).toEqual([expect.stringContaining(rule)]);
    expect(found[0]).toMatch(new RegExp(`^${name} = ${JSON.stringify(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
  });

  test('a bad context value names the context key', () => {
    expect(problems({}, { restartCount: 'many' })).toEqual(['context "restartCount" = "many": must be a whole number from 0 to 1000000']);
  });

  test('lists every bad value at once', () => {
    expect(problems({ WORKFLOWS_REGION: 'x', WORKFLOWS_LOOP_THRESHOLD: 'y' })).toHaveLength(2);
  });

  test('a cap below the first poll interval is refused', () => {
    expect(problems({ WORKFLOWS_POLL_INTERVAL_SECONDS: '600', WORKFLOWS_MAX_POLL_INTERVAL_SECONDS: '300' })).toEqual([
      'maxPollIntervalSeconds (WORKFLOWS_MAX_POLL_INTERVAL_SECONDS) = 300: must be at least pollIntervalSeconds (WORKFLOWS_POLL_INTERVAL_SECONDS) = 600',
    ]);
  });
});
