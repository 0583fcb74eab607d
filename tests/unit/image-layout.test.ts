import { describe, expect, it } from 'vitest';
import { HaError } from '../../src/errors/ha-error';
import { pickDataPartition, requiredBytes, type ImageLayout, type ImagePartition } from '../../src/targets/image/layout';
import { checkWritable, formatBytes, fsckTarget, locateDataPartition } from '../../src/targets/image/preflight';
import type { SuperblockInfo } from '../../src/targets/image/superblock';

const MIB = 1024 * 1024;
const EXT: SuperblockInfo = { label: 'x', fsType: 'ext4', blockSizeBytes: 4096, sizeBytes: 0, clean: true, hasErrors: false,
  needsRecovery: false, journalDevice: false, checksumOk: true };

function part(index: number, name: string | null, label: string | null, ext: Partial<SuperblockInfo> | null = {}): ImagePartition {
  return { index, name, label, fsType: ext === null ? 'vfat' : 'ext4', offsetBytes: index * 100 * MIB, sizeBytes: 100 * MIB,
    ext: ext === null ? undefined : { ...EXT, ...ext } };
}
const gpt = (...partitions: ImagePartition[]): ImageLayout => ({ table: 'gpt', partitions });

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
    expect(() => locateDataPartition('a.img.xz', xz, { table: 'none', partitions: [] }, 1000)).toThrow(/xz-compressed/);
  });

  it('refuses a file without partitions, a truncated one, and one without a data partition', () => {
    expect(() => locateDataPartition('x', head, { table: 'none', partitions: [] }, 1000)).toThrow(/not a disk image/);
    const layout = gpt(part(1, 'hassos-boot', null, null), part(8, 'hassos-data', 'hassos-data'));
    expect(requiredBytes(layout)).toBe(900 * MIB);
    expect(() => locateDataPartition('x', head, layout, 899 * MIB)).toThrow(/truncated: .* needs 900 MiB but it has 899 MiB/);
    expect(locateDataPartition('x', head, layout, 900 * MIB).index).toBe(8);
    expect(() => locateDataPartition('x', head, gpt(part(1, 'hassos-boot', null, null)), 900 * MIB)).toThrow(/no Home Assistant data partition \(found: 1 \(hassos-boot\)\)/);
    expect(() => locateDataPartition('x', head, gpt(part(8, 'hassos-data', 'hassos-data-old')), 900 * MIB)).toThrow(/old copy/);
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
  it('refuses journal recovery, not clean, errors and a bad checksum, with an e2fsck hint', () => {
    expect(refusal({ needsRecovery: true })?.message).toMatch(/journal needs recovery/);
    expect(refusal({ clean: false })?.message).toMatch(/not cleanly unmounted/);
    expect(refusal({ hasErrors: true })?.message).toMatch(/errors recorded/);
    expect(refusal({ checksumOk: false })?.message).toMatch(/checksum/);
    expect(refusal({ clean: false })?.hint).toContain(`e2fsck -fy 'sd.img?offset=${800 * MIB}'`);
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
  it('formatBytes', () => {
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(32 * 1024 ** 3)).toBe('32 GiB');
  });
});
