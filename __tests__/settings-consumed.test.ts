import { settingsGroups } from '../lib/config/config';
import { variableOf } from '../lib/config/settings';
import { synthesize } from './support/synth';

/**
 * Another valid value for every setting, and the settings it needs beside it (a batch cap needs
 * the Express loop): what shows that each setting reaches what is synthesized. A setting defined
 * but read by no construct leaves the stack as it was, and fails here; a new setting without a
 * value here fails the first test.
 */
const SAMPLES: Readonly<Record<string, { readonly value: unknown; readonly with?: Readonly<Record<string, unknown>> }>> = {
  namePrefix: { value: 'acme' },
  region: { value: 'eu-west-1' },
  logRetentionDays: { value: 30 },
  stateMachineLogLevel: { value: 'ALL' },
  logExecutionData: { value: true },
  xrayTracing: { value: true },
  tags: { value: { team: 'data' } },
  alertEmail: { value: 'ops@example.com' },
  stateBucket: { value: 'acme-terraform-state' },
  stateKeyPrefix: { value: 'teams/data', with: { stateBucket: 'acme-terraform-state' } },
  stateRegion: { value: 'eu-central-1', with: { stateBucket: 'acme-terraform-state' } },
  jobs: { value: { nightly: {} } },
  workEntry: { value: '__tests__/fixtures/work/counter.ts' },
  workTimeoutSeconds: { value: 30 },
  workMemoryMb: { value: 512 },
  workPolicyStatements: { value: [{ Action: 's3:GetObject', Resource: 'arn:aws:s3:::archive/*' }] },
  iterationsPerExecution: { value: 100 },
  maxGenerations: { value: 10 },
  restartWith: { value: 'function' },
  loop: { value: 'express' },
  batchCalls: { value: 10, with: { loop: 'express' } },
  snapshotTargets: { value: { analytics: { type: 'cluster' } } },
  snapshotKeepLast: { value: 3 },
  snapshotMaxAgeDays: { value: 30 },
  pollIntervalSeconds: { value: 30 },
  maxPollIntervalSeconds: { value: 600 },
  snapshotMaxWaitMinutes: { value: 60 },
  tasks: { value: { nightly: { startEntry: '__tests__/fixtures/task/start.ts', checkEntry: '__tests__/fixtures/task/check.ts' } } },
};

/** The same for a workflow's own settings (a task's), each set on one task. */
const PER_WORKFLOW_SAMPLES: Readonly<Record<string, unknown>> = {
  startEntry: 'lambdas/task/export-table-start.ts',
  checkEntry: 'lambdas/task/export-table-check.ts',
  policyStatements: [{ Action: 's3:GetObject', Resource: 'arn:aws:s3:::archive/*' }],
  environment: { EXPORT_BUCKET: 'acme-exports' },
  pollIntervalSeconds: 30,
  maxPollIntervalSeconds: 600,
  maxWaitMinutes: 60,
  timeoutSeconds: 30,
  schedule: { expression: 'rate(1 day)' },
};
const ONE_TASK = { startEntry: '__tests__/fixtures/task/start.ts', checkEntry: '__tests__/fixtures/task/check.ts' };

/** Settings as WORKFLOWS_* variables, the way a deploy passes them. */
const asVariables = (settings: Readonly<Record<string, unknown>>) =>
  Object.fromEntries(Object.entries(settings).map(([name, value]) => [variableOf(name), typeof value === 'string' ? value : JSON.stringify(value)]));
const synthesized = new Map<string, string>();
/** The synthesized stack (cdk.tf.json as Testing.synth writes it) for these settings; each configuration synthesized once. */
function synthOf(settings: Readonly<Record<string, unknown>>): string {
  const key = JSON.stringify(settings);
  if (!synthesized.has(key)) synthesized.set(key, synthesize(asVariables(settings)).text);
  return synthesized.get(key)!;
}

const groups = settingsGroups();
const cases = groups.flatMap(({ group, settings }) => Object.keys(settings).map((name) => [group, name] as const));
const perWorkflow = groups.flatMap(({ group, perWorkflow: per }) => (per ? Object.keys(per.settings).map((name) => [group, per.key, name] as const) : []));

test('every setting, and every workflow\'s own, has a sample value here', () => {
  expect(cases.map(([, name]) => name).filter((name) => !(name in SAMPLES))).toEqual([]);
  expect(perWorkflow.map(([, , name]) => name).filter((name) => !(name in PER_WORKFLOW_SAMPLES))).toEqual([]);
});

test.each(cases)('%s: %s reaches the synthesized stack', (_, name) => {
  const { value, with: beside = {} } = SAMPLES[name];
  expect(synthOf({ ...beside, [name]: value })).not.toBe(synthOf(beside));
});

test.each(perWorkflow)('%s: %s.<name>.%s reaches the synthesized stack', (_, key, name) => {
  const base = { [key]: { nightly: ONE_TASK } };
  expect(synthOf({ [key]: { nightly: { ...ONE_TASK, [name]: PER_WORKFLOW_SAMPLES[name] } } })).not.toBe(synthOf(base));
});
