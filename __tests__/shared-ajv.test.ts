import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import aslValidator from 'asl-validator';
import { withFreshAjv } from './support/shared-ajv';

// The tests' asl-validator shares one Ajv (__tests__/support/shared-ajv.ts): it must find what a
// fresh one finds, valid or not, in any order.
const seed = readFileSync(path.join(__dirname, '..', 'bench', 'fixtures', 'seed-loop', 'continue-as-new.asl.json'), 'utf8');
const definitions: Record<string, (definition: any) => void> = {
  valid: () => undefined,
  'a bad path': (d) => (d.States[d.StartAt].ResultPath = '$$bad'),
  'a bad ARN': (d) => (Object.values<any>(d.States).find((s) => s.Type === 'Task').Resource = 'arn:aws:nothing'),
  'a missing state': (d) => (d.StartAt = 'Nowhere'),
  'an unknown field': (d) => (d.States[d.StartAt].Bogus = 1),
};
const check = (name: string, options?: { checkPaths: boolean; checkArn: boolean }) => {
  const definition = JSON.parse(seed);
  definitions[name](definition);
  const result = aslValidator(definition, options);
  return { isValid: result.isValid, errors: result.errorsText() };
};

test.each(Object.keys(definitions))('a definition with %s: the shared Ajv finds what a fresh one does', (name) => {
  const fresh = withFreshAjv(() => check(name, { checkPaths: true, checkArn: true }));
  expect(check(name, { checkPaths: true, checkArn: true })).toEqual(fresh);
  expect(fresh.isValid).toBe(name === 'valid');
});

test('asl-validator with other options than the shared Ajv was built for: refused, not validated with its formats', () => {
  check('valid', { checkPaths: true, checkArn: true });
  expect(() => check('valid', { checkPaths: false, checkArn: true })).toThrow(/added format asl_\w+ unlike before/);
});
