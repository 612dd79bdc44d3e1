import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { mirrorLayout, requiredProvider, type Terraform } from '../scripts/terraform';
import { tf } from '../scripts/tf';
import { tempDir } from './support/temp-dir';

/** A stacks directory holding the named stacks, each a synthesized cdk.tf.json. */
function stacksDir(...stacks: string[]): string {
  const dir = tempDir('workflows-tf-');
  for (const stack of stacks) {
    mkdirSync(path.join(dir, stack), { recursive: true });
    writeFileSync(path.join(dir, stack, 'cdk.tf.json'), '{}');
  }
  return dir;
}

/** Terraform that records what it was asked, and exits with `code`. */
function recording(code = 0) {
  const calls: string[] = [];
  const terraform = (stackDir: string): Terraform => ({
    source: { kind: 'registry', searched: [] },
    run: () => '',
    init: (options) => void calls.push(`${path.basename(stackDir)}: init${options?.backend ? '' : ' -backend=false'}`),
    exec: (args) => (calls.push(`${path.basename(stackDir)}: ${args.join(' ')}`), code),
  });
  return { calls, terraform };
}

describe('npm run tf', () => {
  test.each([
    [['validate'], ['long-running-workflows: init -backend=false', 'long-running-workflows: validate']],
    [['test'], ['long-running-workflows: init -backend=false', 'long-running-workflows: test']],
    [['plan', '-out', 'tfplan'], ['long-running-workflows: init', 'long-running-workflows: plan -out tfplan']],
    [['init', '-upgrade'], ['long-running-workflows: init -upgrade']],
  ])('%j initializes first when needed, with the backend only where the command uses it', (argv, expected) => {
    const { calls, terraform } = recording();
    const lines: string[] = [];
    expect(tf(argv, { stacksDir: stacksDir('long-running-workflows'), print: (l) => lines.push(l), terraform })).toBe(0);
    expect(calls).toEqual(expected);
    expect(lines).toEqual([]);
  });

  test('a stack whose provider a failed plan never installed (its backend recorded in .terraform) is initialized again', () => {
    const dir = stacksDir('long-running-workflows');
    const stackDir = path.join(dir, 'long-running-workflows');
    writeFileSync(path.join(stackDir, 'cdk.tf.json'), JSON.stringify({ terraform: { required_providers: { aws: { source: 'aws', version: '5.100.0' } } } }));
    mkdirSync(path.join(stackDir, '.terraform'));
    writeFileSync(path.join(stackDir, '.terraform', 'terraform.tfstate'), JSON.stringify({ version: 3, backend: { type: 'local', config: { path: '../../../terraform.long-running-workflows.tfstate' } } }));
    const failedPlan = recording();
    expect(tf(['validate'], { stacksDir: dir, print: () => undefined, terraform: failedPlan.terraform })).toBe(0);
    expect(failedPlan.calls).toEqual(['long-running-workflows: init -backend=false', 'long-running-workflows: validate']);
    mkdirSync(path.join(stackDir, '.terraform', 'providers', mirrorLayout(requiredProvider(stackDir))), { recursive: true });
    const installed = recording();
    expect(tf(['validate'], { stacksDir: dir, print: () => undefined, terraform: installed.terraform })).toBe(0);
    expect(installed.calls).toEqual(['long-running-workflows: validate']);
  });

  test('--environment chooses the stack its manifest records, as the other tools do', () => {
    const dir = stacksDir('long-running-workflows-dev', 'long-running-workflows-prod');
    for (const environment of ['dev', 'prod']) {
      writeFileSync(path.join(dir, `long-running-workflows-${environment}`, 'workflows.json'), JSON.stringify({ stackId: `long-running-workflows-${environment}`, environment, workflows: [] }));
    }
    for (const argv of [['--environment', 'prod', 'validate'], ['--environment=prod', 'validate']]) {
      const { calls, terraform } = recording();
      expect(tf(argv, { stacksDir: dir, print: () => undefined, terraform })).toBe(0);
      expect(calls).toEqual(['long-running-workflows-prod: init -backend=false', 'long-running-workflows-prod: validate']);
    }
    const lines: string[] = [];
    const { calls, terraform } = recording();
    expect(tf(['--environment', 'qa', 'validate'], { stacksDir: dir, print: (l) => lines.push(l), terraform })).toBe(2);
    expect(tf(['--environment', 'dev', '--stack', 'long-running-workflows-dev', 'validate'], { stacksDir: dir, print: (l) => lines.push(l), terraform })).toBe(2);
    expect(lines).toEqual(['--environment qa: the synthesized environments are dev, prod', 'give --environment or --stack, not both']);
    expect(calls).toEqual([]);
  });

  test("Terraform's exit code is the command's", () => {
    expect(tf(['plan'], { stacksDir: stacksDir('long-running-workflows'), print: () => undefined, terraform: recording(1).terraform })).toBe(1);
  });

  test.each([
    [[], 'Runs Terraform in a synthesized stack', 0],
    [['validate'], 'cdktf.out holds several stacks; choose one with --environment or --stack (long-running-workflows-dev, long-running-workflows-prod)', 2],
    [['--stack', 'long-running-workflows-qa', 'validate'], '--stack long-running-workflows-qa: the synthesized stacks are long-running-workflows-dev, long-running-workflows-prod', 2],
    [['--stack', 'long-running-workflows-dev'], 'give Terraform something to do', 2],
  ])('%j says what to do, and runs nothing', (argv, message, code) => {
    const { calls, terraform } = recording();
    const lines: string[] = [];
    expect(tf(argv, { stacksDir: stacksDir('long-running-workflows-dev', 'long-running-workflows-prod'), print: (l) => lines.push(l), terraform })).toBe(code);
    expect(lines.join('\n')).toContain(message);
    expect(calls).toEqual([]);
  });

  test('nothing synthesized: says to synthesize first', () => {
    const lines: string[] = [];
    expect(tf(['validate'], { stacksDir: path.join(tempDir('workflows-tf-'), 'none'), print: (l) => lines.push(l), terraform: recording().terraform })).toBe(2);
    expect(lines).toEqual(['nothing is synthesized in cdktf.out: run npm run synth first']);
  });
});
