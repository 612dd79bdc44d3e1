import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { readmeRecipes, type RecipeStep } from './support/readme-recipes';
import { synthesize } from './support/synth';
import { deployabilityProblems, pristineCopy, synthesizeProject, validateStacks, type CheckedStack } from './support/your-configuration';

const recipes = readmeRecipes();

/** Applies one step as the README tells a user to: write a file, add to cdktf.json's context, or add to buildStack in main.ts. */
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
    throw new Error(`README recipe step "${how}" is not one this test knows: write <file>, context, in buildStack, simulate`);
  }
}

/** Runs a recipe's `npm run simulate -- ...` lines in the project as a user would; each must succeed. */
function simulateIn(project: string, { how, code }: RecipeStep): string[] {
  if (how !== 'simulate') return [];
  return code
    .trim()
    .split('\n')
    .flatMap((line) => {
      const args = /^npm run simulate -- (.*)$/.exec(line.trim())?.[1].split(/\s+/);
      if (!args) throw new Error(`a simulate step runs npm run simulate -- <flags>, not: ${line}`);
      const result = spawnSync(process.execPath, ['-r', 'sucrase/register', 'scripts/simulate.ts', ...args], { cwd: project, encoding: 'utf8', env: { PATH: process.env.PATH, NODE_NO_WARNINGS: '1' } });
      return result.status === 0 ? [] : [`${line}: exit ${result.status}\n${result.stdout}${result.stderr}`];
    });
}

/** What the default configuration deploys: each recipe must change it. */
const defaultResources = JSON.stringify(synthesize().json.resource);

/** Each recipe applied to its own copy of the project, synthesized there, and its simulate lines run. */
const applied = [...recipes].map(([name, steps]) => {
  const project = pristineCopy();
  for (const step of steps) apply(project, step);
  return [name, synthesizeProject(project, {}), steps.flatMap((step) => simulateIn(project, step))] as const;
});

test('the README has the recipes a user follows', () => {
  expect([...recipes.keys()].sort()).toEqual(['environments', 'export-task', 'own-job', 'own-task', 'second-job-by-configuration', 'second-job-in-code', 'tasks-in-code']);
});

describe.each(applied)('the README recipe %s, applied to a copy of the project', (_, stacks: readonly CheckedStack[], simulateFailures: readonly string[]) => {
  test('changes what is deployed, passes the test of your configuration, and runs as its simulate lines say', () => {
    expect(stacks.some((stack) => JSON.stringify(stack.json.resource) !== defaultResources)).toBe(true);
    for (const stack of stacks) expect({ stack: stack.stackId, problems: deployabilityProblems(stack) }).toEqual({ stack: stack.stackId, problems: [] });
    expect(simulateFailures).toEqual([]);
  });
});

test('terraform validate accepts the stacks of every recipe', () => {
  expect(validateStacks(applied.flatMap(([, stacks]) => stacks))).toEqual([]);
}, 60_000);
