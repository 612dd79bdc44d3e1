import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { MAX_EXPRESS_WORK_TIMEOUT_SECONDS } from '../../lib/kinds/continue-as-new/defaults';

/** GitHub refuses a comment body longer than this many characters. */
export const COMMENT_LIMIT = 65_536;
/** Kept free below the limit, for what GitHub adds around the body (the sticky comment's marker). */
const MARGIN = 1_024;

/** One stack's plan as plan-stacks.sh leaves it: the text Terraform printed and, when the plan ran, `terraform show -json`. */
export interface StackPlan {
  readonly stack: string;
  readonly text: string;
  /** Absent when init or plan failed; the text is then their output. */
  readonly json?: PlanJson;
}

interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly change: { readonly actions: readonly string[]; readonly before?: Record<string, unknown> | null; readonly after?: Record<string, unknown> | null };
}

export interface PlanJson {
  readonly resource_changes?: readonly ResourceChange[];
}

export interface PlanCounts {
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  /** The state machines whose definition the plan changes or replaces, by name. */
  readonly definitions: readonly string[];
}

/** Counts as Terraform's "Plan:" line does (a replacement is one add and one destroy), and names the changed definitions. */
export function countChanges(plan: PlanJson): PlanCounts {
  const changes = plan.resource_changes ?? [];
  const having = (action: string) => changes.filter((c) => c.change.actions.includes(action)).length;
  const definitions = changes
    .filter((c) => c.type === 'aws_sfn_state_machine' && (c.change.actions.includes('update') || c.change.actions.includes('create')))
    .filter((c) => c.change.before?.definition !== c.change.after?.definition)
    .map((c) => String(c.change.after?.name ?? c.change.before?.name ?? c.address));
  return { add: having('create'), change: having('update'), destroy: having('delete'), definitions };
}

const isReplaced = (c: ResourceChange) => c.change.actions.includes('delete') && c.change.actions.includes('create');
const isDeleted = (c: ResourceChange) => c.change.actions.includes('delete') && !c.change.actions.includes('create');
const isUpdated = (c: ResourceChange) => c.change.actions.includes('update');
const attribute = (c: ResourceChange, key: string) => String(c.change.before?.[key] ?? c.change.after?.[key] ?? '');
const changed = (c: ResourceChange, key: string) => JSON.stringify(c.change.before?.[key]) !== JSON.stringify(c.change.after?.[key]);

type Statement = { readonly Sid?: string; readonly Action?: string | readonly string[]; readonly Resource?: string | readonly string[] };
const grantsOf = (policy: unknown): Set<string> => {
  if (typeof policy !== 'string') return new Set();
  const statements = (JSON.parse(policy) as { Statement?: Statement[] }).Statement ?? [];
  const list = (value: string | readonly string[] | undefined) => (value === undefined ? [] : typeof value === 'string' ? [value] : value);
  return new Set(statements.flatMap((s) => list(s.Action).flatMap((action) => list(s.Resource).map((resource) => `${action} on ${resource}`))));
};

/**
 * What a plan does to the executions already running, per workflow (its state machine, its
 * functions and its machine role, matched by name): the facts of Step Functions and Lambda that
 * decide it (patterns.md section 8). A running execution keeps its definition but calls its
 * functions' latest code, runs under a role rewritten in place, and is stopped with its state
 * machine.
 */
