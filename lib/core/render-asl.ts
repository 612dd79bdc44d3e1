/** Values a template may name: strings go in as text; numbers, lists and objects replace a whole `"${Name}"` string. */
export type AslValue = string | number | readonly string[] | Readonly<Record<string, unknown>>;
export type AslValues = Readonly<Record<string, AslValue>>;

const PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9]*)\}/g;
const WHOLE_PLACEHOLDER = /^\$\{([A-Za-z][A-Za-z0-9]*)\}$/;

export class AslTemplateError extends Error {
  constructor(templateName: string, message: string) {
    super(`ASL template ${templateName}: ${message}`);
    this.name = 'AslTemplateError';
  }
}

export interface AslTemplate {
  /** For messages: the file name. */
  readonly name: string;
  readonly text: string;
}

/** The `${Name}` placeholders a template uses. */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1]))];
}

/**
 * Fills the `${Name}` placeholders of one or more ASL templates and returns the definition as
 * JSON text; the `States` of each later template are added to the first's (a fragment such as
 * a restart path). A fragment replaces a state of the first in its place only where it lists
 * the state's name in `Replaces` (the Express loop's Work), so a name repeated by mistake still
 * fails. Every placeholder must have a value and every value in `values` must be
 * used, so a renamed placeholder or a stale value fails synth instead of shipping a broken
 * definition; `shared` values (partition, retry policies) may go unused. Anything else
 * Terraform would read as an interpolation (`${`, `%{`) is refused for the same reason.
 */
export function renderAsl(templates: readonly AslTemplate[], values: AslValues, shared: AslValues = {}): string {
  const name = templates.map((template) => template.name).join(' + ');
  const all = { ...shared, ...values };
  const used = new Set<string>();
  const lookup = (placeholder: string): AslValue => {
    if (!Object.prototype.hasOwnProperty.call(all, placeholder)) {
      throw new AslTemplateError(name, `placeholder \${${placeholder}} has no value (known: ${Object.keys(all).sort().join(', ')})`);
    }
    used.add(placeholder);
    return all[placeholder];
  };
  const fill = (text: string): AslValue => {
    const whole = WHOLE_PLACEHOLDER.exec(text);
    if (whole) return lookup(whole[1]);
    const filled = text.replace(PLACEHOLDER, (_, placeholder: string) => {
      const value = lookup(placeholder);
      if (typeof value === 'object') throw new AslTemplateError(name, `placeholder \${${placeholder}} holds an object and must stand alone, not inside "${text}"`);
      return String(value);
    });
    const leftover = text.replace(PLACEHOLDER, '');
    if (leftover.includes('${') || leftover.includes('%{')) {
      throw new AslTemplateError(name, `"${text}" holds an interpolation that is not a \${Name} placeholder`);
    }
    return filled;
  };
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return fill(node);
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [fill(key) as string, walk(value)]));
    }
    return node;
  };

  const [base, ...fragments] = templates.map((template) => {
    try {
      return { template, json: JSON.parse(template.text) as { States: Record<string, unknown>; Replaces?: string[] } };
    } catch (error) {
      throw new AslTemplateError(template.name, `is not valid JSON (${(error as Error).message})`);
    }
  });
  for (const fragment of fragments) {
    const replaces = fragment.json.Replaces ?? [];
    for (const stateName of replaces) {
      if (!(stateName in base.json.States)) throw new AslTemplateError(name, `${fragment.template.name} replaces state ${stateName}, which ${base.template.name} does not have`);
      if (!(stateName in (fragment.json.States ?? {}))) throw new AslTemplateError(name, `${fragment.template.name} replaces state ${stateName} but does not define it`);
    }
    for (const [stateName, state] of Object.entries(fragment.json.States ?? {})) {
      if (stateName in base.json.States && !replaces.includes(stateName)) throw new AslTemplateError(name, `${fragment.template.name} defines state ${stateName} again`);
      base.json.States[stateName] = state;
    }
  }
  const definition = walk(base.json);
  const unused = Object.keys(values).filter((placeholder) => !used.has(placeholder));
  if (unused.length > 0) {
    throw new AslTemplateError(name, `values never used by a placeholder: ${unused.sort().join(', ')}`);
  }
  return JSON.stringify(definition);
}
