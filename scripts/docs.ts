import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ASL_DIR } from '../lib/paths';
import { aslToMermaid } from './asl-mermaid';
import { withBlock } from './readme-blocks';
import { settingsTable, type SettingsGroup } from './settings-table';

export const README = path.join(__dirname, '..', 'README.md');
const SETTINGS_GROUPS: readonly SettingsGroup[] = ['all', 'continue-as-new', 'rds-snapshot', 'state'];

/** The README with every generated block brought up to date: each `asl/*.asl.json` diagram and the settings tables. */
export function currentReadme(readme: string): string {
  const withDiagrams = readdirSync(ASL_DIR)
    .filter((file) => file.endsWith('.asl.json'))
    .sort()
    .reduce((text, file) => {
      const chart = aslToMermaid(JSON.parse(readFileSync(path.join(ASL_DIR, file), 'utf8')));
      return withBlock(text, `diagram:${file.replace(/\.asl\.json$/, '')}`, `\`\`\`mermaid\n${chart}\n\`\`\``);
    }, readme);
  return SETTINGS_GROUPS.reduce((text, group) => withBlock(text, `settings:${group}`, settingsTable(group)), withDiagrams);
}

if (require.main === module) {
  const before = readFileSync(README, 'utf8');
  const after = currentReadme(before);
  writeFileSync(README, after);
  console.log(after === before ? 'README.md is up to date' : 'README.md updated: diagrams and settings tables');
}
