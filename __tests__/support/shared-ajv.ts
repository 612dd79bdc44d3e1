import * as path from 'node:path';

/**
 * `ajv` as the tests' code sees it (jest maps `ajv` here). asl-validator — the definitions' checks of the tests, and aws-local-stepfunctions' check of every
 * definition a local execution runs — builds a new Ajv for each definition it checks and compiles
 * its fifteen schemas into it again: a few hundred ms each time, a large share of the suite's CPU.
 * Here the Ajv it asks for is built once per test file and handed out again. asl-validator builds
 * it from the same schemas and options each time, then adds its formats (which its options
 * decide) and the ajv-formats keywords: added again, a format must be the very one the shared
 * instance has — else this throws, rather than validate with another — and a keyword already
 * there by the same definition is left as it is. Any other Ajv is built as it would be, and the
 * rest of ajv is ajv's own.
 */
type Ajv = import('ajv').default;
type Format = Parameters<Ajv['addFormat']>[1];
type KeywordDefinition = Exclude<Parameters<Ajv['addKeyword']>[0], string>;

const ASL_SCHEMA_ID = 'http://asl-validator.cloud/';

/** Two formats are the same when they are one object, or functions (or patterns) with the same source: asl-validator makes some afresh on each call. */
const sameFormat = (a: Format, b: Format) => a === b || ((typeof a === 'function' || a instanceof RegExp) && String(a) === String(b));

function shareable(RealAjv: new (options: object) => Ajv): new (options: object) => Ajv {
  const built = new Map<string, Ajv>();
  function SharedAjv(options: { schemas?: { $id?: string }[] }): Ajv {
    const forAslValidator = Array.isArray(options?.schemas) && options.schemas.length > 0 && options.schemas.every((schema) => schema.$id?.startsWith(ASL_SCHEMA_ID));
    if (!forAslValidator) return new RealAjv(options);
    const key = JSON.stringify(options);
    const existing = built.get(key);
    if (existing) return existing;
    const ajv = new RealAjv(options);
    const formats = new Map<string, Format>();
    const keywords = new Map<string, KeywordDefinition>();
    const addFormat = ajv.addFormat.bind(ajv);
    const addKeyword = ajv.addKeyword.bind(ajv);
    ajv.addFormat = (name: string, format: Format) => {
      const known = formats.get(name);
      if (known === undefined) {
        formats.set(name, format);
        return addFormat(name, format);
      }
      if (!sameFormat(known, format)) throw new Error(`__tests__/support/shared-ajv.ts: asl-validator added format ${name} unlike before; the shared Ajv cannot serve it`);
      return ajv;
    };
    ajv.addKeyword = ((definition: KeywordDefinition) => {
      const names = [definition.keyword].flat();
      if (names.every((name) => keywords.get(name) === definition)) return ajv;
      for (const name of names) keywords.set(name, definition);
      return addKeyword(definition);
    }) as Ajv['addKeyword'];
    built.set(key, ajv);
    return ajv;
  }
  return SharedAjv as unknown as new (options: object) => Ajv;
}

// jest maps `ajv` here; this is the real one. asl-validator reads `require("ajv").default` each time it builds one.
const real = require(path.join(path.dirname(require.resolve('ajv/package.json')), 'dist', 'ajv.js')) as { default: new (options: object) => Ajv };
const SharedAjv = shareable(real.default);
const ajvModule = { ...real, __esModule: true, default: SharedAjv, withFreshAjv };

/** Runs `use` with asl-validator building a new Ajv each time, as it does outside the tests. */
export function withFreshAjv<T>(use: () => T): T {
  ajvModule.default = real.default;
  try {
    return use();
  } finally {
    ajvModule.default = SharedAjv;
  }
}

module.exports = ajvModule;
