// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as ext4 uses for metadata checksums.
const CRC32C_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** Raw CRC-32C update without the final inversion (libext2fs's `ext2fs_crc32c_le(seed, ...)`). */
export function crc32cRaw(seed: number, data: Uint8Array): number {
  let crc = seed >>> 0;
  for (const byte of data) crc = (CRC32C_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return crc >>> 0;
}
