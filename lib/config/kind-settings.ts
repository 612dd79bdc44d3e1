import type { SettingsTable, SharedConfig, ValuesOf } from './settings';

/**
 * What the configuration layer asks of a kind (through its descriptor's `settings`), so that it
 * never names one: the kind's settings, how its part of a stack's configuration is made from
 * them, the workflows that part asks for, and the rules its settings keep together.
 */
export interface KindSettings<Table extends SettingsTable = SettingsTable, Own = unknown> {
  /** The kind's top-level settings, each a cdktf.json context key and a `WORKFLOWS_*` variable; listed in the docs under the kind's name. */
  readonly settings: Table;
  /** Settings set per workflow under one of `settings`' keys (`tasks.<task>.<key>`), listed in the docs as such. */
  readonly perWorkflow?: { readonly key: keyof Table & string; readonly settings: SettingsTable };
  /** Settings the kind had and replaced, by name: what to do instead, as a configuration that still names one is told. */
  readonly replaced?: Readonly<Record<string, string>>;
  /** Workflow ids the kind's workflows always take: no configured workflow may take one. */
  readonly fixedIds?: readonly string[];
  /** The kind's part of the stack's configuration, from its settings as read (a problem found on the way is one of `reading.problems`). */
  resolve(reading: Reading<Table>): Own;
  /** The workflows `own` asks for: the rules every workflow keeps (an id of its own across kinds, a name short enough) are checked on these. */
  workflows(own: Own, reading: Reading<Table>): readonly ConfiguredWorkflow[];
  /** Why settings that each passed their own check do not go together, one line each. */
  crossChecks?(own: Own, reading: Reading<Table>): readonly string[];
}

/** A workflow the configuration asks for: its id, and where it was configured, as messages name it. */
export interface ConfiguredWorkflow {
  readonly id: string;
  readonly at: string;
}

/** A kind's settings as read, and what its resolver may use to read more. */
export interface Reading<Table extends SettingsTable> {
  readonly values: ValuesOf<Table>;
  /** Where each value came from: `WORKFLOWS_REGION`, `cdktf.json context "region"`, `the default region`. */
  readonly origins: { readonly [K in keyof Table]: string };
  readonly shared: SharedConfig;
  readonly sharedOrigins: { readonly [K in keyof SharedConfig]: string };
  /** Problems found while resolving, one line each. */
  readonly problems: string[];
  /**
   * Where one entry of a map setting came from (`entryOrigin('jobs', 'reindex')`): inside the
   * setting's origin, or, where an environment's block merged its keys into the shared value, inside the place that gave that key.
   */
  entryOrigin(key: keyof Table & string, name: string): string;
  /**
   * The entries under `key` (`jobs`, `tasks`) by name: each name checked as a workflow id (a
   * `noun` name), each entry's keys read with `table`'s checks; a key an entry leaves out takes
   * `fallback`'s value, and a required one missing is a problem.
   */
  entries<Entry extends SettingsTable>(key: keyof Table & string, noun: string, table: Entry, fallback: (key: keyof Entry & string) => unknown): Record<string, ValuesOf<Entry>>;
}

/** Where a value inside a structured setting came from: `cdktf.json context "jobs.reindex.workEntry"`, `WORKFLOWS_JOBS.reindex.workEntry`. */
export const inside = (origin: string, at: string) => (origin.endsWith('"') ? `${origin.slice(0, -1)}.${at}"` : `${origin}.${at}`);

/** A value as messages name it: where it came from, and what it is. */
export const said = (origin: string, value: unknown) => `${origin} = ${JSON.stringify(value)}`;
