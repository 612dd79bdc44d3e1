import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

const root = path.join(__dirname, '..');
const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
type Step = { uses?: string; run?: string; with?: Record<string, string> };
type Workflow = { on: Record<string, unknown>; permissions?: Record<string, string>; jobs: Record<string, { environment?: string; steps: Step[] }> };
const workflow = (file: string): Workflow => parse(readFileSync(path.join(root, '.github', 'workflows', file), 'utf8'));
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((job) => job.steps);

/** Why a `run:` line would fail in a clean checkout, or undefined when what it calls exists. */
function problemWith(line: string): string | undefined {
  const [command, sub, ...rest] = line.split(/\s+/);
  if (command === 'npm' && (sub === 'ci' || sub === 'test')) return undefined;
  if (command === 'npm' && sub === 'run') return rest[0] in packageJson.scripts ? undefined : `npm script "${rest[0]}" does not exist`;
  if (command === 'npx') return existsSync(path.join(root, 'node_modules', '.bin', sub)) ? undefined : `npx ${sub}: no such binary`;
  if (command === 'bash' || command === 'node') return existsSync(path.join(root, sub)) ? undefined : `${sub} does not exist`;
  return `"${command}" is not a command of this repository`;
}

describe.each(['plan.yml', 'deploy.yml'])('.github/workflows/%s', (file) => {
  test('every run: step calls a script or command that exists in the repository', () => {
    const lines = steps(workflow(file))
      .flatMap((step) => (step.run ?? '').split('\n'))
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.map((line) => [line, problemWith(line)])).toEqual(lines.map((line) => [line, undefined]));
  });

  test('every action is pinned to a version and AWS credentials come from OIDC with a role from a repository variable', () => {
    const w = workflow(file);
    for (const step of steps(w)) if (step.uses) expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+@v\d+$/);
    expect(w.permissions?.['id-token']).toBe('write');
    const credentials = steps(w).find((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@'));
    expect(credentials?.with?.['role-to-assume']).toMatch(/^\$\{\{ vars\.AWS_\w+_ROLE_ARN \}\}$/);
  });
});

test('the checker itself refuses what does not exist', () => {
  expect(problemWith('npm run nope')).toBe('npm script "nope" does not exist');
  expect(problemWith('bash scripts/ci/missing.sh')).toBe('scripts/ci/missing.sh does not exist');
  expect(problemWith('make deploy')).toBe('"make" is not a command of this repository');
});

test('plan.yml runs on pull requests, tests, plans every stack, and posts one sticky comment plus an artifact', () => {
  const w = workflow('plan.yml');
  expect(Object.keys(w.on)).toEqual(['pull_request']);
  const all = steps(w);
  expect(all.map((s) => s.run).filter(Boolean)).toEqual(['npm ci', 'npm test', 'npm run synth', 'bash scripts/ci/plan-stacks.sh cdktf.out/plan.md']);
  expect(all.find((s) => s.uses?.startsWith('marocchino/sticky-pull-request-comment@'))?.with).toMatchObject({ header: 'terraform-plan', path: 'cdktf.out/plan.md' });
  expect(all.some((s) => s.uses?.startsWith('actions/upload-artifact@'))).toBe(true);
  expect(w.permissions?.['pull-requests']).toBe('write');
});

test('deploy.yml deploys on main behind a GitHub environment, with cdktf deploy --auto-approve', () => {
  const w = workflow('deploy.yml');
  expect(w.on.push).toEqual({ branches: ['main'] });
  expect(w.jobs.deploy.environment).toBe('production');
  expect(steps(w).map((s) => s.run).filter(Boolean).at(-1)).toMatch(/^npm run deploy -- --auto-approve /);
  expect(packageJson.scripts.deploy).toMatch(/scripts\/cdktf\.ts deploy$/);
  expect(readFileSync(path.join(__dirname, '..', 'scripts', 'cdktf.ts'), 'utf8')).toContain("spawnSync(cdktf, [command, ...args]");
});
