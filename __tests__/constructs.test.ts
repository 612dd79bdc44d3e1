import * as path from 'node:path';
import { Testing, TerraformStack } from 'cdktf';
import { Arns } from '../lib/arns';
import { AslStateMachine } from '../lib/asl-state-machine';
import { NodejsFunction } from '../lib/nodejs-function';
import { LAMBDAS_DIR } from '../lib/paths';
import { ServiceRole } from '../lib/service-role';
import { tempDir } from './support/synth';

const arns = new Arns('aws', 'eu-west-1', '123456789012');
const newStack = () => new TerraformStack(Testing.app({ outdir: tempDir('workflows-constructs-') }), 'test');
const fn = (stack: TerraformStack, functionName: string) =>
  new NodejsFunction(stack, 'fn', { functionName, entry: path.join(LAMBDAS_DIR, 'iterator.ts'), arns, logRetentionDays: 14 });
const stateMachine = (stack: TerraformStack, stateMachineName: string, values: Record<string, string | number>) =>
  new AslStateMachine(stack, 'sm', {
    stateMachineName,
    definitionFile: 'continue-as-new.asl.json',
    values,
    invokes: [],
    arns,
    logRetentionDays: 14,
    logLevel: 'ERROR',
    logExecutionData: false,
    xrayTracing: false,
  });
const continueAsNewValues = { IteratorFunctionName: 'it', RestartFunctionName: 'rs', LoopThreshold: 3 };

describe('construct props are checked before anything is added', () => {
  test('a function name Lambda would refuse', () => {
    const stack = newStack();
    expect(() => fn(stack, 'my function')).toThrow('functionName "my function" must be 1-64 letters, digits, hyphens or underscores');
    expect(JSON.parse(Testing.synth(stack)).resource).toBeUndefined();
  });

  test('a state machine name Step Functions would refuse', () => {
    const stack = newStack();
    expect(() => stateMachine(stack, 'x'.repeat(81), continueAsNewValues)).toThrow(/^stateMachineName "x+" must be 1-80 letters/);
    expect(JSON.parse(Testing.synth(stack)).resource).toBeUndefined();
  });

  test('a value the definition never uses fails synth, naming it', () => {
    expect(() => stateMachine(newStack(), 'ok', { ...continueAsNewValues, Stale: 1 })).toThrow(
      'ASL template continue-as-new.asl.json: values never used by a placeholder: Stale',
    );
  });

  test('a placeholder without a value fails synth, naming it', () => {
    const { LoopThreshold: _, ...missing } = continueAsNewValues;
    expect(() => stateMachine(newStack(), 'ok', missing)).toThrow('placeholder ${LoopThreshold} has no value');
  });

  test('a role name IAM would refuse', () => {
    expect(() => new ServiceRole(newStack(), 'r', { roleName: 'a'.repeat(65), service: 'lambda.amazonaws.com', statements: [] })).toThrow(
      /^roleName "a+" must be 1-64/,
    );
  });
});
