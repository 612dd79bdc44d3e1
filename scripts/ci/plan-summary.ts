import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

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
