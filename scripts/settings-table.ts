import { settingsGroups } from '../lib/config/config';
import { variableOf, type Setting } from '../lib/config/settings';

const code = (text: string) => `\`${text}\``;
const cell = (text: string) => text.replace(/\|/g, '\\|');

function defaultOf(setting: Setting): string {
  return setting.defaultText ?? code(JSON.stringify(setting.default));
}

const row = (key: string, variable: string, setting: Setting) => `| ${key} | ${variable} | ${cell(defaultOf(setting))} | ${cell(setting.rule)} | ${cell(setting.description)} |`;

/** The docs' groups of settings, each a `<!-- settings:GROUP -->` table: `all`, each kind's (from the registry), `state`. */
export const SETTINGS_GROUPS: readonly string[] = settingsGroups().map(({ group }) => group);

/**
 * The docs' table of one group's settings (in docs/settings.md today), written from their
 * definitions. A kind's per-workflow keys (a task's) follow its own: they are set under each
 * workflow's name, in the context or the key's variable (WORKFLOWS_TASKS).
 */
export function settingsTable(group: string): string {
  const found = settingsGroups().find((candidate) => candidate.group === group);
  if (!found) throw new Error(`no settings group ${group}: the groups are ${SETTINGS_GROUPS.join(', ')}`);
  const rows = Object.entries(found.settings).map(([name, setting]) => row(code(name), code(variableOf(name)), setting));
  const per = found.perWorkflow;
  const perWorkflow = per ? Object.entries(per.settings).map(([name, setting]) => row(code(`${per.key}.<${per.key.replace(/s$/, '')}>.${name}`), `in ${code(variableOf(per.key))}`, setting)) : [];
  return ['| context key | environment variable | default | a value must be | what it does |', '|---|---|---|---|---|', ...rows, ...perWorkflow].join('\n');
}