export function runningExecutions(plan: PlanJson): Map<string, string[]> {
  const changes = (plan.resource_changes ?? []).filter((c) => !c.change.actions.every((action) => action === 'no-op' || action === 'read'));
  const machines = changes.filter((c) => c.type === 'aws_sfn_state_machine' && !c.change.actions.every((a) => a === 'create'));
  const names = [...new Set((plan.resource_changes ?? []).filter((c) => c.type === 'aws_sfn_state_machine').flatMap((c) => [c.change.before?.name, c.change.after?.name]).filter((n): n is string => typeof n === 'string'))];
  // A function or a role belongs to the workflow whose machine name prefixes its own (the longest); an Express job's `<job>-batch` machine to its job.
  const batchOf = (name: string) => (name.endsWith('-batch') && names.includes(name.slice(0, -'-batch'.length)) ? name.slice(0, -'-batch'.length) : undefined);
  const workflowOf = (name: string) =>
    batchOf(name) ?? names.filter((machine) => !batchOf(machine) && (name === machine || name.startsWith(`${machine}-`))).sort((a, b) => b.length - a.length)[0];
  const sections = new Map<string, string[]>();
  const say = (workflow: string | undefined, line: string) => {
    if (workflow === undefined) return;
    sections.set(workflow, [...(sections.get(workflow) ?? []), line]);
  };
  for (const c of machines) {
    const name = attribute(c, 'name');
    const own = workflowOf(name) === name;
    const what = own ? 'its state machine' : `its state machine ${name}`;
    if (isReplaced(c) && changed(c, 'name')) say(workflowOf(String(c.change.before?.name)), `**stopped**: ${what} is renamed to ${String(c.change.after?.name)}, which replaces it; Step Functions stops its running executions (resume each from its last state on the new machine)`);
    else if (isReplaced(c)) say(workflowOf(name), `**stopped**: ${what} is replaced; Step Functions stops its running executions (resume each from its last state)`);
    else if (isDeleted(c) && own) say(name, `**stopped**: its state machine is deleted (the workflow is removed, or renamed); Step Functions stops its running executions`);
    else if (isDeleted(c) && batchOf(name)) {
      // A job keeps its batch machine in both loop modes; it goes only when no batch can hold a work call any more.
      say(
        workflowOf(name),
        `**fail at their next call of it**: ${what} is deleted, which a job does only when its workTimeoutSeconds rises above ${MAX_EXPRESS_WORK_TIMEOUT_SECONDS} (no Express batch holds such a call); an execution started under \`loop: express\` fails at its next batch (resume it from the failed Work step's input: it goes on in Standard calls)`,
      );
    } else if (isDeleted(c)) say(workflowOf(name), `**fail at their next call of it**: ${what} is deleted; a running execution that still starts it fails there (resume from the failed step's input)`);
    else if (isUpdated(c) && changed(c, 'definition')) say(workflowOf(name), `**finish on the old definition**: ${what} gets a new definition; running executions keep the one they started with, new executions and successors started after the apply run the new one`);
  }
  for (const c of changes.filter((c) => c.type === 'aws_lambda_function')) {
    const name = attribute(c, 'function_name');
    if (isDeleted(c)) say(workflowOf(name), `**fail at their next call**: function ${name} is deleted; a running execution whose definition calls it fails there (resume from the failed step's input)`);
    else if (isReplaced(c) || (isUpdated(c) && changed(c, 'source_code_hash'))) {
      say(workflowOf(name), `**pick up the new code at their next call** of ${name}, in the middle of their run: a state or handle the old code wrote reaches the new code (export \`stateVersion\` and \`migrateState\` when its shape changes)`);
    }
  }
  for (const c of changes.filter((c) => c.type === 'aws_iam_role_policy' && isUpdated(c))) {
    const role = attribute(c, 'role');
    const removed = [...grantsOf(c.change.before?.policy)].filter((grant) => !grantsOf(c.change.after?.policy).has(grant));
    if (removed.length > 0) say(workflowOf(role.replace(/-(sfn|fn)$/, '')), `**lose, at once, what role ${role} no longer grants** (a role is rewritten in place, under running executions too): ${removed.join('; ')}`);
  }
  return sections;
}

const cutMarker = (stack: string, omitted: number) =>
  `✂ cut here: ${omitted.toLocaleString('en-US')} more characters of this plan are in the \`terraform-plan\` artifact (\`${stack}/plan.txt\`)`;

/** The start of `text` in at most `budget` characters, ending at a line break where there is one. */
function head(text: string, budget: number): string {
  if (text.length <= budget) return text;
  const cut = text.slice(0, Math.max(budget, 0));
  const lastLine = cut.lastIndexOf('\n');
  return lastLine > 0 ? cut.slice(0, lastLine + 1) : cut;
}

