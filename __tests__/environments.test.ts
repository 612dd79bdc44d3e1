import { Testing } from 'cdktf';
import { loadStacks } from '../lib/config/config';
import { WorkflowsStack } from '../lib/workflows-stack';
import { tempDir } from './support/temp-dir';
import { problemsOf } from './support/config-problems';

const problems = (env: Record<string, string>, context: Record<string, unknown> = {}) => problemsOf(() => loadStacks(env, context));

function synthStacks(env: Record<string, string>, context: Record<string, unknown>) {
  const app = Testing.app({ outdir: tempDir('workflows-env-') });
  return Object.fromEntries(
    loadStacks(env, context).map(({ stackId, config }) => [stackId, JSON.parse(Testing.synth(new WorkflowsStack(app, stackId, { config })))]),
  );
}

describe('environments', () => {
  test('without environments there is one stack, long-running-workflows', () => {
    expect(loadStacks({}, {}).map((s) => s.stackId)).toEqual(['long-running-workflows']);
  });

  test('one stack per environment, each with its own name prefix, tags and settings', () => {
    const stacks = synthStacks(
      { WORKFLOWS_TAGS: '{"team":"data"}' },
      { maxGenerations: 2, environments: { dev: {}, prod: { namePrefix: 'orders', maxGenerations: 10, tags: { tier: 'gold' } } } },
    );
    expect(Object.keys(stacks)).toEqual(['long-running-workflows-dev', 'long-running-workflows-prod']);
    const dev = stacks['long-running-workflows-dev'];
    const prod = stacks['long-running-workflows-prod'];
    expect(dev.resource.aws_sfn_state_machine.continue_as_new_workflow_state_machine.name).toBe('long-running-dev-continue-as-new');
    expect(prod.resource.aws_sfn_state_machine.continue_as_new_workflow_state_machine.name).toBe('orders-continue-as-new');
    expect(dev.provider.aws[0].default_tags).toEqual([{ tags: { environment: 'dev', team: 'data' } }]);
    // prod's tags merge into the shared ones, key by key.
    expect(prod.provider.aws[0].default_tags).toEqual([{ tags: { environment: 'prod', team: 'data', tier: 'gold' } }]);
    expect(dev.resource.aws_lambda_function.continue_as_new_check_input_function.environment.variables.MAX_GENERATIONS).toBe('2');
    expect(prod.resource.aws_lambda_function.continue_as_new_check_input_function.environment.variables.MAX_GENERATIONS).toBe('10');
    expect(dev.terraform.backend).toEqual({ local: { path: '../../../terraform.long-running-workflows-dev.tfstate' } });
  });

  test.each([
    [{ environments: [] }, 'cdktf.json context "environments" must be an object of environment name -> settings'],
    [{ environments: {} }, 'cdktf.json context "environments" must be an object of environment name -> settings'],
    [{ environments: { Prod: {} } }, 'cdktf.json context "environments.Prod": the name must be 1-12 lowercase letters or digits'],
    [{ environments: { prod: 'big' } }, 'cdktf.json context "environments.prod": must be an object of settings'],
    [{ environments: { prod: { nmePrefix: 'x' } } }, 'cdktf.json context "environments.prod.nmePrefix" is not a setting; did you mean "namePrefix"?'],
    [{ environments: { prod: { maxGenerations: -1 } } }, 'cdktf.json context "environments.prod.maxGenerations" = -1: must be a whole number from 1 to 1000000'],
  ])('%j is refused with a message naming the environment and the rule', (context, message) => {
    expect(problems({}, context)).toEqual([expect.stringContaining(message)]);
  });

  test("a derived name prefix is reported as derived, naming the shared prefix's own source", () => {
    expect(problems({ WORKFLOWS_NAME_PREFIX: 'a-prefix-of-twenty-five-ch' }, { environments: { production: {} } })).toEqual([
      'namePrefix of environment "production" (WORKFLOWS_NAME_PREFIX + "-production") = "a-prefix-of-twenty-five-ch-production": ' +
        'must be 1-32 lowercase letters, digits or single hyphens, starting with a letter and not ending with a hyphen',
    ]);
  });

  test('a problem every environment shares is reported once; one of its own names the environment', () => {
    expect(problems({ WORKFLOWS_XRAY_TRACING: 'yes' }, { environments: { dev: {}, prod: { logRetentionDays: 10 } } })).toEqual([
      'WORKFLOWS_XRAY_TRACING = "yes": must be true or false',
      '[prod] cdktf.json context "environments.prod.logRetentionDays" = 10: must be one of 0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653',
    ]);
  });

  test('a map setting merges key by key into the shared value, a key set to null removed; the default is not merged into', () => {
    const context = {
      tags: { app: 'catalog', team: 'data' },
      jobs: { reindex: { workTimeoutSeconds: 120 }, backfill: {} },
      tasks: {},
      environments: {
        dev: { tags: { team: null }, jobs: { backfill: null, smoke: { maxGenerations: 5 } } },
        prod: { tags: { tier: 'gold' }, jobs: { reindex: { workTimeoutSeconds: 300 } }, snapshotTargets: { 'orders-db': { type: 'instance' } } },
      },
    };
    const [dev, prod] = loadStacks({ WORKFLOWS_SNAPSHOT_TARGETS: '{"analytics":{"type":"cluster"}}' }, context).map((stack) => stack.config);
    expect(dev.tags).toEqual({ environment: 'dev', app: 'catalog' });
    expect(prod.tags).toEqual({ environment: 'prod', app: 'catalog', team: 'data', tier: 'gold' });
    expect(Object.keys(dev.jobs)).toEqual(['reindex', 'smoke']);
    expect([dev.jobs.reindex.workTimeoutSeconds, prod.jobs.reindex.workTimeoutSeconds, prod.jobs.backfill.workTimeoutSeconds]).toEqual([120, 300, 60]);
    expect(Object.keys(dev.snapshotTargets)).toEqual(['analytics']);
    expect(Object.keys(prod.snapshotTargets)).toEqual(['analytics', 'orders-db']);
    // Without a shared value the block is the value: the default's database-1 is not merged in.
    expect(Object.keys(loadStacks({}, { environments: { dev: { snapshotTargets: { 'orders-db': { type: 'instance' } } } } })[0].config.snapshotTargets)).toEqual(['orders-db']);
  });

  test("a merged entry's problem names the place that gave it; a removal of a key the shared value lacks is refused", () => {
    const context = { jobs: { reindex: { workTimeoutSeconds: 120 } }, environments: { dev: { jobs: { smoke: { maxGeneration: 5 } }, tags: { tema: null } } } };
    expect(problems({}, context)).toEqual([
      'cdktf.json context "environments.dev.tags.tema" = null removes a key the shared value does not have (there is none: the default tags)',
      'cdktf.json context "environments.dev.jobs.smoke.maxGeneration" is not a job setting; did you mean \"maxGenerations\"?',
    ]);
  });

  test('a top-level value every environment overrides is checked all the same, and reported once', () => {
    const context = { namePrefix: 'Bad_Prefix!', logRetentionDays: '30', environments: { dev: { namePrefix: 'dev', logRetentionDays: 7 }, prod: { namePrefix: 'prod', logRetentionDays: 90 } } };
    expect(problems({}, context)).toEqual([
      'cdktf.json context "namePrefix" = "Bad_Prefix!": must be 1-32 lowercase letters, digits or single hyphens, starting with a letter and not ending with a hyphen',
      'cdktf.json context "logRetentionDays" = "30": must be one of 0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, as JSON: write 30, not the string "30"',
    ]);
    // So is an entry of a shared map every environment replaces.
    expect(problems({}, { jobs: { reindex: { workEntry: 'lambdas/nope.ts' } }, environments: { dev: { jobs: { reindex: { workEntry: 'lambdas/work.ts' } } } } })).toEqual([
      expect.stringMatching(/^cdktf\.json context "jobs\.reindex\.workEntry" = "lambdas\/nope\.ts": names no file/),
    ]);
  });

  test('a cross-check names the environment block a value came from', () => {
    expect(problems({}, { environments: { dev: { maxPollIntervalSeconds: 30, snapshotMaxWaitMinutes: 60 } } })).toEqual([
      'cdktf.json context "environments.dev.maxPollIntervalSeconds" = 30: must be at least the first poll interval, 60 (the default pollIntervalSeconds = 60)',
    ]);
  });
});

