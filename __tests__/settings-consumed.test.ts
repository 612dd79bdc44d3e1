import { settingsGroups } from '../lib/config/config';
import { variableOf } from '../lib/config/settings';
import { synthesize } from './support/synth';

/**
 * Each setting set from its default to its own example (its definition's `example`, with the
 * settings it needs beside it) must change the synthesized stack: a setting defined but read by
 * no construct leaves the stack as it was, and fails here.
 */

/** Settings as WORKFLOWS_* variables, the way a deploy passes them. */
const asVariables = (settings: Readonly<Record<string, unknown>>) =>
  Object.fromEntries(Object.entries(settings).map(([name, value]) => [variableOf(name), typeof value === 'string' ? value : JSON.stringify(value)]));
const synthesized = new Map<string, string>();
/** The synthesized stack (cdk.tf.json as Testing.synth writes it) for these settings; each configuration synthesized once. */
function synthOf(settings: Readonly<Record<string, unknown>>): string {
  const key = JSON.stringify(settings);
  if (!synthesized.has(key)) synthesized.set(key, synthesize(asVariables(settings)).text);
  return synthesized.get(key)!;
}

const groups = settingsGroups();
const cases = groups.flatMap(({ group, settings }) => Object.entries(settings).map(([name, setting]) => [group, name, setting] as const));
const perWorkflow = groups.flatMap(({ group, settings, perWorkflow: per }) =>
  per ? Object.entries(per.settings).map(([name, setting]) => [group, per.key, name, setting, settings[per.key]] as const) : [],
);

test.each(cases)('%s: %s reaches the synthesized stack', (_, name, setting) => {
  const { value, with: beside = {} } = setting.example;
  expect(synthOf({ ...beside, [name]: value })).not.toBe(synthOf(beside));
});

test.each(perWorkflow)("%s: %s.<name>.%s reaches the synthesized stack", (_, key, name, setting, entries) => {
  // One workflow as its key's own example configures it, then with this setting's example.
  const [[workflow, entry]] = Object.entries(entries.example.value as Record<string, Record<string, unknown>>);
  expect(synthOf({ [key]: { [workflow]: { ...entry, [name]: setting.example.value } } })).not.toBe(synthOf({ [key]: { [workflow]: entry } }));
});
