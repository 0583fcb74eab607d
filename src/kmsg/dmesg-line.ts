import type { ByteWriter } from './byte-writer';
import { DMESG_COLOR_RESET, DMESG_COLOR_SEGFAULT, DMESG_COLOR_SUBSYS, DMESG_COLOR_TIME, levelColor } from './dmesg-colors';
import { unescapeKmsgText, writeDmesgSafe } from './escape';

const USEC_PER_SEC = 1_000_000;
const SEGFAULT_AT = Buffer.from('segfault at');
/** The phrase that gives a message dmesg's segfault colour. */
export const DMESG_SEGFAULT_PHRASE = 'segfault at';
const TIME_BYTES = Buffer.from(DMESG_COLOR_TIME);
const RESET_BYTES = Buffer.from(DMESG_COLOR_RESET);
const SUBSYS_BYTES = Buffer.from(DMESG_COLOR_SUBSYS);

/** Scratch memory reused between records (decoded message bytes). */
export interface DmesgScratch {
  bytes: Uint8Array;
  /** False when the caller knows no message without escapes contains "segfault at" (skips that search). */
  segfaultPossible: boolean;
}

/** Creates scratch memory for {@link writeDmesgLine}. */
export function createDmesgScratch(): DmesgScratch {
  return { bytes: new Uint8Array(4096), segfaultPossible: true };
}

/** `[%5ld.%06ld] ` as dmesg prints the monotonic timestamp. */
export function formatDmesgTimestamp(usec: number): string {
  const seconds = Math.floor(usec / USEC_PER_SEC);
  const micros = usec - seconds * USEC_PER_SEC;
  return `[${String(seconds).padStart(5, ' ')}.${String(micros).padStart(6, '0')}] `;
}

const digitScratch = new Uint8Array(40);

/** Appends {@link formatDmesgTimestamp} of `usec` without building a string; returns its length. */
export function writeDmesgTimestamp(out: ByteWriter, usec: number): number {
  let seconds = Math.floor(usec / USEC_PER_SEC);
  let micros = usec - seconds * USEC_PER_SEC;
  const digits = digitScratch;
  let at = digits.length;
  digits[--at] = 0x20;
  digits[--at] = 0x5d;
  // Digits by exact division ((n - digit) / 10): Math.floor(n / 10) made the optimized code deoptimize
  // ("lost precision") on the first record, costing a second compile while the log was being printed.
  for (let i = 0; i < 6; i++) {
    const digit = micros % 10;
    digits[--at] = 0x30 + digit;
    micros = (micros - digit) / 10;
  }
  digits[--at] = 0x2e;
  const secondsEnd = at;
  do {
    const digit = seconds % 10;
    digits[--at] = 0x30 + digit;
    seconds = (seconds - digit) / 10;
  } while (seconds > 0);
  while (secondsEnd - at < 5) digits[--at] = 0x20;
  digits[--at] = 0x5b;
  out.bytes(digits, at, digits.length);
  return digits.length - at;
}

/** End of the `subsystem: ` prefix dmesg colours (first `:` followed by a blank and more text), or -1. */
export function findSubsystemEnd(bytes: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    if (bytes[i] !== 0x3a) continue;
    const next = bytes[i + 1];
    if (i + 2 < end && (next === 0x20 || next === 0x09)) return i + 2;
  }
  return -1;
}

/** True when `bytes[start, end)` is printable ASCII without `\\` (nothing to decode or escape). */
function isPlainAscii(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const byte = bytes[i] ?? 0;
    if (byte < 0x20 || byte > 0x7e || byte === 0x5c) return false;
  }
  return true;
}

function contains(haystack: Uint8Array, start: number, end: number, needle: Uint8Array): boolean {
  const first = needle[0];
  const last = end - needle.length;
  outer: for (let i = start; i <= last; i++) {
    if (haystack[i] !== first) continue;
    for (let k = 1; k < needle.length; k++) if (haystack[i + k] !== needle[k]) continue outer;
    return true;
  }
  return false;
}

/**
 * Appends one record as `dmesg` prints it: timestamp, message (escapes decoded then re-escaped for the
 * terminal, continuation lines indented under the text), newline; with `color`, dmesg's colours.
 * `text[start, end)` is the kernel-escaped message. An empty message prints an empty line, like dmesg.
 */
export function writeDmesgLine(
  out: ByteWriter,
  record: { level: number; usecMonotonic: number },
  text: Uint8Array,
  start: number,
  end: number,
  color: boolean,
  scratch: DmesgScratch,
  knownPlain = false,
): void {
  if (end <= start) {
    out.byte(0x0a);
    return;
  }
  const plain = knownPlain || isPlainAscii(text, start, end);
  let message = text;
  let from = start;
  let to = end;
  if (!plain) {
    if (scratch.bytes.length < end - start) scratch.bytes = new Uint8Array(Math.max(end - start, scratch.bytes.length * 2));
    message = scratch.bytes;
    from = 0;
    to = unescapeKmsgText(text, start, end, message);
    if (to === 0) {
      out.byte(0x0a);
      return;
    }
  }
  if (color) out.bytes(TIME_BYTES, 0, TIME_BYTES.length);
  const indent = writeDmesgTimestamp(out, record.usecMonotonic);
  if (color) out.bytes(RESET_BYTES, 0, RESET_BYTES.length);
  let bodyStart = from;
  if (color) {
    const subsystemEnd = findSubsystemEnd(message, from, to);
    if (subsystemEnd > 0) {
      out.bytes(SUBSYS_BYTES, 0, SUBSYS_BYTES.length);
      writePart(out, message, from, subsystemEnd, to, indent, plain);
      out.bytes(RESET_BYTES, 0, RESET_BYTES.length);
      bodyStart = subsystemEnd;
    }
  }
  const bodyColor = !color ? undefined : (levelColor(record.level) ?? ((!plain || scratch.segfaultPossible) && contains(message, bodyStart, to, SEGFAULT_AT) ? DMESG_COLOR_SEGFAULT : undefined));
  if (bodyColor !== undefined) out.ascii(bodyColor);
  writePart(out, message, bodyStart, to, to, indent, plain);
  if (bodyColor !== undefined) out.bytes(RESET_BYTES, 0, RESET_BYTES.length);
  out.byte(0x0a);
}

function writePart(out: ByteWriter, bytes: Uint8Array, start: number, end: number, limit: number, indent: number, plain: boolean): void {
  if (plain) out.bytes(bytes, start, end);
  else writeDmesgSafe(out, bytes, start, end, limit, indent);
}
