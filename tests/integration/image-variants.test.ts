import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { bcryptVerify } from 'hash-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { openImageTarget, readImageInfo } from '../../src/targets/image';
import { STORAGE, debugfs, fsck, makeImage, makeTempDir, sha256 } from './image-fixture';

// The data partition is found by GPT name, by ext4 label (MBR, unnamed GPT) and as a bare filesystem.

const temp = makeTempDir();
afterAll(() => temp.cleanup());

/** Data partition offset as sfdisk reports it (the last partition in every variant). */
function lastPartitionOffset(image: string): number {
  const json = JSON.parse(execFileSync('sfdisk', ['-J', image], { encoding: 'utf8' })) as { partitiontable: { partitions: { start: number }[] } };
  const parts = json.partitiontable.partitions;
  return (parts[parts.length - 1]?.start ?? 0) * 512;
}

async function resetAndJudge(image: string, offset: number): Promise<void> {
  await openImageTarget(image, { write: true })((t) => t.resetPassword('carol', 'carols-new-password', { force: false }));
  expect(fsck(image, offset).status).toBe(0);
  const store = JSON.parse(debugfs(image, offset, `cat ${STORAGE}/auth_provider.homeassistant`)) as { data: { users: { password: string }[] } };
  const hash = Buffer.from(store.data.users[0]?.password ?? '', 'base64').toString('ascii');
  expect(await bcryptVerify({ password: 'carols-new-password', hash })).toBe(true);
}

describe('image variants', () => {
  const variants: [string, string[], Record<string, string | null>][] = [
    ['MBR (found by ext4 label)', ['--table', 'mbr'], { name: null, label: 'hassos-data' }],
    ['a disk the data was moved to (GPT hassos-data-external)', ['--data-name', 'hassos-data-external'], { name: 'hassos-data-external' }],
    ['GPT without partition names (found by ext4 label)', ['--no-part-names'], { name: null, label: 'hassos-data' }],
    ['GPT name only (ext4 label cleared)', ['--data-label', ''], { name: 'hassos-data', label: null }],
  ];
  for (const [title, args, expected] of variants) {
    it(title, async () => {
      const image = makeImage(join(temp.dir, `${title.replace(/\W+/g, '-')}.img`), [...args, '--user', 'carol:carols-password', '--bcrypt-cost', '4']);
      const offset = lastPartitionOffset(image);
      const info = await readImageInfo(image);
      expect(info.data).toMatchObject({ ...expected, offsetBytes: offset });
      expect(info.users?.map((u) => u.username)).toEqual(['carol']);
      await resetAndJudge(image, offset);
    });
  }

  it('an SD card whose data was moved away (label hassos-data-old) is refused, unchanged', async () => {
    const image = makeImage(join(temp.dir, 'moved.img'), ['--data-label', 'hassos-data-old', '--bcrypt-cost', '4']);
    const before = sha256(image);
    const attempt = openImageTarget(image, { write: true })((t) => t.listUsers());
    await expect(attempt).rejects.toThrow(/old copy of the data partition/);
    expect(sha256(image)).toBe(before);
  });

  it('a bare data filesystem (a partition device or a dump of one)', async () => {
    const image = makeImage(join(temp.dir, 'whole.img'), ['--user', 'carol:carols-password', '--bcrypt-cost', '4']);
    const offset = lastPartitionOffset(image);
    const bare = join(temp.dir, 'data-partition.img');
    execFileSync('dd', [`if=${image}`, `of=${bare}`, 'bs=1M', `skip=${offset / 1048576}`, 'conv=sparse', 'status=none']);
    const info = await readImageInfo(bare);
    expect(info.table).toBe('none');
    expect(info.data).toMatchObject({ index: 0, label: 'hassos-data', offsetBytes: 0 });
    await resetAndJudge(bare, 0);
  });
});
