import * as path from 'node:path';
import { symbolicDefinition } from '../lib/core/definitions';
import { SETTINGS } from '../lib/config/config';
import { variableOf } from '../lib/config/settings';
import { aslToMermaid, describeRule, type Definition } from '../scripts/asl-mermaid';
import { pageWithBlock, readDocPages } from '../scripts/doc-pages';
import { DIAGRAMS, currentDocs, diagramsOf, generatedBlocks } from '../scripts/docs';
import { withBlock } from '../scripts/readme-blocks';
import { SETTINGS_GROUPS, settingsTable } from '../scripts/settings-table';

const asl = (name: keyof typeof DIAGRAMS): Definition => symbolicDefinition(DIAGRAMS[name].files, DIAGRAMS[name].shape) as unknown as Definition;
const pages = readDocPages();

/** The pages with one page's text replaced. */
const withPage = (page: string, text: string) => new Map([...pages, [page, text]]);

describe('the generated blocks', () => {
  test('the diagrams and settings tables are current, wherever they live (run `npm run docs` after changing asl/ or a setting)', () => {
    const { pages: current, updated } = currentDocs(pages);
    expect([...updated.keys()]).toEqual([]);
    for (const [page, text] of pages) expect({ page, text: current.get(page) }).toEqual({ page, text });
  });

  test('each block lives in exactly one file', () => {
    const holding = generatedBlocks().map(({ name }) => pageWithBlock(pages, name)[0]);
    expect(holding).toHaveLength(generatedBlocks().length);
    const [page, text] = pageWithBlock(pages, 'diagram:rds-snapshot');
    const twice = withPage('docs/another.md', '<!-- diagram:rds-snapshot -->\n<!-- /diagram:rds-snapshot -->\n');
    expect(() => currentDocs(twice)).toThrow(`<!-- diagram:rds-snapshot --> is in ${page} and docs/another.md: a block lives in exactly one file`);
    expect(() => currentDocs(withPage(page, text.replace('<!-- diagram:rds-snapshot -->', '')))).toThrow('no page of README.md');
  });

  test("a block no page holds yet (a new kind's) is added at the end of its kind of page, filled", () => {
    const [page, text] = pageWithBlock(pages, 'diagram:task');
    const without = text.replace(/\n<!-- diagram:task -->[\s\S]*?<!-- \/diagram:task -->\n/, '\n');
    expect(without).not.toContain('diagram:task');
    const { pages: current, updated } = currentDocs(withPage(page, without));
    expect(updated.get('docs/workflows.md')).toEqual(new Set(['diagrams']));
    const added = current.get('docs/workflows.md')!;
    expect(added.trimEnd().endsWith('<!-- /diagram:task -->')).toBe(true);
    expect(added).toContain('**`task`**\n\n<!-- diagram:task -->\n```mermaid\nflowchart TD\n  start((start)) --> KeepInput');
  });

  test('a changed definition makes its page stale, and only its page', () => {
    const [page, text] = pageWithBlock(pages, 'diagram:rds-snapshot');
    const changed = asl('rds-snapshot');
    changed.States.CapPollInterval.Next = 'DescribeSnapshot';
    const stale = withBlock(text, 'diagram:rds-snapshot', `\`\`\`mermaid\n${aslToMermaid(changed)}\n\`\`\``);
    expect(stale).not.toBe(text);
    const { pages: current, updated } = currentDocs(withPage(page, stale));
    expect([...updated]).toEqual([[page, new Set(['diagrams'])]]);
    expect(current.get(page)).toBe(text);
  });

  test('every state is a node and every transition an edge', () => {
    const definition = asl('rds-snapshot');
    const chart = aslToMermaid(definition);
    for (const name of Object.keys(definition.States)) expect(chart).toMatch(new RegExp(`^  ${name}[[({/]`, 'm'));
    expect(chart).toContain('  start((start)) --> KeepInput');
    expect(chart).toContain('  WaitBeforePoll --> DescribeSnapshot');
    expect(chart).toContain('  SnapshotAvailable --> finish((end))');
  });

  test('Choice branches carry their conditions; Retry and Catch are dotted edges; Fail states are marked', () => {
    const chart = aslToMermaid(asl('rds-snapshot'));
    expect(chart).toContain('  CheckSnapshotStatus -->|"$.snapshot.status == #quot;available#quot;"| ApplyRetention');
    expect(chart).toContain('  CheckSnapshotStatus -->|default| ScheduleNextPoll');
    expect(chart).toContain('  CheckPollBudget -->|"$.poll.waitedSeconds >= ${MaxWaitSeconds}"| ExplainPollTimeout');
    expect(chart).toMatch(/ {2}CreateSnapshot -\.-\|retry\| CreateSnapshot_retry>"5x: Lambda\.ClientExecutionTimeoutException, .*<br\/>6x: TransientAwsError<br\/>6x: InvalidDBInstanceStateFault, InvalidDBClusterStateFault"\]/);
    expect(chart).toContain('  class CreateSnapshot_retry,DescribeSnapshot_retry,ApplyRetention_retry retry');
    expect(chart).toContain('  class SnapshotFailed,SnapshotTimeout fail');
    expect(aslToMermaid(asl('continue-as-new'))).toContain('  Restart -.->|"catch StepFunctions.ExecutionAlreadyExistsException"| FindSuccessor');
  });

  test('a retrier that never retries says so', () => {
    expect(aslToMermaid(asl('continue-as-new'))).toContain('Restart_retry>"not retried: StepFunctions.ExecutionAlreadyExistsException');
  });

  test('rules are described in words', () => {
    expect(describeRule({ Not: { Variable: '$.a', IsPresent: true } })).toBe('not $.a is present');
    expect(describeRule({ And: [{ Variable: '$.a', NumericLessThanPath: '$.b' }, { Variable: '$.c', IsNull: false }] })).toBe('$.a < $.b and $.c is not null');
    expect(() => describeRule({ Variable: '$.a', Mystery: 1 })).toThrow('cannot describe the Choice rule');
  });

  test('two kinds naming one diagram are refused: each name is one block of the docs', () => {
    const diagram = { files: ['task/task.asl.json'] };
    expect(Object.keys(diagramsOf([{ name: 'a', diagrams: { one: diagram } }, { name: 'b', diagrams: { two: diagram } }]))).toEqual(['one', 'two']);
    expect(() => diagramsOf([{ name: 'a', diagrams: { one: diagram } }, { name: 'b', diagrams: { one: diagram } }])).toThrow('kinds a and b both name a diagram "one"');
  });

  test('a page without the markers is refused', () => {
    expect(() => withBlock('# no markers', 'diagram:rds-snapshot', 'flowchart TD')).toThrow('no <!-- diagram:rds-snapshot --> ... <!-- /diagram:rds-snapshot --> markers');
    const [page, text] = pageWithBlock(pages, 'diagram:rds-snapshot');
    expect(() => currentDocs(withPage(page, text.replace('<!-- /diagram:rds-snapshot -->', '')))).toThrow(`${page}: no <!-- diagram:rds-snapshot --> ... <!-- /diagram:rds-snapshot --> markers`);
  });
});

