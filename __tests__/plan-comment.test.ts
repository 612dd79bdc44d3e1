import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { COMMENT_LIMIT, countChanges, planSummary, runningExecutions, type PlanJson, type StackPlan } from '../scripts/ci/plan-summary';
import { MAX_EXPRESS_WORK_TIMEOUT_SECONDS } from '../lib/kinds/continue-as-new/defaults';
import { resolveAwsReferences } from '../simulator/stack-artifacts';
import { synthesize, type TerraformJson } from './support/synth';
import { tempDir } from './support/temp-dir';

const PLAN_STACKS = path.join(__dirname, '..', 'scripts', 'ci', 'plan-stacks.sh');

const change = (address: string, actions: string[], before?: Record<string, unknown> | null, after?: Record<string, unknown> | null) => ({
  address,
  type: address.split('.')[0],
  change: { actions, before: before ?? null, after: after ?? null },
});

/** A plan as `terraform show -json` gives it: a changed definition, a new function, a replaced role, a deleted log group, a no-op. */
const PLAN: PlanJson = {
  resource_changes: [
    change('aws_sfn_state_machine.rds_snapshot_workflow_state_machine', ['update'], { name: 'prod-rds-snapshot', definition: '{"a":1}' }, { name: 'prod-rds-snapshot', definition: '{"a":2}' }),
    change('aws_sfn_state_machine.continue_as_new_workflow_state_machine', ['update'], { name: 'prod-continue-as-new', definition: '{}', tags: {} }, { name: 'prod-continue-as-new', definition: '{}', tags: { team: 'data' } }),
    change('aws_lambda_function.rds_snapshot_retention_function', ['create'], null, { function_name: 'prod-rds-snapshot-retention' }),
    change('aws_iam_role.rds_snapshot_create_execution_role', ['delete', 'create'], { name: 'a' }, { name: 'b' }),
    change('aws_cloudwatch_log_group.old_logs', ['delete'], { name: 'old' }, null),
    change('aws_sns_topic.alerts_topic', ['no-op'], { name: 't' }, { name: 't' }),
  ],
};

/** A plan text of about `chars` characters, line by line as Terraform prints a long definition. */
function planText(stack: string, chars: number): string {
  const lines = [`Terraform will perform the following actions (${stack}):`, '', '  # aws_sfn_state_machine.rds_snapshot_workflow_state_machine will be updated in-place'];
  for (let i = 0, length = 0; length < chars; i++) {
    const line = `      ~ "State${i}": { "Type": "Pass", "Next": "State${i + 1}" }`;
    lines.push(line);
    length += line.length + 1;
  }
  lines.push('', 'Plan: 1 to add, 1 to change, 0 to destroy.');
  return `${lines.join('\n')}\n`;
}

