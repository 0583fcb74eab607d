import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { bcryptVerify } from 'hash-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { openImageTarget, readImageInfo } from '../../src/targets/image';
import { TABLES, fsck, makeImage, makeTempDir, partitionOffset, partitionRange, sha256, storedHash } from './image-fixture';

// The data partition is found by GPT name, by ext4 label (MBR, unnamed GPT) and as a bare filesystem, on each
// partition table, also after the first boot grew it.

const temp = makeTempDir();
afterAll(() => temp.cleanup());

async function resetAndJudge(image: string, offset: number): Promise<void> {
  await openImageTarget(image, { write: true })((t) => t.resetPassword('carol', 'carols-new-password', { force: false }));
  expect(fsck(image, offset).status).toBe(0);
  expect(await bcryptVerify({ password: 'carols-new-password', hash: storedHash(image, offset, 'carol') })).toBe(true);
}

describe.each(TABLES)('image variants (%s)', (table) => {
  const gpt = table !== 'mbr';
  const variants: [string, string[], Record<string, string | number | null>][] = [
    ['grown as after the first boot (--size 3G)', ['--size', '3G'], { name: gpt ? 'hassos-data' : null, label: 'hassos-data' }],
    ['ext4 label only (GPT names cleared)', ['--no-part-names'], { name: null, label: 'hassos-data' }],
    ...(gpt ? [
      ['a disk the data was moved to (GPT hassos-data-external)', ['--data-name', 'hassos-data-external'], { name: 'hassos-data-external' }],
      ['GPT name only (ext4 label cleared)', ['--data-label', ''], { name: 'hassos-data', label: null }],
    ] as [string, string[], Record<string, string | null>][] : []),
  ];
  for (const [title, args, expected] of variants) {
    it(title, async () => {
      const image = makeImage(join(temp.dir, `${table}-${title.replace(/\W+/g, '-')}.img`), ['--table', table, ...args, '--user', 'carol:carols-password', '--bcrypt-cost', '4']);
      const offset = partitionOffset(image);
      const info = await readImageInfo(image);
      expect(info.table).toBe(table);
      expect(info.data).toMatchObject({ ...expected, offsetBytes: offset, sizeBytes: partitionRange(image, gpt ? 8 : 4).size });
      expect(info.users?.map((u) => u.username)).toEqual(['carol']);
      await resetAndJudge(image, offset);
    });
  }

  it('an SD card whose data was moved away (label hassos-data-old) is refused, unchanged', async () => {
    const image = makeImage(join(temp.dir, `${table}-moved.img`), ['--table', table, '--data-label', 'hassos-data-old', '--bcrypt-cost', '4']);
    const before = sha256(image);
    const attempt = openImageTarget(image, { write: true })((t) => t.listUsers());
    await expect(attempt).rejects.toThrow(/old copy of the data partition/);
    expect(sha256(image)).toBe(before);
  });

  it('a bare data filesystem (a partition device or a dump of one)', async () => {
    const image = makeImage(join(temp.dir, `${table}-whole.img`), ['--table', table, '--user', 'carol:carols-password', '--bcrypt-cost', '4']);
    const bare = join(temp.dir, `${table}-data-partition.img`);
    // e2image copies the used blocks of the filesystem at the offset into a sparse file of its size.
    execFileSync('e2image', ['-ra', '-o', String(partitionOffset(image)), image, bare], { stdio: 'pipe' });
    const info = await readImageInfo(bare);
    expect(info.table).toBe('none');
    expect(info.data).toMatchObject({ index: 0, label: 'hassos-data', offsetBytes: 0 });
    await resetAndJudge(bare, 0);
  });
});