describe('the settings tables', () => {
  const tables = SETTINGS_GROUPS.map(settingsTable).join('\n');

  test('list every setting once, with its variable, default, rule and meaning', () => {
    for (const [name, setting] of Object.entries(SETTINGS)) {
      const rows = tables.split('\n').filter((row) => row.startsWith(`| \`${name}\` |`));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toContain(`| \`${variableOf(name)}\` |`);
      expect(rows[0]).toContain(setting.rule.replace(/\|/g, '\\|'));
      expect(rows[0]).toContain(setting.description);
    }
  });

  test('a changed rule makes the page holding it stale', () => {
    const [page, text] = pageWithBlock(pages, 'settings:rds-snapshot');
    const stale = text.replace('a whole number from 1 to 3600', 'a whole number from 1 to 7200');
    expect(stale).not.toBe(text);
    expect([...currentDocs(withPage(page, stale)).updated]).toEqual([[page, new Set(['settings tables'])]]);
  });

  test("a description's link to a section reaches the page that has it", () => {
    const [page, text] = pageWithBlock(pages, 'settings:continue-as-new');
    const row = text.split('\n').find((line) => line.startsWith('| `workEntry` |'))!;
    const link = /\[Run your own job\]\(([^)]*)\)/.exec(row)?.[1];
    const holding = [...pages].find(([, own]) => /^#{1,6} Run your own job$/m.test(own))![0];
    expect(link).toBe(holding === page ? '#run-your-own-job' : `${path.posix.relative(path.posix.dirname(page), holding)}#run-your-own-job`);
  });
});
