import { SETTINGS, TASK_SETTINGS, variableOf, type Setting, type SettingGroup } from '../lib/config/settings';

export type SettingsGroup = SettingGroup;

const code = (text: string) => `\`${text}\``;
const cell = (text: string) => text.replace(/\|/g, '\\|');

function defaultOf(setting: Setting): string {
  return setting.defaultText ?? code(JSON.stringify(setting.default));
}

const row = (key: string, variable: string, setting: Setting) =>
  `| ${key} | ${variable} | ${cell(defaultOf(setting))} | ${cell(setting.rule)} | ${cell(setting.description)} |`;

/**
 * The docs' table of one group's settings (in docs/settings.md today), written from their
 * definitions. A task's own keys follow the `tasks` row: they are set under each task's name, in
 * the context or WORKFLOWS_TASKS.
 */
export function settingsTable(group: SettingsGroup): string {
  const rows = Object.entries<Setting>(SETTINGS)
    .filter(([, setting]) => setting.group === group)
    .map(([name, setting]) => row(code(name), code(variableOf(name)), setting));
  const perTask = group === 'task' ? Object.entries<Setting>(TASK_SETTINGS).map(([name, setting]) => row(code(`tasks.<task>.${name}`), `in ${code(variableOf('tasks'))}`, setting)) : [];
  return ['| context key | environment variable | default | a value must be | what it does |', '|---|---|---|---|---|', ...rows, ...perTask].join('\n');
}