describe('the plan comment', () => {
  test("counts as Terraform's Plan line does (a replacement adds and destroys) and names the definitions that change", () => {
    expect(countChanges(PLAN)).toEqual({ add: 2, change: 2, destroy: 2, definitions: ['prod-rds-snapshot'] });
    expect(countChanges({})).toEqual({ add: 0, change: 0, destroy: 0, definitions: [] });
  });

  test('small plans are shown whole, with no cut marker', () => {
    const summary = planSummary([{ stack: 'dev', text: planText('dev', 2_000), json: PLAN }], 'abc1234');
    expect(summary).toContain('| dev | 2 | 2 | 2 | prod-rds-snapshot |');
    expect(summary).toContain(planText('dev', 2_000));
    expect(summary).not.toContain('✂');
  });

  test.each([3, 12, 400])('%i environments with 200,000-character plans stay under the comment limit, each cut visibly at a line', (count) => {
    const plans: StackPlan[] = Array.from({ length: count }, (_, i) => ({ stack: `env-${i}`, text: planText(`env-${i}`, 200_000), json: PLAN }));
    const summary = planSummary(plans, 'abc1234');
    expect(summary.length).toBeLessThan(COMMENT_LIMIT);
    expect(summary).toMatch(/✂ cut here/);
    if (count === 400) expect(summary).toMatch(/✂ cut here: [\d,]+\+ more characters of this summary; every stack's plan is in the `terraform-plan` artifact\n$/);
    if (count <= 12) {
      for (const { stack, text } of plans) {
        expect(summary).toContain(`| ${stack} | 2 | 2 | 2 | prod-rds-snapshot |`);
        const shown = new RegExp(`<b>${stack}</b>[^\\n]*\\n\\n\`\`\`\`\\n([\\s\\S]*?)\`\`\`\`\\n\\n✂ cut here: ([\\d,]+) more characters of this plan are in the \`terraform-plan\` artifact \\(\`${stack}/plan.txt\`\\)`).exec(summary);
        expect(shown).not.toBeNull();
        const [, visible, omitted] = shown!;
        expect(text.startsWith(visible)).toBe(true);
        expect(visible.endsWith('\n')).toBe(true);
        expect(Number(omitted.replaceAll(',', ''))).toBe(text.length - visible.length);
      }
    }
  });

  test('short plans keep their whole text while long ones share what is left', () => {
    const plans: StackPlan[] = [
      { stack: 'dev', text: planText('dev', 1_000), json: PLAN },
      { stack: 'staging', text: planText('staging', 300_000), json: PLAN },
      { stack: 'prod', text: planText('prod', 300_000), json: PLAN },
    ];
    const summary = planSummary(plans, 'abc1234');
    expect(summary).toContain(plans[0].text);
    expect(summary.match(/✂ cut here/g)).toHaveLength(2);
    expect(summary.length).toBeGreaterThan(COMMENT_LIMIT - 4_000);
    expect(summary.length).toBeLessThan(COMMENT_LIMIT);
  });
});

/**
 * The plan Terraform would make from one synthesized stack to another, as `terraform show -json`
 * gives it: every resource by address, created, deleted, replaced (a new name forces it),
 * updated or left alone, with its values before and after (references to names and to where it
 * runs resolved, as a plan knows them).
 */
function planBetween(before: TerraformJson, after: TerraformJson): PlanJson {
  const values = (json: TerraformJson) => {
    const roleNames = Object.fromEntries(Object.entries(json.resource.aws_iam_role ?? {}).map(([id, role]) => [`\${aws_iam_role.${id}.name}`, role.name as string]));
    const resolve = (value: unknown) => (typeof value === 'string' ? resolveAwsReferences(roleNames[value] ?? value) : value);
    return new Map(
      Object.entries(json.resource).flatMap(([type, resources]) =>
        Object.entries(resources).map(([id, resource]) => [`${type}.${id}`, Object.fromEntries(Object.entries(resource).map(([key, value]) => [key, resolve(value)]))] as const),
      ),
    );
  };
  const [was, will] = [values(before), values(after)];
  const actionsOf = (b?: Record<string, unknown>, a?: Record<string, unknown>) =>
    !b ? ['create'] : !a ? ['delete'] : b.name !== a.name || b.function_name !== a.function_name ? ['delete', 'create'] : JSON.stringify(b) === JSON.stringify(a) ? ['no-op'] : ['update'];
  return {
    resource_changes: [...new Set([...was.keys(), ...will.keys()])].map((address) => ({
      address,
      type: address.split('.')[0],
      change: { actions: actionsOf(was.get(address), will.get(address)), before: was.get(address) ?? null, after: will.get(address) ?? null },
    })),
  };
}

describe('what running executions will do, on plans between real synths', () => {
  const base = { WORKFLOWS_SNAPSHOT_TARGETS: '{}' };
  const standard = synthesize(base).json;
  const JOB = 'long-running-continue-as-new';

  test('new work code: picked up at the next call, nothing stopped, no grant lost, the definition unchanged', () => {
    const plan = planBetween(standard, synthesize({ ...base, WORKFLOWS_WORK_ENTRY: '__tests__/fixtures/work/counter.ts' }).json);
    expect([...runningExecutions(plan)]).toEqual([
      [JOB, [expect.stringMatching(new RegExp(`^\\*\\*pick up the new code at their next call\\*\\* of ${JOB}-work, in the middle of their run: .*migrateState`))]],
    ]);
    const summary = planSummary([{ stack: 'prod', text: 'Plan: 0 to add, 1 to change, 0 to destroy.\n', json: plan }], 'abc1234');
    expect(summary).toContain(`### prod: ${JOB} — what its running executions will do\n\n- **pick up the new code at their next call** of ${JOB}-work`);
  });

  test('standard to express and back: old executions finish on the old definition, keep every grant and the batch machine; only a work timeout no batch holds deletes it', () => {
    const express = synthesize({ ...base, WORKFLOWS_LOOP: 'express' }).json;
    const onwards = runningExecutions(planBetween(standard, express)).get(JOB)!;
    expect(onwards).toEqual([expect.stringMatching(/^\*\*finish on the old definition\*\*: its state machine gets a new definition; running executions keep the one they started with/)]);
    const back = runningExecutions(planBetween(express, standard)).get(JOB)!;
    expect(back).toEqual([expect.stringMatching(/^\*\*finish on the old definition\*\*: its state machine gets a new definition/)]);
    // Back to standard with a work timeout no Express batch holds: the batch machine goes, and the section says why and what to do.
    const longCalls = synthesize({ ...base, WORKFLOWS_WORK_TIMEOUT_SECONDS: String(MAX_EXPRESS_WORK_TIMEOUT_SECONDS + 1) }).json;
    expect(longCalls.resource.aws_sfn_state_machine.continue_as_new_batch_state_machine_state_machine).toBeUndefined();
    expect(runningExecutions(planBetween(express, longCalls)).get(JOB)).toEqual(
      expect.arrayContaining([
        `**fail at their next call of it**: its state machine ${JOB}-batch is deleted, which a job does only when its workTimeoutSeconds rises above ${MAX_EXPRESS_WORK_TIMEOUT_SECONDS} (no Express batch holds such a call); an execution started under \`loop: express\` fails at its next batch (resume it from the failed Work step's input: it goes on in Standard calls)`,
        expect.stringMatching(/^\*\*finish on the old definition\*\*/),
      ]),
    );
  });

  test('a renamed workflow: its running executions are stopped by the replacement, and a grant a running execution uses is named when it goes', () => {
    const renamed = synthesize({ ...base, WORKFLOWS_NAME_PREFIX: 'orders' }).json;
    expect(runningExecutions(planBetween(standard, renamed)).get(JOB)).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^\\*\\*stopped\\*\\*: its state machine is renamed to orders-continue-as-new, which replaces it`))]),
    );
    const policy = 'aws_iam_role_policy.continue_as_new_workflow_execution_policy';
    const plan = planBetween(standard, standard);
    const narrowed = (plan.resource_changes ?? []).map((c) => {
      if (c.address !== policy) return c;
      const document = JSON.parse(String(c.change.after?.policy));
      document.Statement = document.Statement.filter((s: { Sid: string }) => s.Sid !== 'StartOwnBatches');
      return { ...c, change: { actions: ['update'], before: c.change.before, after: { ...c.change.after, policy: JSON.stringify(document) } } };
    });
    expect(runningExecutions({ resource_changes: narrowed }).get(JOB)).toEqual([
      `**lose, at once, what role ${JOB}-sfn no longer grants** (a role is rewritten in place, under running executions too): states:StartExecution on arn:aws:states:eu-west-1:123456789012:stateMachine:${JOB}-batch`,
    ]);
  });
});

describe('scripts/ci/plan-stacks.sh', () => {
  /** A terraform on PATH that plans from the files the test leaves in each stack directory. */
  function fakeTerraform(): string {
    const bin = tempDir('fake-terraform-');
    writeFileSync(
      path.join(bin, 'terraform'),
      [
        '#!/usr/bin/env bash',
        'case "$1" in',
        '  init) echo "Terraform has been successfully initialized!" ;;',
        '  plan) if [ -f fail-plan ]; then echo "Error: No valid credential sources found" >&2; exit 1; fi; touch tfplan ;;',
        '  show) if [ "$2" = "-json" ]; then cat fixture-plan.json; else cat fixture-plan.txt; fi ;;',
        'esac',
      ].join('\n'),
    );
    chmodSync(path.join(bin, 'terraform'), 0o755);
    return bin;
  }

  test('four environments, one of them failing: every stack planned, the full plans kept, one summary under the limit, exit 1', () => {
    const stacksDir = tempDir('plan-stacks-');
    const environments = ['dev', 'prod', 'staging', 'test'];
    for (const stack of environments) {
      const dir = path.join(stacksDir, stack);
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'fixture-plan.txt'), planText(stack, 100_000));
      writeFileSync(path.join(dir, 'fixture-plan.json'), JSON.stringify(PLAN));
    }
    writeFileSync(path.join(stacksDir, 'test', 'fail-plan'), '');
    const summaryFile = path.join(stacksDir, 'plan.md');
    const result = spawnSync('bash', [PLAN_STACKS, summaryFile, stacksDir], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${fakeTerraform()}${path.delimiter}${process.env.PATH}`, GITHUB_SHA: 'f00dcafe' },
    });
    expect(result.status).toBe(1);
    const summary = readFileSync(summaryFile, 'utf8');
    expect(summary.length).toBeLessThan(COMMENT_LIMIT);
    expect(summary).toContain('Commit f00dcafe');
    for (const stack of ['dev', 'prod', 'staging']) {
      expect(summary).toContain(`| ${stack} | 2 | 2 | 2 | prod-rds-snapshot |`);
      expect(readFileSync(path.join(stacksDir, stack, 'plan.txt'), 'utf8')).toBe(planText(stack, 100_000));
    }
    expect(summary).toContain('| test | plan FAILED | | | see below |');
    expect(summary).toContain('<b>test</b>: plan FAILED');
    expect(summary).toContain('Error: No valid credential sources found');
    expect(existsSync(path.join(stacksDir, 'test', 'plan.json'))).toBe(false);
  });

  test('no synthesized stacks: says to synthesize first and writes nothing', () => {
    const empty = tempDir('plan-stacks-empty-');
    const summaryFile = path.join(empty, 'plan.md');
    const result = spawnSync('bash', [PLAN_STACKS, summaryFile, empty], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('no synthesized stacks under');
    expect(result.stderr).toContain('run npm run synth first');
    expect(existsSync(summaryFile)).toBe(false);
  });
});
