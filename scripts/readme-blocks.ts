/** Replaces what stands between `<!-- NAME -->` and `<!-- /NAME -->` in a page of the docs (README.md, docs/*.md) with `body`. */
export function withBlock(text: string, name: string, body: string): string {
  const start = `<!-- ${name} -->`;
  const end = `<!-- /${name} -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`no ${start} ... ${end} markers`);
  return `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`;
}
