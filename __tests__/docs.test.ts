import { readFileSync } from 'node:fs';
import { symbolicDefinition } from '../lib/core/definitions';
import { SETTINGS, variableOf } from '../lib/config/settings';
import { aslToMermaid, describeRule, type Definition } from '../scripts/asl-mermaid';
import { DIAGRAMS, README, currentReadme } from '../scripts/docs';
import { withBlock } from '../scripts/readme-blocks';
import { settingsTable } from '../scripts/settings-table';

const asl = (name: keyof typeof DIAGRAMS): Definition => symbolicDefinition(DIAGRAMS[name].files, DIAGRAMS[name].shape) as unknown as Definition;

describe('diagrams from the ASL', () => {
  test('the README diagrams and settings tables are current (run `npm run docs` after changing asl/ or lib/settings.ts)', () => {
    const readme = readFileSync(README, 'utf8');
    expect(currentReadme(readme)).toBe(readme);
  });

  test('a changed definition makes the README stale', () => {
    const readme = readFileSync(README, 'utf8');
    const changed = asl('rds-snapshot');
    changed.States.CapPollInterval.Next = 'DescribeSnapshot';
    expect(withBlock(readme, 'diagram:rds-snapshot', `\`\`\`mermaid\n${aslToMermaid(changed)}\n\`\`\``)).not.toBe(readme);
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
    expect(chart).toContain('  CreateSnapshot -.->|"catch InvalidDBInstanceStateFault, InvalidDBClusterStateFault"| ExplainTargetBusy');
    expect(chart).toContain('  class CreateSnapshot_retry,DescribeSnapshot_retry,ApplyRetention_retry retry');
    expect(chart).toContain('  DescribeSnapshot -.->|"catch States.ALL"| DescribeSnapshotFailed');
    expect(chart).toContain('  class CreateSnapshotFailed,TargetBusy,DescribeSnapshotFailed,RetentionFailed,SnapshotFailed,SnapshotTimeout fail');
  });

  test('a retrier that never retries says so', () => {
    expect(aslToMermaid(asl('continue-as-new'))).toContain('Restart_retry>"not retried: StepFunctions.ExecutionAlreadyExistsException');
  });

  test('rules are described in words', () => {
    expect(describeRule({ Not: { Variable: '$.a', IsPresent: true } })).toBe('not $.a is present');
    expect(describeRule({ And: [{ Variable: '$.a', NumericLessThanPath: '$.b' }, { Variable: '$.c', IsNull: false }] })).toBe('$.a < $.b and $.c is not null');
    expect(() => describeRule({ Variable: '$.a', Mystery: 1 })).toThrow('cannot describe the Choice rule');
  });

  test('a README without the markers is refused', () => {
    expect(() => withBlock('# no markers', 'diagram:rds-snapshot', 'flowchart TD')).toThrow('README.md has no <!-- diagram:rds-snapshot --> ... <!-- /diagram:rds-snapshot --> markers');
  });
});

describe('the settings tables', () => {
  const tables = (['all', 'continue-as-new', 'task', 'rds-snapshot', 'state'] as const).map(settingsTable).join('\n');

  test('list every setting once, with its variable, default, rule and meaning', () => {
    for (const [name, setting] of Object.entries(SETTINGS)) {
      const rows = tables.split('\n').filter((row) => row.startsWith(`| \`${name}\` |`));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toContain(`| \`${variableOf(name)}\` |`);
      expect(rows[0]).toContain(setting.parser.rule.replace(/\|/g, '\\|'));
      expect(rows[0]).toContain(setting.description);
    }
  });

  test('a changed rule makes the README stale', () => {
    const readme = readFileSync(README, 'utf8');
    const stale = readme.replace('a whole number from 1 to 3600', 'a whole number from 1 to 7200');
    expect(stale).not.toBe(readme);
    expect(currentReadme(stale)).not.toBe(stale);
  });
});
