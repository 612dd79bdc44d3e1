import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import aslValidator from 'asl-validator';
import { App } from 'cdktf';
import { HISTORY_BUDGET } from '../../lib/core/history-budget';
import { workflowOutputs } from '../../lib/core/workflow-outputs';
import type { Workflow } from '../../lib/core/stack-workflows';
import { resolveAwsReferences } from '../../simulator/stack-artifacts';
import { sharedProviderEnv } from './shared-provider';
import { tempDir } from './temp-dir';
import { terraformFor } from '../../scripts/terraform';

type StackConfig = { stackId: string; config: unknown };
interface ProjectModules {
  readonly loadStacks: (env: NodeJS.ProcessEnv, context: unknown) => StackConfig[];
  readonly readContext: (env: NodeJS.ProcessEnv, projectDir: string) => unknown;
  readonly settingsLine: (config: StackConfig['config']) => string;
  readonly buildStack: (scope: App, stack: StackConfig) => { readonly workflows: { readonly all: readonly Workflow[] } };
}

/** One synthesized stack of a project: its workflows as registered, and what Terraform would read. */
export interface CheckedStack {
  readonly stackId: string;
  /** The settings it runs with that differ from the defaults (an environment's merged into the shared ones), as one line. */
  readonly settings?: string;
  readonly stackDir: string;
  readonly workflows: readonly Workflow[];
  readonly json: { resource: Record<string, Record<string, Record<string, any>>>; output?: Record<string, { value: string }>; terraform: Record<string, any> };
}

/**
 * Synthesizes every stack of the project in `projectDir` as its own main.ts builds them, from its
 * own cdktf.json and the WORKFLOWS_* variables given: the configuration a user deploys.
 */
export function synthesizeProject(projectDir: string, env: NodeJS.ProcessEnv): CheckedStack[] {
  const { loadStacks, readContext, settingsLine } = require(path.join(projectDir, 'lib', 'config', 'config')) as ProjectModules;
  const { buildStack } = require(path.join(projectDir, 'main')) as ProjectModules;
  const outdir = tempDir('workflows-yours-');
  const app = new App({ outdir });
  const built = loadStacks(env, readContext({ ...env, CDKTF_CONTEXT_JSON: '' }, projectDir)).map((stack) => ({ stack, built: buildStack(app, stack) }));
  app.synth();
  return built.map(({ stack, built: { workflows } }) => {
    const stackDir = path.join(outdir, 'stacks', stack.stackId);
    return { stackId: stack.stackId, settings: settingsLine(stack.config), stackDir, workflows: workflows.all, json: JSON.parse(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) };
  });
}

const resources = (stack: CheckedStack, type: string) => Object.values(stack.json.resource[type] ?? {});

/** asl-validator's findings by definition text: stacks of one test file repeat definitions, and each check takes a few hundred ms. */
const aslFindings = new Map<string, string | undefined>();

/** Definitions that are not valid States Language, with the validator's words. */
export function invalidDefinitions(stack: CheckedStack): string[] {
  return resources(stack, 'aws_sfn_state_machine').flatMap((machine) => {
    const text = resolveAwsReferences(machine.definition);
    if (!aslFindings.has(text)) {
      const result = aslValidator(JSON.parse(text), { checkPaths: true, checkArn: true });
      aslFindings.set(text, result.isValid ? undefined : result.errorsText());
    }
    const finding = aslFindings.get(text);
    return finding === undefined ? [] : [`${machine.name}: ${finding}`];
  });
}

type AslStates = Record<string, { Type: string; Catch?: { ErrorEquals: string[]; Next: string }[] }>;

/**
 * Task states whose Catch goes straight into a Fail state: a redrive resumes from the Fail state
 * and fails again without calling the Task, so no step may hide behind one.
 */
export function catchesIntoFail(definition: { States: AslStates }): string[] {
  return Object.entries(definition.States).flatMap(([name, state]) =>
    (state.Catch ?? []).filter((catcher) => definition.States[catcher.Next]?.Type === 'Fail').map((catcher) => `${name} catches ${catcher.ErrorEquals.join(', ')} into Fail state ${catcher.Next}`),
  );
}

/** State machines with a step that fails into a Fail state rather than itself. */
export function unredrivable(stack: CheckedStack): string[] {
  return resources(stack, 'aws_sfn_state_machine').flatMap((machine) => catchesIntoFail(JSON.parse(resolveAwsReferences(machine.definition))).map((problem) => `${machine.name}: ${problem}`));
}

