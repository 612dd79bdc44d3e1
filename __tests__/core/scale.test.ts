import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdktf';
import { loadStacks } from '../../lib/config/config';
import { EVENT_PATTERN_MAX_CHARACTERS } from '../../lib/core/failure-alerts';
import { WorkflowsStack } from '../../lib/workflows-stack';
import { planSummary, COMMENT_LIMIT, type PlanJson } from '../../scripts/ci/plan-summary';
import { simulate } from '../../scripts/simulate';
import { tempDir } from '../support/temp-dir';
import { deployabilityProblems, type CheckedStack } from '../support/your-configuration';

/** Twenty jobs and twenty snapshot targets (instances and clusters, some scheduled), as the bench synthesizes them. */
const SCALE = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'bench', 'fixtures', 'scale.json'), 'utf8'));

function synth(context: Record<string, unknown>): CheckedStack {
  const outdir = tempDir('workflows-scale-');
  const app = new App({ outdir });
  const [stackConfig] = loadStacks({}, context);
  const stack = new WorkflowsStack(app, stackConfig.stackId, { config: stackConfig.config });
  app.synth();
  const stackDir = path.join(outdir, 'stacks', stackConfig.stackId);
  return { stackId: stackConfig.stackId, stackDir, workflows: stack.workflows.all, json: JSON.parse(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) };
}

const stack = synth(SCALE);
const resources = (type: string) => Object.entries<Record<string, any>>(stack.json.resource[type] ?? {});

describe('20 jobs and 20 snapshot targets', () => {
  test('synthesize to 21 workflows that pass the test of your configuration', () => {
    expect(stack.workflows.map((w) => w.workflowId)).toEqual([...Object.keys(SCALE.jobs), 'rds-snapshot']);
    expect(deployabilityProblems(stack)).toEqual([]);
  });

  test('jobs with the same work share one bundle', () => {
    const works = resources('aws_lambda_function').filter(([address]) => address.endsWith('_work_function'));
    expect(works).toHaveLength(20);
    expect(new Set(works.map(([, fn]) => fn.source_code_hash)).size).toBe(1);
  });

  test('long names spread the alert over more rules, each pattern within EventBridge\'s quota at its longest, every machine on exactly one', () => {
    const long = synth({ ...SCALE, namePrefix: 'a-long-name-prefix', jobs: Object.fromEntries(Object.keys(SCALE.jobs).map((job) => [`${job}-with-a-long-name`, {}])) });
    const rules = Object.values(long.json.resource.aws_cloudwatch_event_rule) as { event_pattern: string }[];
    expect(rules.length).toBeGreaterThan(1);
    const longest = (pattern: string) => pattern.replaceAll('${data.aws_partition.partition.partition}', 'aws-iso-b').replaceAll('${data.aws_region.region.name}', 'ap-southeast-7').replaceAll('${data.aws_caller_identity.account.account_id}', '123456789012');
    for (const rule of rules) expect(longest(rule.event_pattern).length).toBeLessThanOrEqual(EVENT_PATTERN_MAX_CHARACTERS);
    const watched = rules.flatMap((rule) => JSON.parse(rule.event_pattern).detail.stateMachineArn as string[]).map((arn) => arn.split(':').pop());
    // Every Standard machine, none of the jobs' Express batch machines (a failed batch fails its job).
    const machines = Object.values(long.json.resource.aws_sfn_state_machine) as { name: string; type: string }[];
    expect(machines.filter((sm) => sm.type === 'EXPRESS')).toHaveLength(20);
    expect(watched.sort()).toEqual(machines.filter((sm) => sm.type !== 'EXPRESS').map((sm) => sm.name).sort());
    expect(deployabilityProblems(long)).toEqual([]);
    const policy = JSON.parse((Object.values(long.json.resource.aws_sns_topic_policy) as { policy: string }[])[0].policy);
    expect(policy.Statement[0].Condition.ArnEquals['aws:SourceArn']).toHaveLength(rules.length);
  });

  test("a first deploy's plan comment stays under GitHub's limit and names all 41 definitions (21 workflows, each job's batch machine)", () => {
    const created = Object.entries(stack.json.resource).flatMap(([type, byName]) =>
      Object.entries<Record<string, unknown>>(byName).map(([name, after]) => ({ address: `${type}.${name}`, type, change: { actions: ['create'], before: null, after } })),
    );
    const text = created.map((c) => `  # ${c.address} will be created\n${JSON.stringify(c.change.after, null, 4)}\n`).join('');
    expect(text.length).toBeGreaterThan(COMMENT_LIMIT);
    const summary = planSummary([{ stack: stack.stackId, text, json: { resource_changes: created } as PlanJson }], 'f00dcafe');
    expect(summary.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    const row = summary.split('\n').find((line) => line.startsWith(`| ${stack.stackId} |`))!;
    expect(row.split(' | ')[4].split(', ')).toHaveLength(41);
    expect(summary).toContain('✂ cut here');
  });

  test.each(['job-20', 'rds-snapshot'])('simulate runs %s', async (workflow) => {
    const out: string[] = [];
    const err: string[] = [];
    const flags = workflow === 'rds-snapshot' ? ['--target', 'cluster-20', '--snapshot-minutes', '0'] : ['--iterations', '2', '--state', '{"next":2,"limit":300,"batch":100,"primes":0}'];
    const status = await simulate(['--workflow', workflow, '--quiet', ...flags], { env: { CDKTF_CONTEXT_JSON: JSON.stringify(SCALE) }, print: (l) => out.push(l), printError: (l) => err.push(l) });
    expect(err).toEqual([]);
    expect(status).toBe(0);
    expect(out.join('\n')).toMatch(workflow === 'rds-snapshot' ? /simulated-snapshot: SUCCEEDED/ : /done after 2 executions/);
  });
});
