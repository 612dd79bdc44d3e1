import { brokenLinks, docPages, headingAnchors, readDocPages, relativeLinks } from '../scripts/doc-pages';
import { readmeRecipes } from './support/readme-recipes';

const pages = readDocPages();

describe('the links of README.md and docs/*.md', () => {
  test('every relative link reaches an existing file and, with an anchor, an existing heading', () => {
    expect(relativeLinks(pages).length).toBeGreaterThan(20);
    expect(brokenLinks(pages)).toEqual([]);
  });

  test("every page of docs/ is linked from the README's map", () => {
    const fromReadme = new Set(relativeLinks(pages).filter(({ page }) => page === 'README.md').map(({ target }) => target.split('#')[0]));
    expect(docPages().filter((page) => page !== 'README.md' && !fromReadme.has(page))).toEqual([]);
  });

  test("anchors are GitHub's: lower case, punctuation dropped, spaces as hyphens, repeats numbered", () => {
    const anchors = headingAnchors(
      [
        '# Libraries, and what each is for',
        '## The example task: a DynamoDB table export to S3',
        '### Day-2 operations',
        '## `npm test` on a *fresh* clone',
        '## [Linked](elsewhere.md) heading',
        '```sh',
        '# not a heading',
        '```',
        '## Limits',
        '## Limits',
      ].join('\n'),
    );
    expect([...anchors]).toEqual(['libraries-and-what-each-is-for', 'the-example-task-a-dynamodb-table-export-to-s3', 'day-2-operations', 'npm-test-on-a-fresh-clone', 'linked-heading', 'limits', 'limits-1']);
  });

  test('a missing file, a missing heading, a link out of the project and an anchor on code are each found; code and URLs are not links', () => {
    const broken = new Map([
      ['README.md', '# Top\n\n[a](docs/a.md#there) [b](docs/b.md) [c](#top) [d](#nowhere) [e](https://example.com/x#y) `[f](nothing.md)`\n'],
      ['docs/a.md', '# A\n\n## There\n\n[up](../README.md#top) [gone](../README.md#gone) [out](../../x.md) [code](../main.ts#L1)\n\n```md\n[g](missing.md)\n```\n'],
    ]);
    expect(brokenLinks(broken)).toEqual([
      'README.md:3: docs/b.md: no such file',
      'README.md:3: #nowhere: README.md has no heading #nowhere',
      'docs/a.md:5: ../README.md#gone: README.md has no heading #gone',
      'docs/a.md:5: ../../x.md: outside the project',
      'docs/a.md:5: ../main.ts#L1: an anchor on a file that is not markdown',
    ]);
  });
});

describe('the recipes of README.md and docs/*.md', () => {
  const recipe = (name: string, how = 'context') => `<!-- recipe ${name}: ${how} -->\n\`\`\`json\n{}\n\`\`\`\n`;

  test('are read from every page, in order, and none is lost', () => {
    const found = readmeRecipes(new Map([['README.md', recipe('a')], ['docs/x.md', `${recipe('b', 'write lambdas/b.ts')}text\n${recipe('b')}`]]));
    expect([...found].map(([name, steps]) => [name, steps.map((step) => step.how)])).toEqual([['a', ['context']], ['b', ['write lambdas/b.ts', 'context']]]);
    expect(readmeRecipes().size).toBeGreaterThan(0);
  });

  test('no recipe, a marker not right above a fenced block, or a recipe in two pages is an error', () => {
    expect(() => readmeRecipes(new Map([['README.md', '# nothing']]))).toThrow('no recipe in README.md');
    expect(() => readmeRecipes(new Map([['README.md', `${recipe('a')}<!-- recipe b: context -->\n\ntext\n`]]))).toThrow('README.md has 2 recipe markers but 1 right above a fenced code block');
    expect(() => readmeRecipes(new Map([['README.md', recipe('a')], ['docs/x.md', recipe('a')]]))).toThrow('recipe a is in README.md and docs/x.md: a recipe lives in one page');
  });
});
