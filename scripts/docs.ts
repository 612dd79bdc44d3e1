import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { symbolicDefinition } from '../lib/core/definitions';
import type { Diagram } from '../lib/core/workflow-kind';
import { WORKFLOW_KINDS } from '../lib/kinds';
import { aslToMermaid, type Definition } from './asl-mermaid';
import { withBlock } from './readme-blocks';
import { settingsTable, type SettingsGroup } from './settings-table';

export const README = path.join(__dirname, '..', 'README.md');
const SETTINGS_GROUPS: readonly SettingsGroup[] = ['all', 'continue-as-new', 'task', 'rds-snapshot', 'state'];

/** Each diagram in the README and the definition it draws, from every kind of workflow: the composed files, retry policies filled in. */
export const DIAGRAMS: Readonly<Record<string, Diagram>> = Object.assign({}, ...WORKFLOW_KINDS.map((kind) => kind.diagrams));

/** The README with every generated block brought up to date: each diagram and the settings tables. */
export function currentReadme(readme: string): string {
  const withDiagrams = Object.entries(DIAGRAMS).reduce((text, [name, { files, shape }]) => {
    const chart = aslToMermaid(symbolicDefinition(files, shape) as unknown as Definition);
    return withBlock(text, `diagram:${name}`, `\`\`\`mermaid\n${chart}\n\`\`\``);
  }, readme);
  return SETTINGS_GROUPS.reduce((text, group) => withBlock(text, `settings:${group}`, settingsTable(group)), withDiagrams);
}

if (require.main === module) {
  const before = readFileSync(README, 'utf8');
  const after = currentReadme(before);
  writeFileSync(README, after);
  console.log(after === before ? 'README.md is up to date' : 'README.md updated: diagrams and settings tables');
}
