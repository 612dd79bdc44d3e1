import { renderAsl, type AslTemplate } from '../../lib/core/render-asl';

const template = (states: object, name = 't.json'): AslTemplate => ({ name, text: JSON.stringify({ StartAt: 'A', States: states }) });
const base = template({
  A: { Type: 'Task', Resource: 'arn:${Partition}:lambda:${Region}:1:function:${Name}', TimeoutSeconds: '${Timeout}', Retry: ['${LambdaRetry}'], Next: 'B' },
});
const retry = { ErrorEquals: ['Lambda.ServiceException'], MaxAttempts: 3 };
const shared = { Partition: 'aws', Region: 'eu-west-1', LambdaRetry: retry };

describe('renderAsl', () => {
  test('fills text placeholders; whole-string placeholders become numbers or objects', () => {
    const definition = JSON.parse(renderAsl([base], { Name: 'fn', Timeout: 30 }, shared));
    expect(definition.States.A).toEqual({ Type: 'Task', Resource: 'arn:aws:lambda:eu-west-1:1:function:fn', TimeoutSeconds: 30, Retry: [retry], Next: 'B' });
  });

  test("a fragment's states join the base's", () => {
    const fragment = template({ B: { Type: 'Pass', End: true } }, 'fragment.json');
    const definition = JSON.parse(renderAsl([base, fragment], { Name: 'fn', Timeout: 1 }, shared));
    expect(Object.keys(definition.States)).toEqual(['A', 'B']);
  });

  test('a fragment may not define a state again', () => {
    const fragment = template({ A: { Type: 'Pass', End: true } }, 'fragment.json');
    expect(() => renderAsl([base, fragment], { Name: 'fn', Timeout: 1 }, shared)).toThrow('ASL template t.json + fragment.json: fragment.json defines state A again');
  });

  test('a fragment replaces the states it lists in Replaces, in their place; a listed state it lacks, or the base lacks, fails', () => {
    const withB = template({ ...JSON.parse(base.text).States, B: { Type: 'Pass', End: true } });
    const replacing = (states: object, replaces: string[]): AslTemplate => ({ name: 'variant.json', text: JSON.stringify({ Replaces: replaces, States: states }) });
    const definition = JSON.parse(renderAsl([withB, replacing({ A: { Type: 'Pass', Next: 'B' } }, ['A'])], {}, shared));
    expect(Object.keys(definition.States)).toEqual(['A', 'B']);
    expect(definition.States.A).toEqual({ Type: 'Pass', Next: 'B' });
    expect(definition.Replaces).toBeUndefined();
    expect(() => renderAsl([withB, replacing({ C: { Type: 'Pass', End: true } }, ['C'])], {}, shared)).toThrow('variant.json replaces state C, which t.json does not have');
    expect(() => renderAsl([withB, replacing({}, ['A'])], {}, shared)).toThrow('variant.json replaces state A but does not define it');
    expect(() => renderAsl([withB, replacing({ A: { Type: 'Pass', End: true }, B: { Type: 'Pass', End: true } }, ['A'])], {}, shared)).toThrow(
      'variant.json defines state B again',
    );
  });

  test('a placeholder without a value fails, naming it and the known ones', () => {
    expect(() => renderAsl([base], { Timeout: 1 }, shared)).toThrow(
      'ASL template t.json: placeholder ${Name} has no value (known: LambdaRetry, Partition, Region, Timeout)',
    );
  });

  test('a value no placeholder uses fails, naming it; shared values may go unused', () => {
    expect(() => renderAsl([base], { Name: 'n', Timeout: 1, Stale: 'x' }, shared)).toThrow('ASL template t.json: values never used by a placeholder: Stale');
    expect(() => renderAsl([base], { Name: 'n', Timeout: 1 }, { ...shared, Unused: 'fine' })).not.toThrow();
  });

  test('an object must stand alone, not inside text', () => {
    const inText = template({ A: { Type: 'Pass', Comment: 'retry: ${LambdaRetry}', End: true } });
    expect(() => renderAsl([inText], {}, shared)).toThrow('placeholder ${LambdaRetry} holds an object and must stand alone, not inside "retry: ${LambdaRetry}"');
  });

  test.each(['${not valid}', '%{ if true }x%{ endif }', '${}'])('refuses the stray interpolation %s', (text) => {
    expect(() => renderAsl([template({ A: { Type: 'Pass', Comment: text, End: true } })], {})).toThrow('holds an interpolation that is not a ${Name} placeholder');
  });

  test('a template that is not JSON fails with the parser message', () => {
    expect(() => renderAsl([{ name: 't.json', text: '{"StartAt": ' }], {})).toThrow(/^ASL template t.json: is not valid JSON/);
  });
});
