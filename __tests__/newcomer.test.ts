import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const commands = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#') && !line.startsWith('set ') && !line.startsWith('cd '));

describe("a newcomer's first commands", () => {
  test("the README's set-up section is exactly npm ci and npm test", () => {
    const setup = /<!-- setup -->\n```sh\n([\s\S]*?)```\n<!-- \/setup -->/.exec(read('README.md'));
    expect(setup).not.toBeNull();
    expect(commands(setup![1])).toEqual(['npm ci', 'npm test']);
  });

  test('the README starts at the start: within its first 60 lines what it is, the set-up, the first synth and simulate, and a map of every docs page', () => {
    const start = read('README.md').split('\n').slice(0, 60).join('\n');
    expect(start).toMatch(/^# [^\n]+\n\n[^#]*Step Functions workflows/);
    expect(start).toContain('<!-- /setup -->');
    expect(start).toMatch(/^npm run synth\b/m);
    expect(start).toMatch(/^npm run simulate\b/m);
    const pages = readdirSync(path.join(root, 'docs')).filter((name) => name.endsWith('.md'));
    expect(pages.length).toBeGreaterThan(5);
    expect(pages.filter((page) => !start.includes(`](docs/${page})`))).toEqual([]);
  });

  test('CI runs npm ci and then the same test command, with no set-up of its own', () => {
    expect(commands(read('.ci/run')).map((line) => line.replace(/ --no-audit --no-fund$/, ''))).toEqual(['npm ci', 'npm test']);
  });
});
