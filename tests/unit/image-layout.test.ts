import { describe, expect, it } from 'vitest';
import { HaError } from '../../src/errors/ha-error';
import { pickDataPartition, requiredBytes, type ImageLayout, type ImagePartition } from '../../src/targets/image/layout';
import { checkWritable, formatBytes, fsckTarget, repairCommand, locateDataPartition } from '../../src/targets/image/preflight';
import type { SuperblockInfo } from '../../src/targets/image/superblock';
import { thrownBy } from '../helpers/catch-error';

const MIB = 1024 * 1024;
const EXT: SuperblockInfo = { label: 'x', fsType: 'ext4', blockSizeBytes: 4096, sizeBytes: 0, clean: true, hasErrors: false,
  needsRecovery: false, journalDevice: false, checksumOk: true };

function part(index: number, name: string | null, label: string | null, ext: Partial<SuperblockInfo> | null = {}): ImagePartition {
  return { index, name, type: null, uuid: null, label, fsType: ext === null ? 'vfat' : 'ext4', offsetBytes: index * 100 * MIB, sizeBytes: 100 * MIB,
    ext: ext === null ? undefined : { ...EXT, ...ext } };
}
const gpt = (...partitions: ImagePartition[]): ImageLayout => ({ table: 'gpt', partitions, notes: [] });
const EMPTY: ImageLayout = { table: 'none', partitions: [], notes: [] };

describe('pickDataPartition', () => {
  it('takes the ext filesystem labelled hassos-data, as HAOS mounts it', () => {
    const layout = gpt(part(1, 'hassos-boot', 'HASSOS-BOOT', null), part(7, 'hassos-overlay', 'hassos-overlay'), part(8, 'hassos-data', 'hassos-data'));
    expect(pickDataPartition(layout)?.index).toBe(8);
  });

  it('after a data move: the external disk (label hassos-data) wins over the old copy (label hassos-data-old)', () => {
    const layout = gpt(part(8, 'hassos-data', 'hassos-data-old'), part(9, 'hassos-data-external', 'hassos-data'));
    expect(pickDataPartition(layout)?.index).toBe(9);
  });

  it('falls back to the GPT name when the label is not set, but never to a retired label', () => {
    expect(pickDataPartition(gpt(part(8, 'hassos-data', null)))?.index).toBe(8);
    expect(pickDataPartition(gpt(part(8, 'hassos-data', 'hassos-data-old')))).toBeUndefined();
    expect(pickDataPartition(gpt(part(8, 'hassos-data', 'hassos-data', null)))).toBeUndefined();
  });
});

describe('locateDataPartition', () => {
  const head = Buffer.alloc(4096);
  it('names a compressed file', () => {
    const xz = Buffer.concat([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), Buffer.alloc(100)]);
    expect(() => locateDataPartition('a.img.xz', xz, EMPTY, 1000)).toThrow(/xz-compressed/);
  });

  it('refuses a file without partitions, a truncated one, and one without a data partition', () => {
    expect(() => locateDataPartition('x', head, EMPTY, 1000)).toThrow(/not a disk image/);
    const layout = gpt(part(1, 'hassos-boot', null, null), part(8, 'hassos-data', 'hassos-data'));
    expect(requiredBytes(layout)).toBe(900 * MIB);
    expect(() => locateDataPartition('x', head, layout, 899 * MIB)).toThrow(/truncated: .* needs 900 MiB but it has 899 MiB/);
    expect(locateDataPartition('x', head, layout, 900 * MIB).index).toBe(8);
    expect(() => locateDataPartition('x', head, gpt(part(1, 'hassos-boot', null, null)), 900 * MIB)).toThrow(/no Home Assistant data partition \(found: 1 \(hassos-boot\)\)/);
    expect(() => locateDataPartition('x', head, gpt(part(8, 'hassos-data', 'hassos-data-old')), 900 * MIB)).toThrow(/old copy/);
  });

  it('names a VM disk and says how to convert it', () => {
    for (const [format, magic] of [['qcow2', Buffer.from([0x51, 0x46, 0x49, 0xfb, 0, 0, 0, 3])], ['vmdk', Buffer.from('KDMV')],
      ['vdi', Buffer.concat([Buffer.from('<<< Oracle VM VirtualBox Disk Image >>>\n'), Buffer.alloc(24), Buffer.from([0x7f, 0x10, 0xda, 0xbe])])],
      ['vhdx', Buffer.from('vhdxfile')]] as const) {
      const error = thrownBy(() => locateDataPartition('disk.x', Buffer.concat([magic, head]), EMPTY, 1000)) as HaError;
      expect(error.message).toBe(`disk.x is a VM disk (${format}), not a raw disk image`);
      expect(error.hint).toBe('convert it with: qemu-img convert -O raw disk.x haos.img');
    }
  });

  it('refuses two partitions labelled hassos-data, naming both', () => {
    const layout = gpt(part(3, null, 'hassos-data'), part(8, 'hassos-data', 'hassos-data'));
    expect(() => locateDataPartition('x', head, layout, 900 * MIB)).toThrow(/2 partitions labelled hassos-data: 3 \(hassos-data\) and 8 \(hassos-data\);/);
  });

  it('refuses a GPT without usable partitions, saying why', () => {
    const layout: ImageLayout = { table: 'gpt', partitions: [], notes: ['No valid GPT: the primary\'s header checksum (CRC32) mismatch'] };
    expect(() => locateDataPartition('x', head, layout, 900 * MIB)).toThrow(/GPT partition table but no usable partitions \(No valid GPT/);
  });
});

