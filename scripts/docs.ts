import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CDKTF_SCHEMA_FILE, cdktfSchemaText } from '../lib/config/json-schema';
import { symbolicDefinition } from '../lib/core/definitions';
import type { Diagram } from '../lib/core/workflow-kind';
import { WORKFLOW_KINDS } from '../lib/kinds';
import { aslToMermaid, type Definition } from './asl-mermaid';
import { headingAnchors, pageWithBlock, readDocPages, ROOT } from './doc-pages';
import { withBlock } from './readme-blocks';
import { SETTINGS_GROUPS, settingsTable } from './settings-table';

/** Each diagram in the docs and the definition it draws, from every kind of workflow: the composed files, retry policies filled in. */
export const DIAGRAMS: Readonly<Record<string, Diagram>> = diagramsOf(WORKFLOW_KINDS);

/** The kinds' diagrams by name; a name two kinds give is refused, since each names one block of the docs. */
export function diagramsOf(kinds: readonly { readonly name: string; readonly diagrams: Readonly<Record<string, Diagram>> }[]): Record<string, Diagram> {
  const all: Record<string, Diagram> = {};
  const owner = new Map<string, string>();
  for (const kind of kinds) {
    for (const [name, diagram] of Object.entries(kind.diagrams)) {
      if (owner.has(name)) throw new Error(`kinds ${owner.get(name)} and ${kind.name} both name a diagram "${name}": each names one <!-- diagram:${name} --> block`);
      owner.set(name, kind.name);
      all[name] = diagram;
    }
  }
  return all;
}

/** What a generated block is: diagrams or settings tables, as `npm run docs` reports an update. */
type BlockKind = 'diagrams' | 'settings tables';

/** Every generated block: its marker name (`diagram:NAME`, `settings:GROUP`), its kind and its body. */
export function generatedBlocks(): { name: string; kind: BlockKind; body: string }[] {
  return [
    ...Object.entries(DIAGRAMS).map(([name, { files, shape }]) => ({
      name: `diagram:${name}`,
      kind: 'diagrams' as const,
      body: `\`\`\`mermaid\n${aslToMermaid(symbolicDefinition(files, shape) as unknown as Definition)}\n\`\`\``,
    })),
    ...SETTINGS_GROUPS.map((group) => ({ name: `settings:${group}`, kind: 'settings tables' as const, body: settingsTable(group) })),
  ];
}

/**
 * A generated body's `](#anchor)` links, made to work on `page`: an anchor of `page` stays as it
 * is; one of exactly one other page becomes a link to that page (`jobs.md#run-your-own-job`).
 * The settings' descriptions name their sections by anchor alone, wherever those now live.
 */
function linked(body: string, page: string, pages: ReadonlyMap<string, string>, block: string): string {
  const anchors = new Map([...pages].map(([name, text]) => [name, headingAnchors(text)]));
  return body.replace(/\]\(#([^)\s]+)\)/g, (link, anchor: string) => {
    if (anchors.get(page)!.has(anchor)) return link;
    const holding = [...anchors].filter(([, own]) => own.has(anchor)).map(([name]) => name);
    if (holding.length !== 1) {
      throw new Error(`${page}: <!-- ${block} --> links to #${anchor}, a heading of ${holding.length === 0 ? 'no page' : holding.join(' and ')}`);
    }
    return `](${path.posix.relative(path.posix.dirname(page), holding[0])}#${anchor})`;
  });
}

/** Where a block no page holds yet goes (a new kind's diagram or settings table): appended to its kind of page, to be moved and introduced by hand if you like. */
const FIRST_HOME: Readonly<Record<BlockKind, string>> = { diagrams: 'docs/workflows.md', 'settings tables': 'docs/settings.md' };

/**
 * The pages (README.md and docs/*.md, by path) with every generated block brought up to date,
 * each in the one page that holds it, and what changed in each. A block no page holds yet is
 * added at the end of its first home, so a new kind's diagrams and settings need no hand edit.
 */
export function currentDocs(pages: ReadonlyMap<string, string>): { pages: Map<string, string>; updated: Map<string, Set<BlockKind>> } {
  const current = new Map(pages);
  const updated = new Map<string, Set<BlockKind>>();
  for (const { name, kind, body } of generatedBlocks()) {
    const marker = `<!-- ${name} -->`;
    if (![...current.values()].some((text) => text.includes(marker) || text.includes(`<!-- /${name} -->`))) {
      const home = FIRST_HOME[kind];
      current.set(home, `${current.get(home)!.trimEnd()}\n\n**\`${name.split(':')[1]}\`**\n\n${marker}\n<!-- /${name} -->\n`);
    }
    const [page, text] = pageWithBlock(current, name);
    let after: string;
    try {
      after = withBlock(text, name, linked(body, page, current, name));
    } catch (error) {
      throw new Error(`${page}: ${(error as Error).message}`);
    }
    if (after !== text) updated.set(page, (updated.get(page) ?? new Set()).add(kind));
    current.set(page, after);
  }
  return { pages: current, updated };
}

if (require.main === module) {
  const { pages, updated } = currentDocs(readDocPages());
  for (const [page, kinds] of updated) {
    writeFileSync(path.join(ROOT, page), pages.get(page)!);
    console.log(`${page} updated: ${[...kinds].join(' and ')}`);
  }
  const holding = new Set(generatedBlocks().map(({ name }) => pageWithBlock(pages, name)[0]));
  if (updated.size === 0) console.log(`up to date: the generated blocks in ${[...holding].join(', ')}`);
  const schemaFile = path.join(ROOT, CDKTF_SCHEMA_FILE);
  const schema = cdktfSchemaText();
  const schemaBefore = existsSync(schemaFile) ? readFileSync(schemaFile, 'utf8') : undefined;
  if (schema !== schemaBefore) writeFileSync(schemaFile, schema);
  console.log(`${CDKTF_SCHEMA_FILE} ${schema === schemaBefore ? 'is up to date' : 'updated'}: the JSON Schema of cdktf.json`);
}
