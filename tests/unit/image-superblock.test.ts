import { describe, expect, it } from 'vitest';
import { crc32cRaw } from '../../src/targets/image/crc32c';
import { detectFs } from '../../src/targets/image/fs-detect';
import { parseSuperblock, superblockChecksum, withCleanState } from '../../src/targets/image/superblock';

/** A minimal ext4 superblock (metadata_csum, 64bit, extents) with a valid checksum. */
function superblock(options: { state?: number; incompat?: number; label?: string } = {}): Buffer {
  const sb = Buffer.alloc(1024);
  sb.writeUInt32LE(262144, 0x04); // blocks (low)
  sb.writeUInt32LE(2, 0x18); // 4096-byte blocks
  sb.writeUInt16LE(0xef53, 0x38);
  sb.writeUInt16LE(options.state ?? 1, 0x3a);
  sb.writeUInt32LE(0x4, 0x5c); // has_journal
  sb.writeUInt32LE(options.incompat ?? 0x2c2, 0x60); // filetype, extent, 64bit, flex_bg
  sb.writeUInt32LE(0x400, 0x64); // metadata_csum
  sb.writeUInt32LE(1, 0x150); // blocks (high)
  sb.write(options.label ?? 'hassos-data', 0x78, 'utf8');
  sb.writeUInt32LE(superblockChecksum(sb), 0x3fc);
  return sb;
}

describe('crc32c', () => {
  it('matches the standard check value once finalised', () => {
    // CRC-32C("123456789") = 0xE3069283; libext2fs stores the raw value (no final inversion).
    expect((~crc32cRaw(0xffffffff, Buffer.from('123456789')) >>> 0).toString(16)).toBe('e3069283');
  });
});

describe('superblock', () => {
  it('parses label, type, size, state and checksum', () => {
    const info = parseSuperblock(superblock());
    expect(info).toMatchObject({ label: 'hassos-data', fsType: 'ext4', blockSizeBytes: 4096, clean: true, needsRecovery: false,
      hasErrors: false, checksumOk: true });
    expect(info?.sizeBytes).toBe((2 ** 32 + 262144) * 4096);
  });

  it('sees needs_recovery, not clean and errors', () => {
    expect(parseSuperblock(superblock({ incompat: 0x2c6 }))?.needsRecovery).toBe(true);
    expect(parseSuperblock(superblock({ state: 0 }))?.clean).toBe(false);
    expect(parseSuperblock(superblock({ state: 3 }))?.hasErrors).toBe(true);
  });

  it('detects a damaged checksum', () => {
    const sb = superblock();
    sb[0x80] = 0x41;
    expect(parseSuperblock(sb)?.checksumOk).toBe(false);
  });

  it('toggles the clean flag and keeps the checksum valid', () => {
    const dirty = withCleanState(superblock(), false);
    expect(parseSuperblock(dirty)).toMatchObject({ clean: false, checksumOk: true });
    const clean = withCleanState(dirty, true);
    expect(clean.equals(superblock())).toBe(true);
  });

  it('rejects what is not an ext superblock', () => {
    expect(parseSuperblock(Buffer.alloc(1024))).toBeUndefined();
    expect(parseSuperblock(Buffer.alloc(100))).toBeUndefined();
  });
});

describe('detectFs', () => {
  it('recognises ext4 at offset 1024', () => {
    const head = Buffer.alloc(2048);
    superblock({ label: 'hassos-overlay' }).copy(head, 1024);
    expect(detectFs(head)).toMatchObject({ fsType: 'ext4', label: 'hassos-overlay' });
  });

  it('recognises FAT16 and FAT32 boot sectors with their labels', () => {
    const fat16 = Buffer.alloc(2048);
    fat16.writeUInt16LE(0xaa55, 510);
    fat16.write('HASSOS-BOOT', 0x2b, 'latin1');
    fat16.write('FAT16   ', 0x36, 'latin1');
    expect(detectFs(fat16)).toMatchObject({ fsType: 'vfat', label: 'HASSOS-BOOT' });
    const fat32 = Buffer.alloc(2048);
    fat32.writeUInt16LE(0xaa55, 510);
    fat32.write('NO NAME    ', 0x47, 'latin1');
    fat32.write('FAT32   ', 0x52, 'latin1');
    expect(detectFs(fat32)).toMatchObject({ fsType: 'vfat', label: null });
  });

  it('recognises squashfs and reports unknown data as nothing', () => {
    const squash = Buffer.alloc(2048);
    squash.write('hsqs', 0, 'latin1');
    expect(detectFs(squash).fsType).toBe('squashfs');
    expect(detectFs(Buffer.alloc(2048, 0x33))).toEqual({ fsType: null, label: null, ext: undefined });
  });
});
