/** Turns an ASL definition into a Mermaid flowchart: states, transitions, Choice conditions, Retry and Catch edges, Fail states marked. */

type Rule = Record<string, unknown> & { Next?: string; Not?: Rule; And?: Rule[]; Or?: Rule[]; Variable?: string };
type State = Record<string, unknown> & {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: Rule[];
  Retry?: { ErrorEquals: string[]; MaxAttempts?: number }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
};
export interface Definition {
  StartAt: string;
  States: Record<string, State>;
}

const COMPARISONS: Record<string, string> = {
  StringEquals: '==',
  NumericEquals: '==',
  BooleanEquals: '==',
  TimestampEquals: '==',
  NumericGreaterThan: '>',
  NumericGreaterThanEquals: '>=',
  NumericLessThan: '<',
  NumericLessThanEquals: '<=',
  StringMatches: 'matches',
};
const TESTS: Record<string, string> = { IsPresent: 'is present', IsNumeric: 'is numeric', IsString: 'is a string', IsBoolean: 'is a boolean', IsNull: 'is null' };

/** A `${Name}` the renderer fills at synth: shown as the name, not as a quoted string. */
const isPlaceholder = (value: unknown) => typeof value === 'string' && /^\$\{[A-Za-z0-9]+\}$/.test(value);

export function describeRule(rule: Rule): string {
  if (rule.Not) return `not ${describeRule(rule.Not)}`;
  if (rule.And) return rule.And.map(describeRule).join(' and ');
  if (rule.Or) return rule.Or.map(describeRule).join(' or ');
  for (const [key, value] of Object.entries(rule)) {
    if (key in TESTS) return `${rule.Variable} ${value === false ? TESTS[key].replace(/^is /, 'is not ') : TESTS[key]}`;
    const operator = key.replace(/Path$/, '');
    if (operator in COMPARISONS) return `${rule.Variable} ${COMPARISONS[operator]} ${key.endsWith('Path') || isPlaceholder(value) ? value : JSON.stringify(value)}`;
  }
  throw new Error(`cannot describe the Choice rule ${JSON.stringify(rule)}`);
}

const id = (name: string) => name.replace(/[^A-Za-z0-9_]/g, '_');
const label = (text: string) => `"${text.replace(/"/g, '#quot;')}"`;

function node(name: string, state: State): string {
  const text = label(name);
  switch (state.Type) {
    case 'Choice':
      return `${id(name)}{${text}}`;
    case 'Task':
      return `${id(name)}[${text}]`;
    case 'Wait':
      return `${id(name)}[/${text}/]`;
    case 'Fail':
    case 'Succeed':
      return `${id(name)}([${text}])`;
    default:
      return `${id(name)}(${text})`;
  }
}

export function aslToMermaid(definition: Definition): string {
  const lines = ['flowchart TD', `  start((start)) --> ${id(definition.StartAt)}`];
  const failStates: string[] = [];
  const retryNodes: string[] = [];
  for (const [name, state] of Object.entries(definition.States)) {
    lines.push(`  ${node(name, state)}`);
    if (state.Next) lines.push(`  ${id(name)} --> ${id(state.Next)}`);
    for (const rule of state.Choices ?? []) lines.push(`  ${id(name)} -->|${label(describeRule(rule))}| ${id(rule.Next!)}`);
    if (state.Default) lines.push(`  ${id(name)} -->|default| ${id(state.Default)}`);
    // The retry policy is a node of its own: a self-loop's label gets no room in the layout and
    // covers its neighbours.
    const retries = (state.Retry ?? []).map((retrier) => `${retrier.MaxAttempts === 0 ? 'not retried' : `${retrier.MaxAttempts ?? 3}x`}: ${retrier.ErrorEquals.join(', ')}`);
    if (retries.length > 0) {
      lines.push(`  ${id(name)} -.-|retry| ${id(name)}_retry>${label(retries.join('<br/>'))}]`);
      retryNodes.push(`${id(name)}_retry`);
    }
    for (const catcher of state.Catch ?? []) lines.push(`  ${id(name)} -.->|${label(`catch ${catcher.ErrorEquals.join(', ')}`)}| ${id(catcher.Next)}`);
    if (state.End || state.Type === 'Succeed') lines.push(`  ${id(name)} --> finish((end))`);
    if (state.Type === 'Fail') failStates.push(id(name));
  }
  lines.push('  classDef fail fill:#fde2e2,stroke:#c62828,color:#7f0000');
  lines.push('  classDef retry fill:#f5f5f5,stroke:#9e9e9e,color:#424242,font-size:11px');
  if (failStates.length > 0) lines.push(`  class ${failStates.join(',')} fail`);
  if (retryNodes.length > 0) lines.push(`  class ${retryNodes.join(',')} retry`);
  return lines.join('\n');
}
