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

// eslint-disable-next-line no-control-regex -- printable ASCII and SGR colour sequences only
const SGR_ASCII = /^(?:[\x20-\x7e]|\x1b\[[0-9;]*m)*$/;
// eslint-disable-next-line no-control-regex -- SGR colour sequences
const SGR_ALL = /\x1b\[[0-9;]*m/g;

/**
 * A printable-ASCII line with SGR colours (dmesg's, journalctl's, Core's) drawn whole from column 0
 * without building cells, or undefined when it needs renderRow (other escapes or controls, wider than
 * `width`, more than four colours stacked without a reset). On screen it is what renderRow draws: the
 * same characters in the same colours; colours are passed as they are (`color`) or left out.
 */
export function renderColouredAsciiRow(raw: string, width: number, color: boolean): string | undefined {
  if (!SGR_ASCII.test(raw)) return undefined;
  let shown = raw.length;
  // renderRow keeps the last four colour sequences since a reset (see nextStyle in display-line.ts).
  let stacked = 0;
  let most = 0;
  for (const match of raw.matchAll(SGR_ALL)) {
    const sequence = match[0];
    shown -= sequence.length;
    const params = sequence.slice(2, -1);
    const first = params.split(';')[0] ?? '';
    stacked = first === '' || first === '0' ? (params === '' || params === '0' ? 0 : 1) : stacked + 1;
    if (stacked > most) most = stacked;
  }
  if (shown > width || most > 4) return undefined;
  if (!color) return raw.replace(SGR_ALL, '');
  return shown === raw.length ? raw : raw + RESET;
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
