import { charWidth } from './char-width';

/** Columns between tab stops. */
export const TAB_WIDTH = 8;
/** SGR sequences remembered per cell at most (older ones are dropped; a reset clears them). */
const MAX_SGR_PER_STYLE = 4;

/** One screen cell of a line: its text (a character plus combining marks, or a `^X` form), width and colours. */
export interface Cell {
  text: string;
  readonly width: number;
  /** SGR sequences in force (empty when colours are off). */
  readonly style: string;
  /** A control character or stray byte shown in a visible form. */
  readonly special: boolean;
  /** Index of this cell's text in DisplayLine.plain. */
  readonly offset: number;
}

/** A log line made safe to draw: only SGR colours survive; other escapes are removed; controls become visible. */
export interface DisplayLine {
  readonly cells: readonly Cell[];
  /** The text of all cells joined (what search highlighting matches against). */
  readonly plain: string;
  /** Total columns. */
  readonly width: number;
}

/** Controls shown in a visible form: C0, DEL, C1, and bidi overrides and isolates (they reorder what follows). */
function isShownAsControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code < 0xa0) || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
}

function controlForm(code: number): string {
  if (code === 0x7f) return '^?';
  if (code < 0x20) return `^${String.fromCharCode(code + 64)}`;
  return `<${code.toString(16).padStart(2, '0')}>`;
}

/** Index just past the escape sequence starting at `start` (an ESC); `sgr` gets the parameters of an SGR. */
function skipEscape(raw: string, start: number, sgr: { params: string | undefined }): number {
  sgr.params = undefined;
  const kind = raw[start + 1];
  if (kind === undefined) return start + 1;
  if (kind === '[') {
    let i = start + 2;
    while (i < raw.length && raw.charCodeAt(i) >= 0x20 && raw.charCodeAt(i) <= 0x3f) i++;
    const final = raw.charCodeAt(i);
    if (final >= 0x40 && final <= 0x7e) {
      const params = raw.slice(start + 2, i);
      if (final === 0x6d && /^[0-9;]*$/.test(params)) sgr.params = params;
      return i + 1;
    }
    return i;
  }
  if (kind === ']' || kind === 'P' || kind === 'X' || kind === '^' || kind === '_') {
    for (let i = start + 2; i < raw.length; i++) {
      if (raw[i] === '\x07') return i + 1;
      if (raw[i] === '\x1b') return raw[i + 1] === '\\' ? i + 2 : i;
    }
    return raw.length;
  }
  return start + 2;
}

function nextStyle(style: string, params: string): string {
  const first = params.split(';')[0] ?? '';
  if (first === '' || first === '0') return params === '' || params === '0' ? '' : `\x1b[${params}m`;
  const parts = style.split('\x1b[').filter((p) => p !== '');
  parts.push(`${params}m`);
  return parts.slice(-MAX_SGR_PER_STYLE).map((p) => `\x1b[${p}`).join('');
}

/** Turns a raw log line into cells (pure); `color` false drops all colours. */
export function toDisplayLine(raw: string, color: boolean): DisplayLine {
  const cells: Cell[] = [];
  let plain = '';
  let width = 0;
  let style = '';
  const sgr: { params: string | undefined } = { params: undefined };
  const add = (text: string, cellWidth: number, special: boolean): void => {
    cells.push({ text, width: cellWidth, style, special, offset: plain.length });
    plain += text;
    width += cellWidth;
  };
  let i = 0;
  while (i < raw.length) {
    const code = raw.codePointAt(i) ?? 0;
    const length = code > 0xffff ? 2 : 1;
    if (code === 0x1b) {
      i = skipEscape(raw, i, sgr);
      if (sgr.params !== undefined && color) style = nextStyle(style, sgr.params);
      continue;
    }
    if (code === 0x09) {
      const spaces = TAB_WIDTH - (width % TAB_WIDTH);
      for (let k = 0; k < spaces; k++) add(' ', 1, false);
    } else if (isShownAsControl(code)) {
      const text = controlForm(code);
      add(text, text.length, true);
    } else {
      const w = charWidth(code);
      const text = raw.slice(i, i + length);
      const last = cells[cells.length - 1];
      if (w === 0 && last !== undefined && !last.special) {
        last.text += text;
        plain += text;
      } else if (w > 0) add(text, w, false);
    }
    i += length;
  }
  return { cells, plain, width };
}
