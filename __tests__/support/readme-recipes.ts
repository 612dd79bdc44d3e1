import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** A step of a README recipe: `<!-- recipe <name>: <how> -->` right above a fenced code block. */
export interface RecipeStep {
  readonly how: string;
  readonly code: string;
}

/** The README's recipes, by name, each its steps in order. */
export function readmeRecipes(readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8')): ReadonlyMap<string, readonly RecipeStep[]> {
  const recipes = new Map<string, RecipeStep[]>();
  for (const [, name, how, code] of readme.matchAll(/<!-- recipe ([a-z-]+): ([^>]+?) -->\n```[a-z]*\n([\s\S]*?)```/g)) {
    recipes.set(name, [...(recipes.get(name) ?? []), { how, code }]);
  }
  return recipes;
}

/** The cdktf.json context a recipe's `context` steps add up to. */
export function recipeContext(name: string): Record<string, unknown> {
  const steps = readmeRecipes().get(name);
  if (!steps) throw new Error(`README.md has no recipe ${name}`);
  return Object.assign({}, ...steps.filter((step) => step.how === 'context').map((step) => JSON.parse(step.code)));
}
