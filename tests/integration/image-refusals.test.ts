import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, openSync, readSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HaError } from '../../src/errors/ha-error';
import { openImageTarget } from '../../src/targets/image';
import { TABLES, copyImage, dataPartitionNumber, debugfs, makeImage, makeTempDir, partitionOffset, partitionRange, sha256 } from './image-fixture';

// Every refusal is a HaError with one line and a hint, and leaves the file byte-for-byte unchanged.

const temp = makeTempDir();
afterAll(() => temp.cleanup());

async function expectRefusal(path: string, pattern: RegExp, hint: RegExp | undefined): Promise<void> {
  const before = sha256(path);
  let caught: unknown;
  try {
    await openImageTarget(path, { write: true })((t) => t.resetPassword('alice', 'another-password', { force: false }));
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(HaError);
  const error = caught as HaError;
  expect(error.message).toMatch(pattern);
  expect(error.message).not.toContain('\n');
  if (hint !== undefined) expect(error.hint).toMatch(hint);
  expect(sha256(path)).toBe(before);
}

describe('refusals of what is not a raw HAOS disk (nothing written)', () => {
  it('a file that is not a disk image', async () => {
    const path = join(temp.dir, 'random.bin');
    writeFileSync(path, Buffer.alloc(1024 * 1024, 0x5a));
    await expectRefusal(path, /is not a disk image/, /disk image/);
  });
  it('a compressed image', async () => {
    const path = join(temp.dir, 'compressed.img');
    execFileSync('dd', [`if=${makeImage(join(temp.dir, 'for-gzip.img'), ['--bcrypt-cost', '4'])}`, `of=${path}`, 'bs=1M', 'count=8', 'status=none']);
    execFileSync('gzip', ['-1', path]);
    await expectRefusal(`${path}.gz`, /gzip-compressed/, /Decompress/);
  });
  it.each(['qcow2', 'vmdk', 'vdi', 'vhdx'])('a %s VM disk says so and how to convert it', async (format) => {
    const path = join(temp.dir, `haos.${format}`);
    execFileSync('qemu-img', ['create', '-q', '-f', format, path, '2G']);
    await expectRefusal(path, new RegExp(`^${path.replace(/[.]/g, '\\.')} is a VM disk \\(${format}\\), not a raw disk image$`),
      new RegExp(`^convert it with: qemu-img convert -O raw ${path.replace(/[.]/g, '\\.')} haos\\.img$`));
  });

  it('a folder', async () => {
    const path = join(temp.dir, 'config');
    mkdirSync(path);
    let caught: unknown;
    await openImageTarget(path, { write: true })(async () => undefined).catch((error: unknown) => (caught = error));
    expect(caught).toBeInstanceOf(HaError);
    expect((caught as HaError).hint).toMatch(/--config/);
  });
  it('a missing file', async () => {
    await expect(openImageTarget(join(temp.dir, 'nope.img'), { write: false })(async () => undefined)).rejects.toThrow(/No such image/);
  });
});

describe.each(TABLES)('image refusals on a HAOS %s image (nothing written)', (table) => {
  let fixture = '';
  let offset = 0;
  let n = 0;
  const fresh = (): string => copyImage(fixture, temp.dir, `${table}-${(n += 1)}.img`);
  beforeAll(() => {
    fixture = makeImage(join(temp.dir, `fixture-${table}.img`), ['--table', table]);
    offset = partitionOffset(fixture);
  });

  it('an image without a data partition', async () => {
    const path = fresh();
    if (table !== 'mbr') execFileSync('sfdisk', ['--part-label', path, '8', 'other-data'], { stdio: 'pipe' });
    debugfs(path, offset, 'ssv volume_name other', true);
    await expectRefusal(path, /no Home Assistant data partition \(found: .*hassos-boot/, /hassos-data/);
  });

  it('a truncated image', async () => {
    const path = fresh();
    truncateSync(path, 1500 * 1024 * 1024);
    await expectRefusal(path, /is truncated/, /cut short/);
  });

  it('a filesystem that was not cleanly unmounted', async () => {
    const path = fresh();
    debugfs(path, offset, 'ssv state 0', true);
    await expectRefusal(path, /not cleanly unmounted/, /e2fsck -fy/);
  });

  it('a filesystem with recorded errors', async () => {
    const path = fresh();
    debugfs(path, offset, 'ssv state 3', true);
    await expectRefusal(path, /errors recorded/, /e2fsck -fy/);
  });

  it('a read-only file', async () => {
    const path = fresh();
    chmodSync(path, 0o444);
    await expectRefusal(path, /is read-only/, /chmod u\+w/);
    const users = await openImageTarget(path, { write: false })((t) => t.listUsers());
    expect(users.map((u) => u.username)).toEqual(['alice', 'bob']);
  });


  it('two partitions labelled hassos-data: ambiguous, both named', async () => {
    const path = fresh();
    const overlay = table === 'mbr' ? 3 : 7;
    debugfs(path, partitionOffset(path, overlay), 'ssv volume_name hassos-data', true);
    const names = table === 'mbr' ? '3 \\(hassos-data\\) and 4 \\(hassos-data\\)' : '7 \\(hassos-overlay\\) and 8 \\(hassos-data\\)';
    await expectRefusal(path, new RegExp(`has 2 partitions labelled hassos-data: ${names}; not guessing`), /relabel/);
  });

  it('an ext4 larger than its partition (the table entry shrunk)', async () => {
    const path = fresh();
    const number = dataPartitionNumber(path);
    const { size } = partitionRange(path, number);
    execFileSync('sfdisk', ['--no-reread', '--no-tell-kernel', '-N', String(number), path], { input: `size=${size / 512 - 2048}\n`, stdio: 'pipe' });
    await expectRefusal(path, /ext4 filesystem of partition \d \(hassos-data\) \(1\.3 GiB\) is larger than the partition \(1\.2 GiB\)/, /overwrite another partition/);
  });

  it('a data partition overlapping the one before it', async () => {
    const path = fresh();
    const overlay = table === 'mbr' ? 3 : 7;
    const { offset: start, size } = partitionRange(path, overlay);
    if (table === 'mbr') patchMbrEntry(path, overlay - 1, size / 512 + 4096);
    else patchGptEntry(path, overlay, (start + size) / 512 + 4095);
    await expectRefusal(path, /partition \d \(hassos-data\) \(bytes \d+-\d+\) overlaps partition \d \(hassos-overlay\)/, /overwrite another partition/);
  });

  it.skipIf(table === 'mbr')('a GPT entry that ends before it starts', async () => {
    const path = fresh();
    patchGptEntry(path, 8, partitionOffset(path) / 512 - 1);
    await expectRefusal(path, /table entry of partition 8 \(hassos-data\) ends before it starts/, /partition table/);
  });
});

/** Sets the sector count of MBR entry `slot` (0-3), as a damaged table would have it (DOS layout, no checksum). */
function patchMbrEntry(path: string, slot: number, sectors: number): void {
  const fd = openSync(path, 'r+');
  const field = Buffer.alloc(4);
  field.writeUInt32LE(sectors);
  writeSync(fd, field, 0, 4, 0x1be + slot * 16 + 12);
  closeSync(fd);
}

/** Sets the last LBA of GPT entry `number` in the primary and backup tables and fixes both CRC32s (UEFI 2.10 5.3.2). */
function patchGptEntry(path: string, number: number, lastLba: number): void {
  const fd = openSync(path, 'r+');
  const read = (length: number, position: number): Buffer => {
    const b = Buffer.alloc(length);
    readSync(fd, b, 0, length, position);
    return b;
  };
  const primary = read(512, 512);
  for (const headerLba of [1, Number(primary.readBigUInt64LE(32))]) {
    const header = read(512, headerLba * 512);
    const entriesAt = Number(header.readBigUInt64LE(72)) * 512;
    const entries = read(header.readUInt32LE(80) * header.readUInt32LE(84), entriesAt);
    entries.writeBigUInt64LE(BigInt(lastLba), (number - 1) * header.readUInt32LE(84) + 40);
    writeSync(fd, entries, 0, entries.length, entriesAt);
    header.writeUInt32LE(crc32(entries), 88);
    header.writeUInt32LE(0, 16);
    header.writeUInt32LE(crc32(header.subarray(0, header.readUInt32LE(12))), 16);
    writeSync(fd, header, 0, 512, headerLba * 512);
  }
  closeSync(fd);
}