/** Shares `total` characters out so that short texts take what they need and long ones split the rest evenly. */
function shares(lengths: readonly number[], total: number): number[] {
  const result = new Array<number>(lengths.length).fill(0);
  let left = Math.max(total, 0);
  const order = lengths.map((length, index) => ({ length, index })).sort((a, b) => a.length - b.length);
  order.forEach(({ length, index }, position) => {
    const fair = Math.floor(left / (order.length - position));
    result[index] = Math.min(length, fair);
    left -= result[index];
  });
  return result;
}

/**
 * The pull-request comment: a table with each stack's adds, changes, destroys and changed
 * definitions, then each stack's plan text, cut with a visible marker so that the whole stays
 * under GitHub's comment limit for any number of stacks. The full plans are the artifact.
 */
export function planSummary(plans: readonly StackPlan[], commit: string, limit = COMMENT_LIMIT): string {
  const counted = plans.map((plan) => ({ plan, counts: plan.json ? countChanges(plan.json) : undefined }));
  const header = [
    '## terraform plan',
    '',
    `Commit ${commit}; the full plans are in the \`terraform-plan\` artifact.`,
    '',
    '| stack | add | change | destroy | definitions that change |',
    '| --- | ---: | ---: | ---: | --- |',
    ...counted.map(({ plan, counts }) =>
      counts
        ? `| ${plan.stack} | ${counts.add} | ${counts.change} | ${counts.destroy} | ${counts.definitions.join(', ') || '—'} |`
        : `| ${plan.stack} | plan FAILED | | | see below |`,
    ),
    '',
    ...counted.flatMap(({ plan }) =>
      [...(plan.json ? runningExecutions(plan.json) : new Map<string, string[]>())].flatMap(([workflow, lines]) => [
        `### ${plan.stack}: ${workflow} — what its running executions will do`,
        '',
        ...lines.map((line) => `- ${line}`),
        '',
      ]),
    ),
  ].join('\n');
  const open = (stack: string, counts?: PlanCounts) =>
    `\n<details><summary><b>${stack}</b>: ${counts ? `${counts.add} to add, ${counts.change} to change, ${counts.destroy} to destroy` : 'plan FAILED'}</summary>\n\n\`\`\`\`\n`;
  const close = (stack: string, omitted: number) => `\`\`\`\`\n${omitted > 0 ? `\n${cutMarker(stack, omitted)}\n` : ''}</details>\n`;
  const frame = counted.reduce((sum, { plan, counts }) => sum + open(plan.stack, counts).length + close(plan.stack, plan.text.length).length + 1, 0);
  const budgets = shares(
    counted.map(({ plan }) => plan.text.length),
    limit - MARGIN - header.length - frame,
  );
  const body = counted
    .map(({ plan, counts }, index) => {
      const shown = head(plan.text, budgets[index]);
      const text = shown.endsWith('\n') || shown === '' ? shown : `${shown}\n`;
      return open(plan.stack, counts) + text + close(plan.stack, plan.text.length - shown.length);
    })
    .join('');
  const summary = header + body;
  if (summary.length <= limit - MARGIN) return summary;
  // So many stacks that even the table does not fit: keep what does, and say so.
  const marker = `\n✂ cut here: ${(summary.length - (limit - MARGIN)).toLocaleString('en-US')}+ more characters of this summary; every stack's plan is in the \`terraform-plan\` artifact\n`;
  return head(summary, limit - MARGIN - marker.length) + marker;
}

/** Reads what plan-stacks.sh left in each stack directory. */
export function readStackPlans(stacksDir: string): StackPlan[] {
  return readdirSync(stacksDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((stack) => {
      const dir = path.join(stacksDir, stack);
      const text = existsSync(path.join(dir, 'plan.txt')) ? readFileSync(path.join(dir, 'plan.txt'), 'utf8') : '';
      const jsonFile = path.join(dir, 'plan.json');
      return { stack, text, json: existsSync(jsonFile) ? (JSON.parse(readFileSync(jsonFile, 'utf8')) as PlanJson) : undefined };
    });
}

if (require.main === module) {
  const [summaryFile, stacksDir, commit] = process.argv.slice(2);
  if (!summaryFile || !stacksDir || !commit) {
    console.error('usage: plan-summary.ts <summary.md> <stacks dir> <commit>');
    process.exit(2);
  }
  writeFileSync(summaryFile, planSummary(readStackPlans(stacksDir), commit));
}
