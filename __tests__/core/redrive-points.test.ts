import { symbolicDefinition } from '../../lib/core/definitions';
import { BATCH_DEFINITION_FILES, definitionFiles } from '../../lib/kinds/continue-as-new/definitions';
import { SNAPSHOT_DEFINITION_FILES } from '../../lib/kinds/rds-snapshot/defaults';
import { TASK_DEFINITION_FILES } from '../../lib/kinds/task/defaults';
import { catchesIntoFail } from '../support/your-configuration';

/** Every definition a kind can render: a job in each restart and loop mode and its batch machine, a task, a snapshot workflow. */
const DEFINITIONS: Record<string, readonly string[]> = {
  'job, restart integration': definitionFiles('integration'),
  'job, restart function': definitionFiles('function'),
  'job, restart integration, express loop': definitionFiles('integration', 'express'),
  'job, restart function, express loop': definitionFiles('function', 'express'),
  'express batch': BATCH_DEFINITION_FILES,
  task: TASK_DEFINITION_FILES,
  'rds snapshot': SNAPSHOT_DEFINITION_FILES,
};

type States = Record<string, { Type: string; Resource?: string; Catch?: { ErrorEquals: string[]; Next: string }[] }>;

describe.each(Object.entries(DEFINITIONS))('the %s definition leaves a failed step as its redrive point', (_, files) => {
  const definition = symbolicDefinition(files) as unknown as { States: States };

  test('no Catch into a Fail state', () => {
    expect(catchesIntoFail(definition)).toEqual([]);
  });

  test('a Fail state follows only a definitive outcome (a Choice on a reported status, a poll budget spent), never a Task directly', () => {
    const fails = new Set(Object.entries(definition.States).filter(([, state]) => state.Type === 'Fail').map(([name]) => name));
    const intoFail = Object.entries(definition.States).filter(([, state]) => state.Type === 'Task' && (state as { Next?: string }).Next !== undefined && fails.has((state as { Next?: string }).Next!));
    expect(intoFail).toEqual([]);
  });
});

test('the check finds a Catch into a Fail state', () => {
  const states: States = { Work: { Type: 'Task', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'WorkFailed' }] }, WorkFailed: { Type: 'Fail' } };
  expect(catchesIntoFail({ States: states })).toEqual(['Work catches States.ALL into Fail state WorkFailed']);
});
