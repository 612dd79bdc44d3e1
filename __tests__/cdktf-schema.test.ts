import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { loadStacks, SETTINGS } from '../lib/config/config';
import { CDKTF_SCHEMA_FILE, cdktfSchemaText } from '../lib/config/json-schema';

const ROOT = path.join(__dirname, '..');
const committed = readFileSync(path.join(ROOT, CDKTF_SCHEMA_FILE), 'utf8');
const validate = new Ajv({ allErrors: true }).compile(JSON.parse(committed));
/** What the schema says of a cdktf.json with this context: nothing, or each problem's place and message. */
const refusals = (context: unknown) => (validate({ language: 'typescript', app: 'node main.ts', context }) ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message}`));

/** Every setting at its default, as cdktf.json would spell it (an unset optional one left out). */
const DEFAULT_CONTEXT = Object.fromEntries(Object.entries(SETTINGS).filter(([, setting]) => setting.default !== undefined).map(([name, setting]) => [name, setting.default]));
const task = { startEntry: '__tests__/fixtures/task/start.ts', checkEntry: '__tests__/fixtures/task/check.ts' };
/** A context with something of everything: jobs, tasks, targets with schedules, environments, CDKTF's own keys. */
const FULL_CONTEXT = {
  jobs: { reindex: { workEntry: '__tests__/fixtures/work/counter.ts', loop: 'express', batchCalls: 100 }, backfill: { restartWith: 'function' } },
  tasks: { nightly: { ...task, schedule: { expression: 'rate(1 day)', timezone: 'Europe/Berlin' }, environment: { EXPORT_BUCKET: 'b' } } },
  snapshotTargets: { 'orders-db': { type: 'instance', schedule: { expression: 'cron(0 3 * * ? *)' } }, analytics: { type: 'cluster' } },
  workPolicyStatements: [{ Action: 's3:GetObject', Resource: ['arn:aws:s3:::archive/*'] }],
  tags: { team: 'data' },
  environments: { dev: {}, prod: { namePrefix: 'orders', maxGenerations: 10000, logRetentionDays: 90 } },
  cdktfRelativeModules: [],
  '@cdktf/disable_stack_trace_in_metadata': true,
};

describe(`${CDKTF_SCHEMA_FILE}, the JSON Schema of cdktf.json for editors`, () => {
  test('is current: written from the settings by `npm run docs`', () => {
    expect(committed).toBe(cdktfSchemaText());
  });

  test("accepts the project's cdktf.json, every default, and a context with something of everything that the configuration also accepts", () => {
    const cdktfJson = JSON.parse(readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8'));
    expect(validate(cdktfJson) ? [] : validate.errors).toEqual([]);
    expect(refusals(DEFAULT_CONTEXT)).toEqual([]);
    expect(refusals(FULL_CONTEXT)).toEqual([]);
    expect(loadStacks({}, FULL_CONTEXT).map((stack) => stack.stackId)).toEqual(['long-running-workflows-dev', 'long-running-workflows-prod']);
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['a misspelled key', { nmePrefix: 'jobs' }, ' must NOT have additional properties'],
    ['a misspelled job key', { jobs: { reindex: { workTimeOutSeconds: 5 } } }, '/jobs/reindex must NOT have additional properties'],
    ['a misspelled key in an environment', { environments: { prod: { nmePrefix: 'x' } } }, '/environments/prod must NOT have additional properties'],
    ['a task without its check', { tasks: { nightly: { startEntry: task.startEntry } } }, "/tasks/nightly must have required property 'checkEntry'"],
    ['a wrong type', { xrayTracing: 'yes' }, '/xrayTracing must be boolean'],
    ['a number out of range', { workMemoryMb: 64 }, '/workMemoryMb must be >= 128'],
    ['a bad enum value', { stateMachineLogLevel: 'DEBUG' }, '/stateMachineLogLevel must be equal to one of the allowed values'],
    ['a retention CloudWatch does not offer', { logRetentionDays: 10 }, '/logRetentionDays must be equal to one of the allowed values'],
    ['a bad target type', { snapshotTargets: { db: { type: 'table' } } }, '/snapshotTargets/db/type must be equal to one of the allowed values'],
    ['a bad job name', { jobs: { Reindex: {} } }, '/jobs must match pattern'],
    ['an empty environments', { environments: {} }, '/environments must NOT have fewer than 1 properties'],
  ])('refuses %s, as the configuration does', (_, context, refusal) => {
    expect(refusals(context)).toContainEqual(expect.stringContaining(refusal));
    expect(() => loadStacks({}, context)).toThrow('Invalid configuration');
  });

  test('refuses a misspelled top-level key, which would leave every setting at its default', () => {
    const cdktfJson = JSON.parse(readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8'));
    const { context, ...rest } = cdktfJson;
    expect(validate({ ...rest, contxt: context })).toBe(false);
    expect(validate.errors).toContainEqual(expect.objectContaining({ keyword: 'additionalProperties', params: { additionalProperty: 'contxt' } }));
  });
});
