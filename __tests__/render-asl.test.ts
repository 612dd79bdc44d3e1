import { renderAsl } from '../lib/render-asl';

const template = JSON.stringify({
  StartAt: 'A',
  States: { A: { Type: 'Task', Resource: 'arn:${Partition}:lambda:${Region}:1:function:${Name}', TimeoutSeconds: '${Timeout}', End: true } },
});

describe('renderAsl', () => {
  test('fills text placeholders and turns whole-string number placeholders into numbers', () => {
    const definition = JSON.parse(renderAsl('t.json', template, { Partition: 'aws', Region: 'eu-west-1', Name: 'fn', Timeout: 30 }));
    expect(definition.States.A).toEqual({ Type: 'Task', Resource: 'arn:aws:lambda:eu-west-1:1:function:fn', TimeoutSeconds: 30, End: true });
  });

  test('a placeholder without a value fails, naming it', () => {
    expect(() => renderAsl('t.json', template, { Partition: 'aws', Region: 'r', Timeout: 1 })).toThrow(
      'ASL template t.json: placeholder ${Name} has no value (known: Partition, Region, Timeout)',
    );
  });

  test('a value no placeholder uses fails, naming it', () => {
    expect(() => renderAsl('t.json', template, { Partition: 'aws', Region: 'r', Name: 'n', Timeout: 1, Stale: 'x' })).toThrow(
      'ASL template t.json: values never used by a placeholder: Stale',
    );
  });

  test.each(['${not valid}', '%{ if true }x%{ endif }', '${}'])('refuses the stray interpolation %s', (text) => {
    const bad = JSON.stringify({ Comment: text, StartAt: 'A', States: {} });
    expect(() => renderAsl('t.json', bad, {})).toThrow('holds an interpolation that is not a ${Name} placeholder');
  });

  test('a template that is not JSON fails with the parser message', () => {
    expect(() => renderAsl('t.json', '{"StartAt": ', {})).toThrow(/^ASL template t.json: is not valid JSON/);
  });
});
