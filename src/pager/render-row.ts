import type { DisplayLine } from './display-line';

/** SGR for search matches and for visible forms of control characters. */
export const HIGHLIGHT_SGR = '\x1b[7m';
const RESET = '\x1b[0m';

/** A half-open range [start, end) of DisplayLine.plain. */
export type TextRange = readonly [number, number];

function highlighted(ranges: readonly TextRange[], offset: number): boolean {
  for (const [start, end] of ranges) if (offset >= start && offset < end) return true;
  return false;
}

/**
 * The escape-sequence string drawing `line` in `width` columns from column `left` (pure): wide
 * characters cut by an edge become spaces; a `>` at the right edge marks text beyond it. Ends with the
 * attributes reset; never writes more than `width` columns.
 */
export function renderRow(line: DisplayLine, left: number, width: number, ranges: readonly TextRange[]): string {
  if (width <= 0) return '';
  const cut = line.width - left > width;
  const room = cut ? width - 1 : width;
  let out = '';
  let current = '';
  let column = 0;
  let used = 0;
  for (const cell of line.cells) {
    const start = column;
    column += cell.width;
    if (column <= left) continue;
    if (start - left >= room) break;
    const style = cell.style + (cell.special || highlighted(ranges, cell.offset) ? HIGHLIGHT_SGR : '');
    if (style !== current) {
      out += RESET + style;
      current = style;
    }
    const fits = start >= left && start - left + cell.width <= room;
    const text = fits ? cell.text : ' '.repeat(Math.min(column, left + room) - Math.max(start, left));
    out += text;
    used += fits ? cell.width : text.length;
  }
  if (current !== '') out += RESET;
  if (cut) out += ' '.repeat(Math.max(0, room - used)) + HIGHLIGHT_SGR + '>' + RESET;
  return out;
}

// eslint-disable-next-line no-control-regex -- printable ASCII only
const PLAIN_ASCII = /^[\x20-\x7e]*$/;

/** Whether `raw` is printable ASCII only: one column per character, nothing to interpret. */
export function isPlainAscii(raw: string): boolean {
  return PLAIN_ASCII.test(raw);
}

/**
 * renderRow for a printable-ASCII line (see isPlainAscii), without building cells: the common case of
 * log lines, and the one the first screen must not wait for (pure; `ranges` index `raw`).
 */
export function renderPlainRow(raw: string, left: number, width: number, ranges: readonly TextRange[]): string {
  if (width <= 0) return '';
  const cut = raw.length - left > width;
  const end = cut ? left + width - 1 : Math.min(raw.length, left + width);
  const start = Math.min(left, end);
  let out = '';
  let at = start;
  for (const [from, to] of ranges) {
    const a = Math.max(from, at);
    const b = Math.min(to, end);
    if (a >= b) continue;
    out += raw.slice(at, a) + RESET + HIGHLIGHT_SGR + raw.slice(a, b) + RESET;
    at = b;
  }
  out += raw.slice(at, end);
  return cut ? `${out}${HIGHLIGHT_SGR}>${RESET}` : out;
}
