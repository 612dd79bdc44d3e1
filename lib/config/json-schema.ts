import { z } from 'zod';
import { CDKTF_JSON_KEYS, ENVIRONMENT_NAME, ENVIRONMENTS, SETTINGS } from './config';
import { shapeOf } from './settings';

/** Where `npm run docs` writes the JSON Schema of cdktf.json, from the project root. */
export const CDKTF_SCHEMA_FILE = 'cdktf.schema.json';

/** Context keys CDKTF itself reads or adds (`cdktfRelativeModules`, `@cdktf/...`): allowed, not ours to describe. */
const CDKTF_CONTEXT_KEYS = '^(cdktf|@cdktf/)';

/**
 * cdktf.json as a whole, described from the settings' own schemas: `context` holds our settings
 * and `environments` (each a block of the same settings), nothing else but CDKTF's own keys; the
 * other top-level keys are CDKTF's own, allowed as they are, and nothing else. What an editor
 * completes and flags as you type; `npm run synth` checks the rest (files, regions, budgets).
 */
export function cdktfJsonSchema(): JsonSchema {
  const settings = Object.fromEntries(Object.entries(SETTINGS).map(([name, setting]) => [name, shapeOf(setting, true)]));
  const environment = z.strictObject(settings).describe("an environment's own settings; the rest come from the top level");
  const environments = z
    .record(z.string().regex(ENVIRONMENT_NAME), environment)
    .meta({ minProperties: 1 })
    .describe(`one stack per environment, by name (1-12 lowercase letters or digits), each with its own settings; the name prefix is namePrefix-<environment> unless set`)
    .optional();
  const context = z
    .strictObject({ ...settings, [ENVIRONMENTS]: environments })
    .meta({ patternProperties: { [CDKTF_CONTEXT_KEYS]: {} } })
    .describe('the workflows\' settings (see docs/settings.md); a WORKFLOWS_* variable wins over its key here');
  const own = Object.fromEntries(CDKTF_JSON_KEYS.map((key) => [key, z.unknown().describe("CDKTF's own key").optional()]));
  const cdktfJson = z.strictObject({ ...own, context: context.optional() }).meta({ title: 'cdktf.json of long-running-workflows' });
  const schema = z.toJSONSchema(cdktfJson, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as JsonSchema;
  // Each setting described once, under its name in `definitions`: the context and every environment refer to it.
  const contextSchema = schema.properties!.context;
  const environmentSchema = contextSchema.properties![ENVIRONMENTS].additionalProperties as JsonSchema;
  const definitions: Record<string, JsonSchema> = {};
  for (const name of Object.keys(SETTINGS)) {
    definitions[name] = contextSchema.properties![name];
    contextSchema.properties![name] = environmentSchema.properties![name] = { $ref: `#/definitions/${name}` };
    // In an environment's block a map's key may be null: it removes that key of the shared value.
    const item = definitions[name].additionalProperties;
    if (SETTINGS[name].mergedByKey && typeof item === 'object') {
      definitions[`${name}InEnvironment`] = {
        ...definitions[name],
        description: `${String(definitions[name].description)}; merged key by key into the shared value, null removing a key`,
        additionalProperties: { anyOf: [{ $ref: `#/definitions/${name}/additionalProperties` }, { type: 'null', description: 'removes this key of the shared value' }] },
      };
      environmentSchema.properties![name] = { $ref: `#/definitions/${name}InEnvironment` };
    }
  }
  return { ...schema, definitions };
}

interface JsonSchema {
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  [keyword: string]: unknown;
}

/** The schema file's text, as `npm run docs` writes it. */
export const cdktfSchemaText = () => `${JSON.stringify(cdktfJsonSchema(), null, 2)}\n`;
