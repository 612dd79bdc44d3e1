// The module itself, not an import's namespace copy: what the code under test calls through.
const fs = require('node:fs') as typeof import('node:fs');

/**
 * Data flows one way: loading the registry, the settings and the configuration layer reads no
 * definition (the history budget is worked out where a definition is built, or when a message or
 * the docs first ask for a limit).
 */
test('loading the kinds and the configuration reads no asl/ file; asking for a rule that needs one does', () => {
  const reads = jest.spyOn(fs, 'readFileSync');
  const definitionsRead = () => reads.mock.calls.map(([file]) => String(file)).filter((file) => file.endsWith('.asl.json'));
  jest.isolateModules(() => {
    require('../../lib/kinds');
    require('../../lib/config/config');
    expect(definitionsRead()).toEqual([]);
    const { JOB_SETTINGS } = require('../../lib/kinds/continue-as-new/settings') as typeof import('../../lib/kinds/continue-as-new/settings');
    expect(JOB_SETTINGS.iterationsPerExecution.rule).toMatch(/^a whole number from 1 to the history budget's limit: \d+ with restartWith integration, /);
    expect(definitionsRead().length).toBeGreaterThan(0);
  });
  reads.mockRestore();
});