describe('locateDataPartition bounds', () => {
  const head = Buffer.alloc(4096);
  const data = part(8, 'hassos-data', 'hassos-data', { sizeBytes: 100 * MIB });
  it('passes a filesystem that fits its partition', () => {
    expect(locateDataPartition('x', head, gpt(part(7, 'hassos-overlay', 'hassos-overlay'), data), 900 * MIB).index).toBe(8);
  });
  it('refuses an ext4 larger than its partition', () => {
    const big = { ...data, ext: { ...EXT, sizeBytes: 100 * MIB + 4096 } };
    expect(() => locateDataPartition('x', head, gpt(big), 900 * MIB)).toThrow(/ext4 filesystem of partition 8 \(hassos-data\) \(100 MiB\) is larger than the partition \(100 MiB\)/);
  });
  it('refuses an entry that ends before it starts', () => {
    const inverted = { ...data, sizeBytes: -10 * MIB };
    expect(() => locateDataPartition('x', head, gpt(inverted), 900 * MIB)).toThrow(/table entry of partition 8 \(hassos-data\) ends before it starts/);
  });
  it('refuses an entry that overlaps another partition', () => {
    const overlay = { ...part(7, 'hassos-overlay', 'hassos-overlay'), sizeBytes: 100 * MIB + 512 };
    expect(() => locateDataPartition('x', head, gpt(overlay, data), 900 * MIB)).toThrow(/partition 8 \(hassos-data\) .* overlaps partition 7 \(hassos-overlay\)/);
  });
});

describe('checkWritable', () => {
  const refusal = (ext: Partial<SuperblockInfo>): HaError | undefined => {
    try {
      checkWritable('sd.img', part(8, 'hassos-data', 'hassos-data', ext), false);
      return undefined;
    } catch (error) {
      return error as HaError;
    }
  };
  it('passes a clean filesystem', () => expect(refusal({})).toBeUndefined());
  it('refuses not clean, errors and a bad checksum, with an e2fsck hint (a pending journal is replayed, not refused)', () => {
    expect(refusal({ clean: false })?.message).toMatch(/not cleanly unmounted/);
    expect(refusal({ hasErrors: true })?.message).toMatch(/errors recorded/);
    expect(refusal({ checksumOk: false })?.message).toMatch(/checksum/);
    // e2fsck's file?offset=N loses the offset when it re-opens after a recovery: a loop device instead.
    expect(refusal({ clean: false })?.hint).toContain(`"sudo losetup -fP --show 'sd.img'" and then "sudo e2fsck -fy /dev/loopNp8"`);
  });
});

describe('helpers', () => {
  it('fsckTarget names the partition device or the file offset', () => {
    const p = part(8, 'hassos-data', 'hassos-data');
    expect(fsckTarget('/dev/sdb', p, true)).toBe('/dev/sdb8');
    expect(fsckTarget('/dev/mmcblk0', p, true)).toBe('/dev/mmcblk0p8');
    expect(fsckTarget('/dev/sdb8', { ...p, index: 0, offsetBytes: 0 }, true)).toBe('/dev/sdb8');
    expect(fsckTarget('sd.img', p, false)).toBe(`'sd.img?offset=${800 * MIB}'`);
  });
  it('repairCommand goes through a loop device for a partition of an image file', () => {
    const p = part(8, 'hassos-data', 'hassos-data');
    expect(repairCommand('/dev/sdb', p, true)).toBe('"e2fsck -fy /dev/sdb8"');
    expect(repairCommand('data.img', { ...p, index: 0, offsetBytes: 0 }, false)).toBe(`"e2fsck -fy 'data.img'"`);
    expect(repairCommand('sd.img', p, false)).toMatch(/^"sudo losetup -fP --show 'sd.img'" and then "sudo e2fsck -fy \/dev\/loopNp8"/);
  });
  it('formatBytes', () => {
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(32 * 1024 ** 3)).toBe('32 GiB');
  });
});
