import { decodeUtf8Sequence } from './utf8';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** Result slots of {@link parseKmsgLineBytes} (reused to avoid allocation in the fast path). */
export interface KmsgLineFields {
  level: number;
  facility: number;
  seq: number;
  usecMonotonic: number;
  textStart: number;
  textEnd: number;
  /** The text is printable ASCII without `\\`: nothing to decode or escape. */
  plain: boolean;
}

function readNumber(bytes: Uint8Array, start: number, end: number, fields: { value: number }): number {
  let i = start;
  let value = 0;
  while (i < end) {
    const byte = bytes[i] ?? 0;
    if (byte < 0x30 || byte > 0x39) break;
    value = value * 10 + (byte - 0x30);
    i++;
  }
  if (i === start || i - start > 20 || value > MAX_SAFE) return -1;
  fields.value = value;
  return i;
}

const numberSlot = { value: 0 };

/**
 * Byte-level twin of `parseKmsgRecord` for one line `bytes[start, end)` (no separator inside):
 * fills `fields` and returns true for a record, false for anything else (same rules as the string parser).
 */
export function parseKmsgLineBytes(bytes: Uint8Array, start: number, end: number, fields: KmsgLineFields): boolean {
  if (end > start && bytes[end - 1] === 0x0d) end--;
  let i = readNumber(bytes, start, end, numberSlot);
  if (i < 0 || bytes[i] !== 0x2c) return false;
  const prio = numberSlot.value;
  i = readNumber(bytes, i + 1, end, numberSlot);
  if (i < 0 || bytes[i] !== 0x2c) return false;
  const seq = numberSlot.value;
  i = readNumber(bytes, i + 1, end, numberSlot);
  if (i < 0 || i >= end) return false;
  const usec = numberSlot.value;
  if (bytes[i] === 0x2c) {
    i++;
    while (i < end && bytes[i] !== 0x3b) {
      const byte = bytes[i] ?? 0;
      if (byte < 0x20 || byte > 0x7e) return false;
      i++;
    }
  }
  if (i >= end || bytes[i] !== 0x3b) return false;
  const textStart = i + 1;
  let plain = true;
  for (let k = textStart; k < end; ) {
    const byte = bytes[k] ?? 0;
    if (byte >= 0x20 && byte < 0x7f) {
      if (byte === 0x5c) plain = false;
      k++;
    } else if (byte < 0x80) {
      return false;
    } else {
      plain = false;
      const decoded = decodeUtf8Sequence(bytes, k, end);
      if (decoded < 0 || decoded >>> 3 === 0xfffd) return false;
      k += decoded & 7;
    }
  }
  fields.level = prio & 7;
  fields.facility = Math.floor(prio / 8);
  fields.seq = seq;
  fields.usecMonotonic = usec;
  fields.textStart = textStart;
  fields.textEnd = end;
  fields.plain = plain;
  return true;
}
