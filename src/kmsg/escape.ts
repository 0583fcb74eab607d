import type { ByteWriter } from './byte-writer';
import { decodeUtf8Sequence, isPrintableCodePoint } from './utf8';

const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const HEX_DIGITS = '0123456789abcdef';

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  return -1;
}

/**
 * Decodes the kernel's `\xNN` escapes of `source[start, end)` into `target` from offset 0 and returns
 * the decoded length (like util-linux `unhexmangle_to_buffer`). `target` must hold `end - start` bytes.
 */
export function unescapeKmsgText(source: Uint8Array, start: number, end: number, target: Uint8Array): number {
  let out = 0;
  let i = start;
  while (i < end) {
    const byte = source[i] ?? 0;
    if (byte === BACKSLASH && i + 4 <= end && source[i + 1] === 0x78) {
      const high = hexValue(source[i + 2] ?? 0);
      const low = hexValue(source[i + 3] ?? 0);
      if (high >= 0 && low >= 0) {
        target[out++] = high * 16 + low;
        i += 4;
        continue;
      }
    }
    target[out++] = byte;
    i++;
  }
  return out;
}

function writeHex(out: ByteWriter, byte: number): void {
  out.byte(BACKSLASH);
  out.byte(0x78);
  out.byte(HEX_DIGITS.charCodeAt(byte >> 4));
  out.byte(HEX_DIGITS.charCodeAt(byte & 15));
}

/**
 * Writes decoded message bytes `bytes[start, end)` the way `dmesg` prints them (util-linux `safe_fwrite`
 * in a UTF-8 locale): printable characters and white space as they are, anything else as `\xNN`; a line
 * break followed by more text (within `limit`, not a NUL) is followed by `indent` spaces.
 */
export function writeDmesgSafe(out: ByteWriter, bytes: Uint8Array, start: number, end: number, limit: number, indent: number): void {
  let runStart = start;
  let i = start;
  while (i < end) {
    const byte = bytes[i] ?? 0;
    if (byte >= 0x20 && byte < 0x7f) {
      i++;
      continue;
    }
    out.bytes(bytes, runStart, i);
    if (byte === NEWLINE) {
      out.byte(NEWLINE);
      if (indent > 0 && i + 1 < limit && bytes[i + 1] !== 0) out.spaces(indent);
      i++;
    } else if (byte === 0x09 || byte === 0x0b || byte === 0x0c || byte === 0x0d) {
      out.byte(byte);
      i++;
    } else if (byte < 0x80) {
      writeHex(out, byte);
      i++;
    } else {
      const decoded = decodeUtf8Sequence(bytes, i, end);
      if (decoded < 0) {
        writeHex(out, byte);
        i++;
      } else {
        const length = decoded & 7;
        if (isPrintableCodePoint(decoded >>> 3)) out.bytes(bytes, i, i + length);
        else for (let k = 0; k < length; k++) writeHex(out, bytes[i + k] ?? 0);
        i += length;
      }
    }
    runStart = i;
  }
  out.bytes(bytes, runStart, end);
}
