/**
 * The journal Range header (`entries=CURSOR[[:NUM_SKIP]:NUM_ENTRIES]`) with systemd-journal-gatewayd's
 * meaning: no cursor and skip >= 0 starts at the OLDEST entry (so `entries=:0:` is everything);
 * skip < 0 starts |skip|+1 entries before the end (`entries=:-4:` = last 5). Pure.
 */

/** A parsed Range header. */
export interface LogRange {
  readonly cursor: string | undefined;
  readonly skip: number;
  /** undefined = up to the end. */
  readonly count: number | undefined;
}

/** Parses a Range header; undefined when it is not valid (the route answers 400). */
export function parseLogRange(header: string): LogRange | undefined {
  const match = /^entries=(.*)$/.exec(header.trim());
  if (!match) return undefined;
  const parts = (match[1] ?? '').split(':');
  if (parts.length > 3) return undefined;
  const cursor = (parts[0] ?? '').trim();
  const skipText = parts.length === 3 ? (parts[1] ?? '') : '';
  const countText = parts.length >= 2 ? (parts[parts.length - 1] ?? '') : '';
  if (skipText !== '' && !/^[-+]?\d+$/.test(skipText)) return undefined;
  if (countText !== '' && !/^\d+$/.test(countText)) return undefined;
  const count = countText === '' ? undefined : Number(countText);
  if (count === 0) return undefined;
  return { cursor: cursor === '' ? undefined : cursor, skip: skipText === '' ? 0 : Number(skipText) + 0, count };
}

/** The range of `?lines=N` (the Supervisor turns it into `entries=:-(N-1):N`; at least 2). */
export function rangeFromLines(lines: number): LogRange {
  const n = Math.max(2, lines);
  return { cursor: undefined, skip: -(n - 1), count: n };
}

/** Entries a log request gets without Range or lines (supervisor/api/host.py:88 DEFAULT_LINES). */
export const DEFAULT_LINES = 100;

/** The default range: last 100 entries. */
export const DEFAULT_RANGE: LogRange = rangeFromLines(DEFAULT_LINES);

/**
 * Indices [start, end) of the entries a range selects among `total`; `cursorIndex` is the position
 * of the range's cursor (undefined when none). Follow streams use `end` only for the history part.
 */
export function selectRange(range: LogRange, total: number, cursorIndex: number | undefined): { start: number; end: number } {
  let start: number;
  if (cursorIndex !== undefined) start = cursorIndex + range.skip;
  else if (range.skip >= 0) start = range.skip;
  else start = total + range.skip - 1;
  start = Math.min(Math.max(start, 0), total);
  const end = range.count === undefined ? total : Math.min(total, start + range.count);
  return { start, end };
}
