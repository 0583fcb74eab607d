import { CASEFOLD_MULTI, CASEFOLD_RUNS, PYTHON_WHITESPACE } from './casefold-table';

let singleMap: Map<number, number> | undefined;
let multiMap: Map<number, string> | undefined;
const whitespace = new Set(PYTHON_WHITESPACE);

function tables(): { single: Map<number, number>; multi: Map<number, string> } {
  if (singleMap === undefined || multiMap === undefined) {
    singleMap = new Map();
    for (let i = 0; i + 3 < CASEFOLD_RUNS.length; i += 4) {
      const [start = 0, count = 0, step = 0, delta = 0] = CASEFOLD_RUNS.slice(i, i + 4);
      for (let k = 0; k < count; k++) singleMap.set(start + k * step, start + k * step + delta);
    }
    multiMap = new Map();
    for (let i = 0; i < CASEFOLD_MULTI.length; ) {
      const cp = CASEFOLD_MULTI[i] ?? 0;
      const length = CASEFOLD_MULTI[i + 1] ?? 0;
      multiMap.set(cp, String.fromCodePoint(...CASEFOLD_MULTI.slice(i + 2, i + 2 + length)));
      i += 2 + length;
    }
  }
  return { single: singleMap, multi: multiMap };
}

/** Python's `str.casefold()`: full Unicode case folding (`Straße` → `strasse`, `ﬁ` → `fi`, `ς` → `σ`). */
export function casefold(text: string): string {
  const { single, multi } = tables();
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const many = multi.get(cp);
    if (many !== undefined) out += many;
    else {
      const one = single.get(cp);
      out += one === undefined ? ch : String.fromCodePoint(one);
    }
  }
  return out;
}

/** Python's `str.strip()` with no argument (Unicode whitespace as `str.isspace()` defines it). */
export function pythonStrip(text: string): string {
  const cps = Array.from(text);
  let start = 0;
  let end = cps.length;
  while (start < end && whitespace.has(cps[start]?.codePointAt(0) ?? -1)) start++;
  while (end > start && whitespace.has(cps[end - 1]?.codePointAt(0) ?? -1)) end--;
  return cps.slice(start, end).join('');
}

/** Username normalization of Home Assistant Core >= 2026.7: `strip()` then `casefold()`. */
export function normalizeUsername(username: string): string {
  return casefold(pythonStrip(username));
}

/**
 * Stored usernames matching `wanted`: exact matches when there are any (what Core before 2026.7 does),
 * else matches after normalizing both sides (what newer Core does). Indexes into `stored`.
 */
export function matchUsernames(stored: readonly string[], wanted: string): number[] {
  const exact = stored.flatMap((name, i) => (name === wanted ? [i] : []));
  if (exact.length > 0) return exact;
  const target = normalizeUsername(wanted);
  return stored.flatMap((name, i) => (normalizeUsername(name) === target ? [i] : []));
}
