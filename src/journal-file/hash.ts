// The hash a journal file files its DATA objects under (systemd src/libsystemd/sd-journal/journal-file.c,
// journal_file_hash_data(): siphash24 keyed with the header's file_id when the file has the keyed-hash
// incompatible flag, else jenkins_hash64 of src/basic/lookup3.c). Both as unsigned 64-bit BigInts.

const MASK64 = (1n << 64n) - 1n;

function rot32(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * Bob Jenkins' lookup3 hashlittle2() with both seeds 0, as jenkins_hash64() in systemd's lookup3.h:
 * `(uint64_t) c << 32 | b` (pure). Byte-wise reading, which gives the same result as the aligned fast paths.
 */
export function jenkinsHash64(data: Uint8Array): bigint {
  let length = data.length;
  let a = (0xdeadbeef + length) >>> 0;
  let b = a;
  let c = a;
  let at = 0;
  const word = (i: number): number => ((data[i] ?? 0) | ((data[i + 1] ?? 0) << 8) | ((data[i + 2] ?? 0) << 16) | ((data[i + 3] ?? 0) << 24)) >>> 0;
  while (length > 12) {
    a = (a + word(at)) >>> 0;
    b = (b + word(at + 4)) >>> 0;
    c = (c + word(at + 8)) >>> 0;
    // mix(a, b, c)
    a = (a - c) >>> 0; a = (a ^ rot32(c, 4)) >>> 0; c = (c + b) >>> 0;
    b = (b - a) >>> 0; b = (b ^ rot32(a, 6)) >>> 0; a = (a + c) >>> 0;
    c = (c - b) >>> 0; c = (c ^ rot32(b, 8)) >>> 0; b = (b + a) >>> 0;
    a = (a - c) >>> 0; a = (a ^ rot32(c, 16)) >>> 0; c = (c + b) >>> 0;
    b = (b - a) >>> 0; b = (b ^ rot32(a, 19)) >>> 0; a = (a + c) >>> 0;
    c = (c - b) >>> 0; c = (c ^ rot32(b, 4)) >>> 0; b = (b + a) >>> 0;
    length -= 12;
    at += 12;
  }
  if (length === 0) return (BigInt(c) << 32n) | BigInt(b);
  // The last 1..12 bytes, zero-padded (the byte-wise tail switch of hashlittle2).
  const tail = new Uint8Array(12);
  tail.set(data.subarray(at, at + length));
  const t = (i: number): number => ((tail[i] ?? 0) | ((tail[i + 1] ?? 0) << 8) | ((tail[i + 2] ?? 0) << 16) | ((tail[i + 3] ?? 0) << 24)) >>> 0;
  a = (a + t(0)) >>> 0;
  b = (b + t(4)) >>> 0;
  c = (c + t(8)) >>> 0;
  // final(a, b, c)
  c = (c ^ b) >>> 0; c = (c - rot32(b, 14)) >>> 0;
  a = (a ^ c) >>> 0; a = (a - rot32(c, 11)) >>> 0;
  b = (b ^ a) >>> 0; b = (b - rot32(a, 25)) >>> 0;
  c = (c ^ b) >>> 0; c = (c - rot32(b, 16)) >>> 0;
  a = (a ^ c) >>> 0; a = (a - rot32(c, 4)) >>> 0;
  b = (b ^ a) >>> 0; b = (b - rot32(a, 14)) >>> 0;
  c = (c ^ b) >>> 0; c = (c - rot32(b, 24)) >>> 0;
  return (BigInt(c) << 32n) | BigInt(b);
}

function rotl64(x: bigint, b: bigint): bigint {
  return ((x << b) | (x >> (64n - b))) & MASK64;
}

/** SipHash-2-4 of `data` with a 16-byte key, as systemd's siphash24() (src/fundamental/siphash24.c) (pure). */
export function siphash24(data: Uint8Array, key: Uint8Array): bigint {
  const k = Buffer.from(key.buffer, key.byteOffset, 16);
  const k0 = k.readBigUInt64LE(0);
  const k1 = k.readBigUInt64LE(8);
  let v0 = 0x736f6d6570736575n ^ k0;
  let v1 = 0x646f72616e646f6dn ^ k1;
  let v2 = 0x6c7967656e657261n ^ k0;
  let v3 = 0x7465646279746573n ^ k1;
  const round = (): void => {
    v0 = (v0 + v1) & MASK64; v1 = rotl64(v1, 13n); v1 ^= v0; v0 = rotl64(v0, 32n);
    v2 = (v2 + v3) & MASK64; v3 = rotl64(v3, 16n); v3 ^= v2;
    v0 = (v0 + v3) & MASK64; v3 = rotl64(v3, 21n); v3 ^= v0;
    v2 = (v2 + v1) & MASK64; v1 = rotl64(v1, 17n); v1 ^= v2; v2 = rotl64(v2, 32n);
  };
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.length);
  const whole = bytes.length - (bytes.length % 8);
  for (let at = 0; at < whole; at += 8) {
    const m = bytes.readBigUInt64LE(at);
    v3 ^= m;
    round();
    round();
    v0 ^= m;
  }
  let last = BigInt(bytes.length & 0xff) << 56n;
  for (let i = 0; i < bytes.length % 8; i++) last |= BigInt(bytes[whole + i] ?? 0) << BigInt(8 * i);
  v3 ^= last;
  round();
  round();
  v0 ^= last;
  v2 ^= 0xffn;
  round();
  round();
  round();
  round();
  return (v0 ^ v1 ^ v2 ^ v3) & MASK64;
}