describe('remote state', () => {
  test('local state by default: nothing to configure for synth', () => {
    const stacks = synthStacks({}, {});
    expect(stacks['long-running-workflows'].terraform.backend).toEqual({ local: { path: '../../../terraform.long-running-workflows.tfstate' } });
  });

  test('an S3 bucket in configuration selects the S3 backend with S3-native locking, one key per stack', () => {
    const stacks = synthStacks(
      { WORKFLOWS_STATE_BUCKET: 'acme-terraform-state', WORKFLOWS_STATE_REGION: 'eu-central-1' },
      { stateKeyPrefix: 'teams/data', environments: { dev: {}, prod: {} } },
    );
    expect(stacks['long-running-workflows-prod'].terraform.backend).toEqual({
      s3: {
        bucket: 'acme-terraform-state',
        key: 'teams/data/long-running-workflows-prod.tfstate',
        region: 'eu-central-1',
        encrypt: true,
        use_lockfile: true,
      },
    });
    expect(stacks['long-running-workflows-dev'].terraform.backend.s3.key).toBe('teams/data/long-running-workflows-dev.tfstate');
  });

  test('the state bucket region defaults to the deployment region', () => {
    const stacks = synthStacks({ WORKFLOWS_STATE_BUCKET: 'acme-terraform-state', WORKFLOWS_REGION: 'ap-southeast-2' }, {});
    expect(stacks['long-running-workflows'].terraform.backend.s3.region).toBe('ap-southeast-2');
  });

  test.each([
    [{ WORKFLOWS_STATE_BUCKET: 'Bad_Bucket' }, 'WORKFLOWS_STATE_BUCKET = "Bad_Bucket": must be an S3 bucket name'],
    [{ WORKFLOWS_STATE_KEY_PREFIX: '/state/' }, 'WORKFLOWS_STATE_KEY_PREFIX = "/state/": must be an S3 key prefix'],
    [{ WORKFLOWS_STATE_REGION: 'moon-1' }, 'WORKFLOWS_STATE_REGION = "moon-1": must be an AWS region code'],
    [{ WORKFLOWS_STATE_REGION: 'eu-west-9' }, 'WORKFLOWS_STATE_REGION = "eu-west-9": is not an AWS region'],
  ])('%j is refused', (env, message) => {
    expect(problems(env, {})).toEqual([expect.stringContaining(message)]);
  });
});
