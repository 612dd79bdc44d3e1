import * as path from 'node:path';
import { deployabilityProblems, synthesizeProject, validateStacks } from './support/your-configuration';

/**
 * Your configuration, as you deploy it: this project's cdktf.json (every environment), its
 * WORKFLOWS_* variables and the workflows main.ts adds in code. The product's own tests never
 * read these; this one reads nothing else. It fails when what you configured cannot deploy.
 */
const PROJECT_DIR = path.join(__dirname, '..');
const stacks = synthesizeProject(PROJECT_DIR, process.env);

// Each stack's title shows the settings it runs with: an environment's block merged into the shared values.
describe.each(stacks.map((stack) => [stack.stackId, stack.settings, stack] as const))('your configuration: stack %s (%s)', (_, __, stack) => {
  test('has workflows with valid definitions within their history budget, all alerted and output, and exact roles', () => {
    expect(deployabilityProblems(stack)).toEqual([]);
  });
});

test(`terraform validate accepts every stack (${stacks.map((stack) => stack.stackId).join(', ')})`, () => {
  expect(validateStacks(stacks)).toEqual([]);
}, 60_000);