/** Workflows whose worst-case execution could pass the history budget. */
export function overBudget(stack: CheckedStack): string[] {
  return stack.workflows.filter((w) => w.worstCaseHistoryEvents > HISTORY_BUDGET).map((w) => `${w.workflowId}: ${w.worstCaseHistoryEvents} events`);
}

/** State machines whose failures no alert would announce, and workflows without both outputs. */
export function unwatched(stack: CheckedStack): string[] {
  const rules = resources(stack, 'aws_cloudwatch_event_rule').map((rule) => JSON.parse(rule.event_pattern));
  const watched = new Set(rules.flatMap((pattern) => pattern.detail?.stateMachineArn ?? []).map((arn: string) => arn.split(':').pop()));
  // Express machines send EventBridge no status changes: an Express loop's batch fails its job's (watched) machine.
  const problems = resources(stack, 'aws_sfn_state_machine')
    .filter((machine) => machine.type !== 'EXPRESS' && !watched.has(machine.name))
    .map((machine) => `${machine.name} is not under the alert rule`);
  for (const { workflowId } of stack.workflows) {
    const { stateMachineArn, exampleInput } = workflowOutputs(workflowId);
    for (const name of [stateMachineArn, exampleInput]) {
      if (!stack.json.output?.[name]) problems.push(`${workflowId} has no output ${name}`);
    }
  }
  return problems;
}

/** Statements allowing a wildcard action, or a `*` resource that AWS does not require (those say so in their Sid). */
export function broadStatements(stack: CheckedStack): string[] {
  return resources(stack, 'aws_iam_role_policy').flatMap((policy) =>
    (JSON.parse(policy.policy).Statement as { Sid: string; Action: string[]; Resource: string[] }[]).flatMap((statement) => {
      const where = `${policy.name} ${statement.Sid}`;
      const actions = statement.Action.filter((action) => action === '*' || action.endsWith(':*')).map((action) => `${where}: action ${action}`);
      const star = statement.Resource.includes('*') && !statement.Sid.endsWith('AwsRequiresStar') ? [`${where}: Resource "*"`] : [];
      return [...actions, ...star];
    }),
  );
}

/**
 * What keeps a synthesized stack from deploying as intended, one line each: no workflow, an
 * invalid definition, a step that fails into a Fail state, a history budget passed, a state machine no alert covers or a workflow
 * without outputs, a broad role. `terraform validate` is `validateStacks`, once for many stacks.
 */
export function deployabilityProblems(stack: CheckedStack): string[] {
  return [
    ...(stack.workflows.length === 0 ? ['the stack has no workflow: configure jobs or snapshotTargets, or add one in main.ts'] : []),
    ...invalidDefinitions(stack),
    ...unredrivable(stack),
    ...overBudget(stack),
    ...unwatched(stack),
    ...broadStatements(stack),
  ];
}

/**
 * `terraform validate` of many stacks in one run, as the problems it reports (none: valid): each
 * stack becomes a module of one root, so Terraform loads the provider's schema (seconds) once,
 * not once a stack. A problem names its stack's file. The one warning this arrangement itself
 * causes, a backend in a module, is not a problem of the stacks.
 */
export function validateStacks(stacks: readonly CheckedStack[]): string[] {
  const root = tempDir('workflows-validate-');
  const [first] = stacks;
  const modules = Object.fromEntries(stacks.map((stack, i) => [`stack${i}`, { source: `./${path.relative(root, stack.stackDir)}` }]));
  writeFileSync(path.join(root, 'cdk.tf.json'), JSON.stringify({ terraform: { required_providers: first.json.terraform.required_providers }, module: modules }));
  const terraform = terraformFor(root, { env: sharedProviderEnv(root) });
  terraform.init();
  const output = terraform.run(['validate', '-json']);
  const { valid, diagnostics } = JSON.parse(output.slice(output.indexOf('{'))) as { valid: boolean; diagnostics: { severity: string; summary: string; range?: { filename: string } }[] };
  const problems = diagnostics.filter((d) => d.summary !== 'Backend configuration ignored').map((d) => `${d.severity}: ${d.summary} (${d.range?.filename ?? 'the configuration'})`);
  return valid || problems.length > 0 ? problems : ['terraform validate found the configuration invalid'];
}
