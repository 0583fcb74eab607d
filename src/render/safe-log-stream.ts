import { Transform } from 'node:stream';

const ESC = 0x1b;
const HEX = '0123456789abcdef';
// The smallest code point a 2-, 3- and 4-byte sequence may hold (anything lower is an overlong form).
const MIN_CODE_POINT = [0x80, 0x800, 0x10000] as const;
// Any byte that is not printable ASCII, tab or newline (the Latin-1 view of the bytes).
// eslint-disable-next-line no-control-regex -- finding control bytes is the point
const SPECIAL_BYTE = /[\x00-\x08\x0b-\x1f\x7f-\xff]/g;

function visibleBytes(prefix: string, code: number, digits: number): Buffer {
  let text = prefix;
  for (let shift = (digits - 1) * 4; shift >= 0; shift -= 4) text += HEX[(code >> shift) & 15] ?? '0';
  return Buffer.from(text, 'latin1');
}

/** Length of the SGR sequence (ESC [ digits ; : m) at `i`, 0 when it is not one, -1 when the chunk ends inside it. */
function sgrLength(bytes: Uint8Array, i: number): number {
  if (i + 1 >= bytes.length) return -1;
  if (bytes[i + 1] !== 0x5b) return 0;
  for (let k = i + 2; k < bytes.length; k++) {
    const b = bytes[k] ?? 0;
    if (b === 0x6d) return k - i + 1;
    if (!((b >= 0x30 && b <= 0x39) || b === 0x3b || b === 0x3a)) return 0;
    if (k - i > 64) return 0;
  }
  return -1;
}

/** Length of the valid UTF-8 sequence at `i` (2-4), 0 when invalid, -1 when the chunk ends inside it. */
function utf8Length(bytes: Uint8Array, i: number): number {
  const lead = bytes[i] ?? 0;
  const length = lead >= 0xf0 && lead <= 0xf4 ? 4 : lead >= 0xe0 ? (lead <= 0xef ? 3 : 0) : lead >= 0xc2 ? 2 : 0;
  for (let k = 1; k < length; k++) {
    if (i + k >= bytes.length) return -1;
    if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return 0;
  }
  return length;
}

/** The code point of the valid sequence at `i` of `length` bytes. */
function codePointAt(bytes: Uint8Array, i: number, length: number): number {
  let code = (bytes[i] ?? 0) & (0xff >> (length + 1));
  for (let k = 1; k < length; k++) code = (code << 6) | ((bytes[i + k] ?? 0) & 0x3f);
  return code;
}

function isUnsafeCodePoint(code: number): boolean {
  return (code >= 0x80 && code <= 0x9f) || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
}

/**
 * Makes log bytes safe for a terminal, the byte-stream form of `safeLogLine`: SGR colours kept (dropped when
 * `color` is false), every other escape and control, C1 and bidi controls, and bytes that are not UTF-8 shown
 * visibly (`\x1b`, `\u202e`). Returns the safe bytes and how many trailing bytes wait for the next chunk.
 */
export function sanitizeLogBytes(bytes: Buffer, color: boolean, final: boolean): { out: Buffer; held: number } {
  const parts: Buffer[] = [];
  let runStart = 0;
  let i = 0;
  const cut = (skip: number, replacement?: Buffer): void => {
    parts.push(bytes.subarray(runStart, i));
    if (replacement) parts.push(replacement);
    i += skip;
    runStart = i;
  };
  // Runs of printable ASCII, tab and newline are skipped by a regular expression over the bytes as Latin-1 (fast).
  const text = bytes.toString('latin1');
  for (;;) {
    SPECIAL_BYTE.lastIndex = i;
    const found = SPECIAL_BYTE.exec(text);
    if (found === null) {
      i = bytes.length;
      break;
    }
    i = found.index;
    const b = bytes[i] ?? 0;
    if (b >= 0x80) {
      const length = utf8Length(bytes, i);
      if (length === -1 && !final) break;
      if (length > 0) {
        const code = codePointAt(bytes, i, length);
        if (code < (MIN_CODE_POINT[length - 2] ?? 0) || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) cut(1, visibleBytes('\\x', b, 2));
        else if (isUnsafeCodePoint(code)) cut(length, code < 0x100 ? visibleBytes('\\x', code, 2) : visibleBytes('\\u', code, 4));
        else i += length;
      } else cut(1, visibleBytes('\\x', b, 2));
      continue;
    }
    if (b === ESC) {
      const length = sgrLength(bytes, i);
      if (length === -1 && !final) break;
      if (length > 0) {
        if (color) i += length;
        else cut(length);
        continue;
      }
    }
    if (b === 0x0d) {
      if (i + 1 >= bytes.length && !final) break;
      if (bytes[i + 1] === 0x0a) {
        i++;
        continue;
      }
    }
    cut(1, visibleBytes('\\x', b, 2));
  }
  parts.push(bytes.subarray(runStart, i));
  return { out: parts.length === 1 && parts[0] !== undefined ? parts[0] : Buffer.concat(parts), held: bytes.length - i };
}

/** A Transform that passes a log stream through `sanitizeLogBytes`, holding back a sequence split between chunks. */
export function createSafeLogStream(color: boolean): Transform {
  let held: Buffer = Buffer.alloc(0);
  const run = (chunk: Buffer, final: boolean): Buffer => {
    const bytes = held.length === 0 ? chunk : Buffer.concat([held, chunk]);
    const result = sanitizeLogBytes(bytes, color, final);
    held = Buffer.from(bytes.subarray(bytes.length - result.held));
    return result.out;
  };
  return new Transform({
    transform(chunk: Buffer | string, _encoding, callback) {
      const out = run(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, false);
      callback(null, out.length > 0 ? out : undefined);
    },
    flush(callback) {
      const out = run(Buffer.alloc(0), true);
      callback(null, out.length > 0 ? out : undefined);
    },
  });
}
