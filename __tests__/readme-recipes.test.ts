import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { readmeRecipes, type RecipeStep } from './support/readme-recipes';
import { synthesize } from './support/synth';
import { pristineCopy } from './support/project-copy';
import { deployabilityProblems, synthesizeProject, validateStacks, type CheckedStack } from './support/your-configuration';

const recipes = readmeRecipes();

/** Applies one step as the docs tell a user to: write a file, add to cdktf.json's context, or add to buildStack in main.ts. */
function apply(project: string, { how, code }: RecipeStep): void {
  const write = /^write (\S+)$/.exec(how);
  if (write) {
    writeFileSync(path.join(project, write[1]), code);
  } else if (how === 'context') {
    const file = path.join(project, 'cdktf.json');
    const cdktf = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...cdktf, context: { ...cdktf.context, ...JSON.parse(code) } }, null, 2));
  } else if (how === 'in buildStack') {
    const file = path.join(project, 'main.ts');
    const lines = code.trim().split('\n');
    const imports = lines.filter((line) => line.startsWith('import '));
    const body = lines.filter((line) => !line.startsWith('import ') && line.trim() !== '');
    const main = readFileSync(file, 'utf8');
    const anchor = /^ {2}const stack = new WorkflowsStack\(.*\);$/m;
    if (!anchor.test(main)) throw new Error('main.ts has no `const stack = new WorkflowsStack(...)` line in buildStack to add to');
    writeFileSync(file, `${imports.join('\n')}\n${main.replace(anchor, (line) => [line, ...body.map((l) => `  ${l}`)].join('\n'))}`);
  } else if (how !== 'simulate') {
    throw new Error(`recipe step "${how}" is not one this test knows: write <file>, context, in buildStack, simulate`);
  }
}

/**
 * Runs a recipe's `npm run simulate -- ...` lines in the project as a user would, through the
 * project's own scripts/simulate.ts (what `npm run simulate` runs; its command line is
 * simulate.test.ts's), in this process, where the project's modules are already loaded; each
 * must succeed.
 */
async function simulateIn(project: string, { how, code }: RecipeStep): Promise<string[]> {
  if (how !== 'simulate') return [];
  const { simulate } = require(path.join(project, 'scripts', 'simulate')) as typeof import('../scripts/simulate');
  const failures: string[] = [];
  for (const line of code.trim().split('\n')) {
    const args = /^npm run simulate -- (.*)$/.exec(line.trim())?.[1].split(/\s+/);
    if (!args) throw new Error(`a simulate step runs npm run simulate -- <flags>, not: ${line}`);
    const printed: string[] = [];
    // No WORKFLOWS_* variables and no CDKTF_CONTEXT_JSON: the project's cdktf.json, as a user's shell would have it.
    const status = await simulate(args, { env: {}, print: (text) => printed.push(text), printError: (text) => printed.push(text) });
    if (status !== 0) failures.push(`${line}: exit ${status}\n${printed.join('\n')}`);
  }
  return failures;
}

/** What the default configuration deploys: each recipe must change it. */
const defaultResources = JSON.stringify(synthesize().json.resource);

/**
 * The copies the recipes are applied to. Those that only add files and configuration share one
 * copy, so the project's modules and bundles are loaded and built there once: each starts from
 * the copy's pristine cdktf.json, and the files earlier ones added are there but named by
 * nothing it configures. A recipe gets a copy of its own when that would not hold: it edits
 * main.ts (loaded once a copy), writes a file the shared copy already holds (bundles are cached
 * by path), names in its configuration a file an earlier one wrote, or has simulate lines (they
 * run after every recipe is applied).
 */
const sharedCopy = pristineCopy();
const pristineCdktfJson = readFileSync(path.join(sharedCopy, 'cdktf.json'), 'utf8');
const writtenToShared = new Set<string>();
const written = (steps: readonly RecipeStep[]) => steps.flatMap(({ how }) => /^write (\S+)$/.exec(how)?.[1] ?? []);
const copyFor = (steps: readonly RecipeStep[]): string => {
  const ownCopy =
    steps.some(({ how }) => how === 'in buildStack' || how === 'simulate') ||
    written(steps).some((file) => existsSync(path.join(sharedCopy, file))) ||
    steps.some(({ how, code }) => how === 'context' && [...writtenToShared].some((file) => code.includes(file)));
  if (ownCopy) return pristineCopy();
  for (const file of written(steps)) writtenToShared.add(file);
  writeFileSync(path.join(sharedCopy, 'cdktf.json'), pristineCdktfJson);
  return sharedCopy;
};

/** Each recipe applied to a copy of the project and synthesized there. */
const applied = [...recipes].map(([name, steps]) => {
  const project = copyFor(steps);
  for (const step of steps) apply(project, step);
  return [name, synthesizeProject(project, {}), project, steps] as const;
});

/** What each recipe's simulate lines reported that failed. */
const simulateFailures = new Map<string, string[]>();
beforeAll(async () => {
  for (const [name, , project, steps] of applied) {
    const failures: string[] = [];
    for (const step of steps) failures.push(...(await simulateIn(project, step)));
    simulateFailures.set(name, failures);
  }
}, 60_000);

test('the README and docs/ have the recipes a user follows', () => {
  expect([...recipes.keys()].sort()).toEqual(['environments', 'export-task', 'own-job', 'own-task', 'second-job-by-configuration', 'second-job-in-code', 'tasks-in-code']);
});

describe.each(applied)('the recipe %s, applied to a copy of the project', (name, stacks: readonly CheckedStack[]) => {
  test('changes what is deployed, passes the test of your configuration, and runs as its simulate lines say', () => {
    expect(stacks.some((stack) => JSON.stringify(stack.json.resource) !== defaultResources)).toBe(true);
    for (const stack of stacks) expect({ stack: stack.stackId, problems: deployabilityProblems(stack) }).toEqual({ stack: stack.stackId, problems: [] });
    expect(simulateFailures.get(name)).toEqual([]);
  });
});

test('terraform validate accepts the stacks of every recipe', () => {
  expect(validateStacks(applied.flatMap(([, stacks]) => stacks))).toEqual([]);
}, 60_000);
