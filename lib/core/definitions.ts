import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { BudgetDefinition } from './history-budget';
import { ASL_DIR } from './paths';
import { placeholdersOf, renderAsl, type AslTemplate, type AslValues } from './render-asl';
import { RETRY_VALUES } from './retry-policies';

const templates = new Map<string, AslTemplate>();

/** Reads templates named relative to `asl/` (or by absolute path), each file once per process: many workflows share one. */
export function readTemplates(files: readonly string[]): AslTemplate[] {
  return files.map((file) => {
    const resolved = path.resolve(ASL_DIR, file);
    const template = templates.get(resolved) ?? { name: path.basename(file), text: readFileSync(resolved, 'utf8') };
    templates.set(resolved, template);
    return template;
  });
}

/** What any definition may name besides its own values: where it runs, the retry policies and the errors they retry. */
export function sharedValues(where: { readonly partition: string; readonly region: string; readonly accountId: string }): AslValues {
  return { Partition: where.partition, Region: where.region, AccountId: where.accountId, ...RETRY_VALUES };
}

/**
 * A definition with the retry policies and the `shape` values (those that decide which state
 * follows which) filled in and every other placeholder left as its own `${Name}`: what the
 * diagrams draw and the history budget walks.
 */
export function symbolicDefinition(files: readonly string[], shape: AslValues = {}): BudgetDefinition & Record<string, unknown> {
  const templates = readTemplates(files);
  const own = templates.flatMap((template) => placeholdersOf(template.text)).filter((name) => !(name in RETRY_VALUES) && !(name in shape));
  const values = Object.fromEntries(own.map((name) => [name, `\${${name}}`]));
  // Shared, not own: a placeholder of a state a fragment replaces goes unused.
  return JSON.parse(renderAsl(templates, {}, { ...values, ...RETRY_VALUES, ...shape }));
}
