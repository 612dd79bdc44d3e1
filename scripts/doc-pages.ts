import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The project's root, where README.md is. */
export const ROOT = path.join(__dirname, '..');

/** The documentation: README.md and every page of docs/, as paths from the root (`docs/jobs.md`). */
export function docPages(root = ROOT): string[] {
  const docs = path.join(root, 'docs');
  const pages = existsSync(docs) ? readdirSync(docs).filter((name) => name.endsWith('.md')).sort().map((name) => `docs/${name}`) : [];
  return ['README.md', ...pages];
}

/** Each page's text, by its path from the root. */
export function readDocPages(root = ROOT): Map<string, string> {
  return new Map(docPages(root).map((page) => [page, readFileSync(path.join(root, page), 'utf8')]));
}

/**
 * The one page holding `<!-- NAME -->`, and its text. A block lives in exactly one file: none,
 * or more than one, is an error naming them.
 */
export function pageWithBlock(pages: ReadonlyMap<string, string>, name: string): [page: string, text: string] {
  const marker = `<!-- ${name} -->`;
  const holding = [...pages].filter(([, text]) => text.includes(marker));
  if (holding.length === 0) throw new Error(`no page of ${[...pages.keys()].join(', ')} has a ${marker} block`);
  if (holding.length > 1) throw new Error(`${marker} is in ${holding.map(([page]) => page).join(' and ')}: a block lives in exactly one file`);
  return holding[0];
}

/**
 * The anchor GitHub gives a heading: its text as rendered (links as their text, no `*` emphasis,
 * no code marks), lower-cased, without punctuation but hyphens and underscores, spaces as hyphens;
 * a repeated one gets `-1`, `-2`, ... in order.
 */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const opening = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (opening && (!fence || (opening[0] === fence[0] && opening.length >= fence.length))) {
      fence = fence ? undefined : opening;
      continue;
    }
    if (fence) continue;
    const heading = /^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const text = heading
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]+>/g, '')
      .replace(/\*+/g, '')
      .toLowerCase();
    const base = text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** A relative markdown link of a page: `[text](target)` outside code, not to a URL. */
export interface DocLink {
  readonly page: string;
  readonly line: number;
  readonly target: string;
}

/** Each page's relative links, outside fenced code blocks and code spans. */
export function relativeLinks(pages: ReadonlyMap<string, string>): DocLink[] {
  const links: DocLink[] = [];
  for (const [page, text] of pages) {
    let fence: string | undefined;
    text.split('\n').forEach((line, index) => {
      const opening = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
      if (opening && (!fence || (opening[0] === fence[0] && opening.length >= fence.length))) {
        fence = fence ? undefined : opening;
        return;
      }
      if (fence) return;
      for (const [, target] of line.replace(/`[^`]*`/g, '').matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
        if (!/^[a-z][a-z0-9+.-]*:/i.test(target)) links.push({ page, line: index + 1, target });
      }
    });
  }
  return links;
}

/**
 * What is wrong with each relative link of the pages, as `page:line: target: problem`: a file
 * that does not exist (or lies outside the project), an anchor no heading of its page has, an
 * anchor on a file that is not markdown.
 */
export function brokenLinks(pages: ReadonlyMap<string, string>, root = ROOT): string[] {
  const anchorsOf = new Map<string, Set<string>>();
  const anchors = (file: string) => {
    if (!anchorsOf.has(file)) anchorsOf.set(file, headingAnchors(pages.get(file) ?? readFileSync(path.join(root, file), 'utf8')));
    return anchorsOf.get(file)!;
  };
  return relativeLinks(pages).flatMap(({ page, line, target }) => {
    const [file, anchor] = target.split('#', 2) as [string, string | undefined];
    const resolved = file === '' ? page : path.posix.normalize(path.posix.join(path.posix.dirname(page), decodeURIComponent(file)));
    const where = `${page}:${line}: ${target}`;
    if (resolved.startsWith('../') || path.posix.isAbsolute(resolved)) return [`${where}: outside the project`];
    if (!pages.has(resolved) && !existsSync(path.join(root, resolved))) return [`${where}: no such file`];
    if (anchor === undefined) return [];
    if (!resolved.endsWith('.md')) return [`${where}: an anchor on a file that is not markdown`];
    return anchors(resolved).has(anchor) ? [] : [`${where}: ${resolved} has no heading #${anchor}`];
  });
}
