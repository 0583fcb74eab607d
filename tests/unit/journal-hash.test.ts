import { describe, expect, it } from 'vitest';
import { jenkinsHash64, siphash24 } from '../../src/journal-file/hash';

// The two hashes journal files file DATA objects under (journal_file_hash_data()), against their published
// vectors; the integration tests find DATA objects in files systemd wrote with each of them.

describe('journal hashes', () => {
  it('siphash24 gives the reference vector (key 00..0f, message 00..0e)', () => {
    const key = Uint8Array.from({ length: 16 }, (_, i) => i);
    expect(siphash24(Uint8Array.from({ length: 15 }, (_, i) => i), key)).toBe(0xa129ca6149be45e5n);
  });

  it('jenkinsHash64 is lookup3 hashlittle2 with zero seeds, c << 32 | b (driver5 vectors)', () => {
    expect(jenkinsHash64(Buffer.alloc(0))).toBe(0xdeadbeefdeadbeefn);
    expect(jenkinsHash64(Buffer.from('Four score and seven years ago'))).toBe(0x17770551ce7226e6n);
  });
});
