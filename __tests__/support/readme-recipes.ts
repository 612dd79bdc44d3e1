import { readDocPages } from '../../scripts/doc-pages';

/** A step of a recipe in the docs: `<!-- recipe <name>: <how> -->` right above a fenced code block. */
export interface RecipeStep {
  readonly how: string;
  readonly code: string;
}

/**
 * The recipes of the docs (README.md and docs/*.md), by name, each its steps in order. A recipe
 * lives in one page; a recipe marker not right above a fenced block, a recipe in two pages, or no
 * recipe at all is an error, so no recipe goes unproven unnoticed.
 */
export function readmeRecipes(pages: ReadonlyMap<string, string> = readDocPages()): ReadonlyMap<string, readonly RecipeStep[]> {
  const recipes = new Map<string, RecipeStep[]>();
  const pageOf = new Map<string, string>();
  for (const [page, text] of pages) {
    const markers = text.match(/<!-- recipe /g)?.length ?? 0;
    const steps = [...text.matchAll(/<!-- recipe ([a-z-]+): ([^>]+?) -->\n```[a-z]*\n([\s\S]*?)```/g)];
    if (steps.length !== markers) throw new Error(`${page} has ${markers} recipe markers but ${steps.length} right above a fenced code block`);
    for (const [, name, how, code] of steps) {
      if (pageOf.has(name) && pageOf.get(name) !== page) throw new Error(`recipe ${name} is in ${pageOf.get(name)} and ${page}: a recipe lives in one page`);
      pageOf.set(name, page);
      recipes.set(name, [...(recipes.get(name) ?? []), { how, code }]);
    }
  }
  if (recipes.size === 0) throw new Error(`no recipe in ${[...pages.keys()].join(', ')}`);
  return recipes;
}

/** The cdktf.json context a recipe's `context` steps add up to. */
export function recipeContext(name: string): Record<string, unknown> {
  const steps = readmeRecipes().get(name);
  if (!steps) throw new Error(`no page of the docs has a recipe ${name}`);
  const context = steps.filter((step) => step.how === 'context');
  if (context.length === 0) throw new Error(`recipe ${name} has no context step`);
  return Object.assign({}, ...context.map((step) => JSON.parse(step.code)));
}
