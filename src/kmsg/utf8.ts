// Strict UTF-8 decoding of one sequence, as glibc's mbrtowc() does in a UTF-8 locale
// (no overlong forms, no surrogates, nothing above U+10FFFF).

const UNPRINTABLE = /[\p{Cc}\p{Cn}\p{Cs}]/u;

/**
 * Decodes the multi-byte sequence starting at `bytes[start]` (a byte >= 0x80) within `end`.
 * Returns `(codePoint << 3) | length` for a valid 2-4 byte sequence, or -1 when invalid or cut short.
 */
export function decodeUtf8Sequence(bytes: Uint8Array, start: number, end: number): number {
  const lead = bytes[start] ?? 0;
  let length: number;
  let codePoint: number;
  let min = 0x80;
  let max = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
    codePoint = lead & 0x1f;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    codePoint = lead & 0x0f;
    if (lead === 0xe0) min = 0xa0;
    if (lead === 0xed) max = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    codePoint = lead & 0x07;
    if (lead === 0xf0) min = 0x90;
    if (lead === 0xf4) max = 0x8f;
  } else {
    return -1;
  }
  if (start + length > end) return -1;
  for (let i = 1; i < length; i++) {
    const next = bytes[start + i] ?? 0;
    if (next < (i === 1 ? min : 0x80) || next > (i === 1 ? max : 0xbf)) return -1;
    codePoint = (codePoint << 6) | (next & 0x3f);
  }
  return codePoint * 8 + length;
}

/**
 * True when a non-ASCII code point is printable for `dmesg` (glibc `iswprint`): not a C1 control,
 * not unassigned, not a surrogate. Unicode versions of glibc and ICU differ slightly on new characters.
 */
export function isPrintableCodePoint(codePoint: number): boolean {
  return !UNPRINTABLE.test(String.fromCodePoint(codePoint));
}
