import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ASL_DIR } from '../lib/paths';
import { aslToMermaid, withDiagram } from './asl-mermaid';

export const README = path.join(__dirname, '..', 'README.md');

/** The README with the diagram of every `asl/*.asl.json` brought up to date. */
export function readmeWithDiagrams(readme: string): string {
  return readdirSync(ASL_DIR)
    .filter((file) => file.endsWith('.asl.json'))
    .sort()
    .reduce((text, file) => withDiagram(text, file.replace(/\.asl\.json$/, ''), aslToMermaid(JSON.parse(readFileSync(path.join(ASL_DIR, file), 'utf8')))), readme);
}

if (require.main === module) {
  const before = readFileSync(README, 'utf8');
  const after = readmeWithDiagrams(before);
  writeFileSync(README, after);
  console.log(after === before ? 'README.md diagrams are up to date' : 'README.md diagrams updated');
}
