import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { loadConfig } from '../../lib/config/config';
import { ContinueAsNew } from '../../lib/kinds/continue-as-new/continue-as-new';
import { WORKFLOWS_MANIFEST_FILE, type StackManifest } from '../../lib/core/workflow-manifest';
import { WorkflowsStack } from '../../lib/workflows-stack';
import { synthesize, type TerraformJson } from '../support/synth';
import { tempDir } from '../support/temp-dir';

const manifestIn = (stackDir: string): StackManifest => JSON.parse(readFileSync(path.join(stackDir, WORKFLOWS_MANIFEST_FILE), 'utf8'));

/** Every state machine and function the manifest names is one cdk.tf.json deploys: a tool finding them by the manifest finds them. */
function expectNamesDeployed(manifest: StackManifest, json: TerraformJson): void {
  const machines = Object.values(json.resource.aws_sfn_state_machine).map((machine) => machine.name);
  const functions = Object.values(json.resource.aws_lambda_function).map((fn) => fn.function_name);
  expect(manifest.workflows.flatMap((workflow) => Object.values(workflow.stateMachines)).sort()).toEqual([...machines].sort());
  expect(manifest.workflows.flatMap((workflow) => Object.values(workflow.functions)).sort()).toEqual([...functions].sort());
}

describe('the workflows manifest synth writes beside cdk.tf.json', () => {
  test('for the default configuration: the job and the snapshot workflow, their machines, functions by role and what a local run needs', () => {
    const synthesized = synthesize();
    const stackDir = synthesized.fullSynth();
    const manifest = manifestIn(stackDir);
    expect(manifest).toEqual({
      stackId: 'long-running-workflows',
      workflows: [
        {
          id: 'continue-as-new',
          kind: 'continue-as-new',
          // The batch machine is deployed in either loop mode; localRun.loop says the job runs Standard.
          stateMachines: { workflow: 'long-running-continue-as-new', batch: 'long-running-continue-as-new-batch' },
          exampleInput: {},
          functions: { checkInput: 'long-running-continue-as-new-check-input', work: 'long-running-continue-as-new-work', restart: 'long-running-continue-as-new-restart' },
          localRun: {
            workEntry: 'lambdas/work.ts',
            loop: 'standard',
            restartWith: 'integration',
            iterationsPerExecution: 2208,
            exampleState: { next: 2, limit: 20000, batch: 1000, primes: 0 },
          },
        },
        {
          id: 'rds-snapshot',
          kind: 'rds-snapshot',
          stateMachines: { workflow: 'long-running-rds-snapshot' },
          exampleInput: { target: 'database-1' },
          functions: { create: 'long-running-rds-snapshot-create', describe: 'long-running-rds-snapshot-describe', retention: 'long-running-rds-snapshot-retention' },
          localRun: { targets: { 'database-1': 'instance' }, createdBy: 'long-running-rds-snapshot' },
        },
      ],
    });
    expectNamesDeployed(manifest, synthesized.json);
    // The example inputs are the ones the stack's outputs give execute.
    for (const workflow of manifest.workflows) expect(JSON.parse(synthesized.json.output[`${workflow.id.replace(/-/g, '_')}_example_input`].value)).toEqual(workflow.exampleInput);
  });

  test('an Express job with a restart function, a task with a cancel function, and a job added in code with work of its own and its environment', () => {
    const context = {
      jobs: { drain: { loop: 'express', batchCalls: 2, restartWith: 'function', iterationsPerExecution: 10 } },
      tasks: { orders: { startEntry: '__tests__/fixtures/task/start.ts', checkEntry: '__tests__/fixtures/task/check.ts', cancelEntry: '__tests__/fixtures/task/cancel.ts' } },
      snapshotTargets: { 'orders-db': { type: 'instance' }, analytics: { type: 'cluster' } },
    };
    const outdir = tempDir('workflows-manifest-');
    const app = Testing.app({ outdir });
    const stack = new WorkflowsStack(app, 'long-running-workflows-dev', { config: loadConfig({}, context), environment: 'dev' });
    new ContinueAsNew(stack, 'count', { name: 'counter', workEntry: '__tests__/fixtures/work/counter.ts' });
    const json = JSON.parse(Testing.synth(stack)) as TerraformJson;
    app.synth();
    const manifest = manifestIn(path.join(outdir, 'stacks', 'long-running-workflows-dev'));
    expect(manifest.stackId).toBe('long-running-workflows-dev');
    expect(manifest.environment).toBe('dev');
    expect(manifest.workflows.map((workflow) => [workflow.id, workflow.kind])).toEqual([
      ['drain', 'continue-as-new'],
      ['rds-snapshot', 'rds-snapshot'],
      ['orders', 'task'],
      ['count', 'continue-as-new'],
    ]);
    const [drain, snapshot, orders, count] = manifest.workflows;
    expect(drain).toMatchObject({
      stateMachines: { workflow: 'long-running-drain', batch: 'long-running-drain-batch' },
      functions: { checkInput: 'long-running-drain-check-input', work: 'long-running-drain-work', restart: 'long-running-drain-restart' },
      localRun: { workEntry: 'lambdas/work.ts', loop: 'express', restartWith: 'function', batchCalls: 2, iterationsPerExecution: 10 },
    });
    expect(snapshot.localRun).toEqual({ targets: { 'orders-db': 'instance', analytics: 'cluster' }, createdBy: 'long-running-rds-snapshot' });
    expect(orders).toMatchObject({
      functions: { start: 'long-running-orders-start', check: 'long-running-orders-check', cancel: 'long-running-orders-cancel' },
      localRun: { startEntry: '__tests__/fixtures/task/start.ts', checkEntry: '__tests__/fixtures/task/check.ts' },
    });
    // Work of its own: no example state, which only the example work is known to take.
    expect(count.stateMachines).toEqual({ workflow: 'counter', batch: 'counter-batch' });
    expect(count.localRun).toEqual({ workEntry: '__tests__/fixtures/work/counter.ts', loop: 'standard', restartWith: 'integration', iterationsPerExecution: 2208 });
    expectNamesDeployed(manifest, json);
  });

  test('is the same bytes from one synth to the next', () => {
    const first = readFileSync(path.join(synthesize().fullSynth(), WORKFLOWS_MANIFEST_FILE));
    const second = readFileSync(path.join(synthesize().fullSynth(), WORKFLOWS_MANIFEST_FILE));
    expect(second.equals(first)).toBe(true);
  });
});
