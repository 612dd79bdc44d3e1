import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { loadConfig } from '../../lib/config/config';
import type { PolicyStatement } from '../../lib/core/iam';
import { ContinueAsNew } from '../../lib/kinds/continue-as-new/continue-as-new';
import { LongRunningTask } from '../../lib/kinds/task/long-running-task';
import { WorkflowsStack } from '../../lib/workflows-stack';
import { problemsOf } from '../support/config-problems';
import { tempDir } from '../support/temp-dir';

const root = path.join(__dirname, '..', '..');
const ACCOUNT = '123456789012';
const task = { startEntry: '__tests__/fixtures/task/start.ts', checkEntry: '__tests__/fixtures/task/check.ts' };
const jobWith = (...statements: object[]) => ({ WORKFLOWS_JOBS: JSON.stringify({ reindex: { workPolicyStatements: statements } }) });
const taskWith = (...statements: object[]) => ({ WORKFLOWS_TASKS: JSON.stringify({ nightly: { ...task, policyStatements: statements } }) });
const statement = (Action: string[], Resource: string[], more: object = {}) => ({ Action, Resource, ...more });

describe('statements you add cannot escalate: refused at synth, one line per problem naming the workflow, the statement and the rule', () => {
  test.each([
    ['iam:PutRolePolicy on a named role', statement(['iam:PutRolePolicy'], [`arn:aws:iam::${ACCOUNT}:role/anything`]), 'action "iam:PutRolePolicy" grants privileges'],
    ['iam:AttachRolePolicy', statement(['iam:AttachRolePolicy'], [`arn:aws:iam::${ACCOUNT}:role/anything`]), 'action "iam:AttachRolePolicy" grants privileges'],
    ['iam:CreateAccessKey', statement(['iam:CreateAccessKey'], [`arn:aws:iam::${ACCOUNT}:user/deploy`]), 'action "iam:CreateAccessKey" grants privileges'],
    ['iam:UpdateAssumeRolePolicy', statement(['iam:UpdateAssumeRolePolicy'], [`arn:aws:iam::${ACCOUNT}:role/admin`]), 'action "iam:UpdateAssumeRolePolicy" grants privileges'],
    ['organizations:AttachPolicy', statement(['organizations:AttachPolicy'], [`arn:aws:organizations::${ACCOUNT}:policy/o-1/service_control_policy/p-1`]), 'action "organizations:AttachPolicy" grants privileges'],
    ['sts:GetFederationToken', statement(['sts:GetFederationToken'], [`arn:aws:sts::${ACCOUNT}:federated-user/x`]), 'action "sts:GetFederationToken" grants privileges'],
    ['iam:PassRole on *', statement(['iam:PassRole'], ['*']), 'action "iam:PassRole" on "*" could pass or assume any role'],
    ['iam:PassRole on a role pattern', statement(['iam:PassRole'], [`arn:aws:iam::${ACCOUNT}:role/glue-*`]), `action "iam:PassRole" on "arn:aws:iam::${ACCOUNT}:role/glue-*" could pass or assume any role`],
    ['sts:AssumeRole on *', statement(['sts:AssumeRole'], ['*']), 'action "sts:AssumeRole" on "*" could pass or assume any role'],
    ['a pattern without the opt-in', statement(['s3:Get*'], ['arn:aws:s3:::archive/*']), 'action pattern "s3:Get*" (s3:GetAccelerateConfiguration'],
    ['an opted-in pattern that matches escalating actions', statement(['iam:*Policy'], [`arn:aws:iam::${ACCOUNT}:role/x`], { AllowActionPatterns: true }), 'action pattern "iam:*Policy" (iam:AttachGroupPolicy'],
    ['Resource * for an action with resource-level permissions', statement(['s3:GetObject'], ['*']), 'action "s3:GetObject" on Resource "*": it supports resource-level permissions: name the ARNs it needs'],
    ['an own state machine', statement(['states:StartExecution'], [`arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:long-running-reindex`]), "could be this stack's own state machines, functions, roles or schedules (long-running-*)"],
    ['every state machine', statement(['states:StopExecution'], ['arn:aws:states:*:*:execution:*']), "could be this stack's own state machines"],
    ['an own function', statement(['lambda:UpdateFunctionCode'], [`arn:aws:lambda:us-east-1:${ACCOUNT}:function:long-running-reindex-work`]), "could be this stack's own"],
    ['an own role, even named', statement(['iam:PassRole'], [`arn:aws:iam::${ACCOUNT}:role/long-running-reindex-sfn`]), "could be this stack's own"],
    ['an own schedule', statement(['scheduler:UpdateSchedule'], [`arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule/long-running-nightly/nightly`]), "could be this stack's own"],
    ['a misspelled action', statement(['s3:GetObjekt'], ['arn:aws:s3:::archive/*']), 'action "s3:GetObjekt" is not in the service authorization reference'],
  ])('%s', (_case, refused, rule) => {
    const [line, ...more] = problemsOf(() => loadConfig(jobWith(refused)));
    expect(line).toMatch(/^job reindex: WORKFLOWS_JOBS\.reindex\.workPolicyStatements statement 0 \(Sid Work0\): /);
    expect({ line, more }).toEqual({ line: expect.stringContaining(rule), more: [] });
  });

  test("the issue's statement gives a line for each problem; a task's statements are held to the same rules", () => {
    const hostile = statement(['iam:PassRole', 'iam:Put*', 'iam:*Policy', 'states:StartExecution', 'lambda:UpdateFunctionCode'], ['*']);
    const lines = problemsOf(() => loadConfig({ WORKFLOWS_JOBS: JSON.stringify({ 'continue-as-new': { workPolicyStatements: [hostile] } }) }));
    expect(lines.every((line) => line.startsWith('job continue-as-new: WORKFLOWS_JOBS.continue-as-new.workPolicyStatements statement 0 (Sid Work0): '))).toBe(true);
    expect(lines.map((line) => line.replace(/^.*\(Sid Work0\): /, '').replace(/ \(.*$/, '').replace(/:.*$/, ''))).toEqual([
      'action "iam',
      'action pattern "iam',
      'action pattern "iam',
      'action pattern "iam',
      'action pattern "iam',
      'action pattern "iam',
      'action pattern "iam',
      'action "states',
      'action "lambda',
    ]);
    expect(problemsOf(() => loadConfig(taskWith(statement(['s3:GetObject'], ['arn:aws:s3:::archive/*']), statement(['iam:CreateRole'], [`arn:aws:iam::${ACCOUNT}:role/x`]))))).toEqual([
      'task nightly: WORKFLOWS_TASKS.nightly.policyStatements statement 1 (Sid Task1): action "iam:CreateRole" grants privileges: a write of IAM, Organizations or STS lets a function change what it may do or get other credentials, so give itself anything',
    ]);
  });

  test('what a work function needs passes: a named iam:PassRole, Resource * for actions without resource-level permissions, an opted-in pattern on named resources', () => {
    const config = loadConfig(
      jobWith(
        { Sid: 'PassTheGlueRole', Action: ['iam:PassRole', 'glue:StartJobRun'], Resource: [`arn:aws:iam::${ACCOUNT}:role/glue-job`, `arn:aws:glue:us-east-1:${ACCOUNT}:job/nightly`] },
        statement(['sts:GetCallerIdentity', 'states:ListStateMachines'], ['*']),
        statement(['s3:Get*'], ['arn:aws:s3:::archive/*'], { AllowActionPatterns: true }),
      ),
    );
    expect(config.jobs.reindex.workPolicyStatements.map((s) => s.Sid)).toEqual(['PassTheGlueRole', 'Work1', 'Work2']);
    // The opt-in is this project's, not IAM's: the role's policy leaves it out.
    const stack = new WorkflowsStack(Testing.app({ outdir: tempDir('workflows-statements-') }), 'long-running-workflows', { config: { ...config, snapshotTargets: {} } });
    const policies = Object.values<{ policy: string }>(JSON.parse(Testing.synth(stack)).resource.aws_iam_role_policy).map((p) => p.policy);
    const work = JSON.parse(policies.find((p) => p.includes('PassTheGlueRole'))!);
    expect(work.Statement.find((s: PolicyStatement) => s.Sid === 'Work2')).toEqual({ Sid: 'Work2', Effect: 'Allow', Action: ['s3:Get*'], Resource: ['arn:aws:s3:::archive/*'] });
  });

  test('npm run synth of a hostile statement exits 1 with the lines and writes nothing', () => {
    const outdir = path.join(tempDir('workflows-statements-'), 'out');
    const result = spawnSync(process.execPath, ['-r', 'sucrase/register', 'main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH, CDKTF_OUTDIR: outdir, CDKTF_CONTEXT_JSON: '{}', ...taskWith(statement(['sts:AssumeRole'], ['*'])) },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'Invalid configuration:\n' +
        '  - task nightly: WORKFLOWS_TASKS.nightly.policyStatements statement 0 (Sid Task0): action "sts:AssumeRole" on "*" could pass or assume any role, a more powerful one too: name each role\'s ARN (arn:<partition>:iam::<account>:role/<name>, no wildcards)\n',
    );
    expect(existsSync(outdir)).toBe(false);
  });

  test("in code, addToWorkRolePolicy and a task's addToRolePolicy are held to the rules at synth, a workflow's own name included", () => {
    const config = loadConfig({ WORKFLOWS_JOBS: '{}', WORKFLOWS_SNAPSHOT_TARGETS: '{}' });
    const stack = new WorkflowsStack(Testing.app({ outdir: tempDir('workflows-statements-') }), 'long-running-workflows', { config });
    const reindex = new ContinueAsNew(stack, 'reindex', { name: 'reindexer' });
    reindex.addToWorkRolePolicy({ Sid: 'Escalate', Effect: 'Allow', Action: ['iam:AttachRolePolicy'], Resource: [`arn:aws:iam::${ACCOUNT}:role/reindexer-work-fn`] });
    const nightly = new LongRunningTask(stack, 'nightly', task);
    nightly.addToRolePolicy({ Sid: 'RestartTheJob', Effect: 'Allow', Action: ['states:StartExecution'], Resource: [`arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:reindexer`] });
    expect(() => Testing.synth(stack)).toThrow(
      'long-running-workflows: statements added to a role must not let it escalate:\n' +
        '  - long-running-workflows/reindex/work statement Escalate: action "iam:AttachRolePolicy" grants privileges: a write of IAM, Organizations or STS lets a function change what it may do or get other credentials, so give itself anything\n' +
        `  - long-running-workflows/reindex/work statement Escalate: resource "arn:aws:iam::${ACCOUNT}:role/reindexer-work-fn" could be this stack's own state machines, functions, roles or schedules (long-running-*, reindexer, reindexer-*, long-running-nightly, long-running-nightly-*): a function must not change the workflows that run it\n` +
        `  - long-running-workflows/nightly/start statement RestartTheJob: resource "arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:reindexer" could be this stack's own state machines, functions, roles or schedules (long-running-*, reindexer, reindexer-*, long-running-nightly, long-running-nightly-*): a function must not change the workflows that run it\n` +
        `  - long-running-workflows/nightly/check statement RestartTheJob: resource "arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:reindexer" could be this stack's own state machines, functions, roles or schedules (long-running-*, reindexer, reindexer-*, long-running-nightly, long-running-nightly-*): a function must not change the workflows that run it`,
    );
  });
});
