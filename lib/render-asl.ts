/** Values a template may name: strings go in as text, numbers replace a whole `"${Name}"` string. */
export type AslValues = Readonly<Record<string, string | number>>;

const PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9]*)\}/g;
const WHOLE_PLACEHOLDER = /^\$\{([A-Za-z][A-Za-z0-9]*)\}$/;

export class AslTemplateError extends Error {
  constructor(templateName: string, message: string) {
    super(`ASL template ${templateName}: ${message}`);
    this.name = 'AslTemplateError';
  }
}

/**
 * Fills the `${Name}` placeholders of an ASL template and returns the definition as JSON text.
 * Every placeholder must have a value and every value must be used, so a renamed placeholder
 * or a stale value fails synth instead of shipping a broken definition. Anything else that
 * Terraform would read as an interpolation (`${`, `%{`) is refused for the same reason.
 */
export function renderAsl(templateName: string, templateText: string, values: AslValues): string {
  let template: unknown;
  try {
    template = JSON.parse(templateText);
  } catch (error) {
    throw new AslTemplateError(templateName, `is not valid JSON (${(error as Error).message})`);
  }
  const used = new Set<string>();
  const lookup = (name: string): string | number => {
    if (!Object.prototype.hasOwnProperty.call(values, name)) {
      throw new AslTemplateError(templateName, `placeholder \${${name}} has no value (known: ${Object.keys(values).sort().join(', ')})`);
    }
    used.add(name);
    return values[name];
  };
  const fill = (text: string): string | number => {
    const whole = WHOLE_PLACEHOLDER.exec(text);
    if (whole) return lookup(whole[1]);
    const filled = text.replace(PLACEHOLDER, (_, name: string) => String(lookup(name)));
    const leftover = text.replace(PLACEHOLDER, '');
    if (leftover.includes('${') || leftover.includes('%{')) {
      throw new AslTemplateError(templateName, `"${text}" holds an interpolation that is not a \${Name} placeholder`);
    }
    return filled;
  };
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return fill(node);
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [fill(key), walk(value)]));
    }
    return node;
  };
  const definition = walk(template);
  const unused = Object.keys(values).filter((name) => !used.has(name));
  if (unused.length > 0) {
    throw new AslTemplateError(templateName, `values never used by a placeholder: ${unused.sort().join(', ')}`);
  }
  return JSON.stringify(definition);
}
