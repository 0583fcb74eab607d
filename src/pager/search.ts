import type { TextRange } from './render-row';

/** How the viewer searches: a literal text, case-insensitive unless it has a capital letter (smart case). */
export interface Matcher {
  readonly pattern: string;
  /** Whether `text` contains the pattern. */
  test(text: string): boolean;
  /** Every occurrence of the pattern in `text`, as ranges. */
  ranges(text: string): TextRange[];
}

// eslint-disable-next-line no-control-regex -- removes ANSI escape sequences before matching
const ESCAPES = /\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-_])/g;

/** The text of a raw line as searched (escape sequences removed). */
export function searchText(raw: string): string {
  return raw.includes('\x1b') ? raw.replace(ESCAPES, '') : raw;
}

/** A smart-case literal matcher for `pattern` (pure; an empty pattern matches nothing). */
export function createMatcher(pattern: string): Matcher {
  const fold = pattern === pattern.toLowerCase();
  const needle = fold ? pattern.toLowerCase() : pattern;
  const prepare = (text: string): string => (fold ? text.toLowerCase() : text);
  return {
    pattern,
    test: (text) => needle !== '' && prepare(text).includes(needle),
    ranges: (text) => {
      const found: TextRange[] = [];
      if (needle === '') return found;
      const haystack = prepare(text);
      for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) found.push([at, at + needle.length]);
      return found;
    },
  };
}

/** Lines to search: a count and a way to read line `index`. */
export interface Searchable {
  count(): number;
  line(index: number): string;
}

/**
 * The first line index matching `matcher` from `from` going `direction` (+1 forward, -1 back),
 * `from` included; -1 when none (pure, no wrapping).
 */
export function findLine(lines: Searchable, matcher: Matcher, from: number, direction: 1 | -1): number {
  const count = lines.count();
  for (let i = from; i >= 0 && i < count; i += direction) if (matcher.test(searchText(lines.line(i)))) return i;
  return -1;
}
