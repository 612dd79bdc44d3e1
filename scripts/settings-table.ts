import { SETTINGS, variableOf, type Setting, type SettingGroup, type SettingName } from '../lib/settings';

export type SettingsGroup = SettingGroup;

const code = (text: string) => `\`${text}\``;
const cell = (text: string) => text.replace(/\|/g, '\\|');

function defaultOf(setting: Setting<unknown>): string {
  return setting.defaultText ?? code(JSON.stringify(setting.default));
}

/** The README's table of one group's settings, written from their definitions. */
export function settingsTable(group: SettingsGroup): string {
  const rows = (Object.keys(SETTINGS) as SettingName[])
    .filter((name) => SETTINGS[name].group === group)
    .map((name) => {
      const setting = SETTINGS[name] as Setting<unknown>;
      return `| ${code(name)} | ${code(variableOf(name))} | ${cell(defaultOf(setting))} | ${cell(setting.parser.rule)} | ${cell(setting.description)} |`;
    });
  return ['| context key | environment variable | default | a value must be | what it does |', '|---|---|---|---|---|', ...rows].join('\n');
}
