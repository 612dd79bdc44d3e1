import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { loadConfig } from '../../../lib/config/config';
import { ContinueAsNew } from '../../../lib/kinds/continue-as-new/continue-as-new';
import { runContinueAsNewChain } from '../../../lib/kinds/continue-as-new/simulation';
import { WorkflowsStack } from '../../../lib/workflows-stack';
import { loadStackArtifacts } from '../../../simulator/stack-artifacts';
import { readmeRecipes } from '../../support/readme-recipes';
import { tempDir } from '../../support/temp-dir';

/**
 * docs/jobs.md's renamed cursor, end to end in local executions of the deployable zips: the
 * reindex job (stateVersion 1) runs a generation, the new version is deployed without a migration
 * and the next generation refuses the old state, then the migration is deployed and the kept
 * state resumes to the exact end. The work modules are the page's own blocks.
 */
const page = readFileSync(path.join(__dirname, '../../../docs/jobs.md'), 'utf8');
const example = (step: string) => {
  const found = new RegExp(`<!-- example renamed-cursor: ${step} -->\\n\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(page);
  if (!found) throw new Error(`docs/jobs.md has no renamed-cursor block "${step}"`);
  return found[1];
};
const firstVersion = readmeRecipes().get('own-job')!.find((step) => step.how === 'write lambdas/reindex.ts')!.code;
const dir = tempDir('state-versions-');
// The page's work prints what it indexed, as a real one would; the test reads results, not the console.
beforeAll(() => jest.spyOn(console, 'log').mockImplementation(() => {}));
afterAll(() => jest.restoreAllMocks());
const entry = (name: string, code: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, code);
  return file;
};
/** The job as each deploy has it: the same name, the work of that generation (added in code, which takes a path outside the project). */
const deploy = (workEntry: string) => {
  const outdir = tempDir('state-versions-synth-');
  const app = Testing.app({ outdir });
  const stack = new WorkflowsStack(app, 'long-running-workflows', { config: loadConfig({}, { jobs: {}, snapshotTargets: {} }) });
  new ContinueAsNew(stack, 'reindex', { workEntry, iterationsPerExecution: 3 });
  app.synth();
  return loadStackArtifacts(path.join(outdir, 'stacks', 'long-running-workflows'));
};
const generations = {
  first: deploy(entry('reindex-v1.ts', firstVersion)),
  renamed: deploy(entry('reindex-v2.ts', example('the new version'))),
  migrating: deploy(entry('reindex-v2-migrating.ts', `${example('the new version')}\n${example('the migration')}`)),
};

test('a deploy between two generations: the old state is refused by name until its migration is deployed, then resumed to the exact end', async () => {
  // Generation 0 on the first version: pages 0 to 2, then a successor is started with the stamped state.
  const first = await runContinueAsNewChain(generations.first, { input: {}, rootName: 'reindex', runExecutions: 1 });
  expect(first.executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
  const successor = first.started.find((e) => e.name === 'reindex-g1')!;
  expect(successor.input).toMatchObject({ state: { stateVersion: 1, state: { page: 3, indexed: 300 } } });

  // The new version deployed without a migration: generation 1 fails before the work runs, the state kept.
  const renamed = await runContinueAsNewChain(generations.renamed, { input: successor.input, rootName: 'reindex-g1' });
  const [refused] = renamed.executions;
  expect(renamed.executions).toHaveLength(1);
  expect(refused).toMatchObject({ status: 'FAILED', error: 'StateVersionMismatch' });
  expect(refused.cause).toMatch(/^the work: the state was written by stateVersion 1, and this code is stateVersion 2 and exports no migrateState; nothing was called/);
  const kept = (refused.inputs.find((i) => i.state === 'Work')!.input as { work: { state: unknown } }).work.state;
  expect(kept).toEqual({ stateVersion: 1, state: { page: 3, indexed: 300 } });

  // The migration deployed: the kept state resumes, migrated once, and every item is indexed once.
  const results: unknown[] = [];
  const resumed = await runContinueAsNewChain(generations.migrating, {
    input: { state: kept },
    rootName: 'reindex-resumed',
    wrapHandler: (state, handler) =>
      state !== 'Work'
        ? handler
        : async (input) => {
            const result = await handler(input);
            results.push((result as { state: unknown }).state);
            return result;
          },
  });
  expect(resumed.executions.every((e) => e.status === 'SUCCEEDED')).toBe(true);
  expect(resumed.executions.at(-1)?.output).toMatchObject({ state: { stateVersion: 2, state: { offset: 1000, indexed: 1000 } } });
  expect(results).toEqual([400, 500, 600, 700, 800, 900, 1000, 1000].map((offset) => ({ stateVersion: 2, state: { offset, indexed: offset } })));
}, 30_000);
