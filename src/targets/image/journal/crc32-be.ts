// The kernel's crc32_be (MSB-first, polynomial 0x04C11DB7, no final inversion): the transaction checksum
// of journals with the old COMPAT_CHECKSUM feature (checksum v1), kernel `lib/crc32.c`.
const CRC32_BE_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n << 24;
    for (let k = 0; k < 8; k += 1) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** crc32_be(seed, data) as the kernel computes it. */
export function crc32Be(seed: number, data: Uint8Array): number {
  let crc = seed >>> 0;
  for (const byte of data) crc = ((crc << 8) ^ (CRC32_BE_TABLE[((crc >>> 24) ^ byte) & 0xff] ?? 0)) >>> 0;
  return crc >>> 0;
}
