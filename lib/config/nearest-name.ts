import { closest, distance } from 'fastest-levenshtein';

/** " (did you mean X?)" when one known name is close to a misspelled one, else the list of known names. */
export function suggestion(name: string, known: readonly string[], quote = (s: string) => `"${s}"`): string {
  const best = closest(name, known as string[]);
  return distance(name.toLowerCase(), best.toLowerCase()) <= Math.max(2, Math.floor(best.length / 4))
    ? `; did you mean ${quote(best)}?`
    : `; the settings are ${known.map(quote).join(', ')}`;
}
