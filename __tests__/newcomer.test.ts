import { readFileSync } from 'node:fs';
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

  test('CI runs npm ci and then the same test command, with no set-up of its own', () => {
    expect(commands(read('.ci/run')).map((line) => line.replace(/ --no-audit --no-fund$/, ''))).toEqual(['npm ci', 'npm test']);
  });
});
