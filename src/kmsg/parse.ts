import type { KmsgRecord } from './record';

// `prio,seq,usec[,flags[,more]];text` (https://www.kernel.org/doc/Documentation/ABI/testing/dev-kmsg).
const HEADER = /^(\d{1,20}),(\d{1,20}),(\d{1,20})(?:,[\x20-\x3a\x3c-\x7e]*)?;/;
// Raw control bytes, DEL, or U+FFFD (a byte sequence that was not UTF-8): not something the kernel writes.
const BINARY = /[\x00-\x1f\x7f\ufffd]/;

function safeNumber(digits: string | undefined): number | undefined {
  if (digits === undefined) return undefined;
  const value = Number(digits);
  return Number.isSafeInteger(value) ? value : undefined;
}

/**
 * Parses one /dev/kmsg record. Lines after the first (` KEY=value` continuation lines) are ignored;
 * a trailing `\r` is dropped. Anything that is not a record (no `;`, non-numeric fields, raw control
 * or non-UTF-8 bytes, a bare continuation line) gives `undefined`; this never throws.
 */
export function parseKmsgRecord(raw: string): KmsgRecord | undefined {
  const lineEnd = raw.indexOf('\n');
  let line = lineEnd < 0 ? raw : raw.slice(0, lineEnd);
  if (line.endsWith('\r')) line = line.slice(0, -1);
  const match = HEADER.exec(line);
  if (match === null) return undefined;
  const prio = safeNumber(match[1]);
  const seq = safeNumber(match[2]);
  const usecMonotonic = safeNumber(match[3]);
  if (prio === undefined || seq === undefined || usecMonotonic === undefined) return undefined;
  const text = line.slice(match[0].length);
  if (BINARY.test(text)) return undefined;
  return { level: prio & 7, facility: Math.floor(prio / 8), seq, usecMonotonic, text };
}
