import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointReplay } from '../../src/targets/image/journal/journal-commit';
import { JBD2_MAGIC } from '../../src/targets/image/journal/jbd2-format';
import { debugfsWrite, fileBlocks, fsckReadOnly, makeDataFs, openBareFs, patchFile, sha256, superblockOf } from '../helpers/journal-fixture';
import { makeTempDir } from './image-fixture';

// Journal replay judged by e2fsprogs: transactions written by debugfs's own journal writer (jo/jw/jc, which
// never replays), replayed once by `debugfs jr` (e2fsprogs' recovery code) and once by ours; every block
// of the two results must be equal but for the superblock and the journal superblock, whose meaningful
// fields are compared instead.

let work: { dir: string; cleanup: () => void };
beforeAll(() => {
  work = makeTempDir();
});
afterAll(() => work.cleanup());

function randomBlock(size: number, seed: number, magicFirst = false): Buffer {
  const block = Buffer.alloc(size);
  let x = seed * 2654435761;
  for (let i = 0; i < size; i += 4) {
    x = (x ^ (x << 13) ^ (x >>> 17) ^ (x << 5)) >>> 0;
    block.writeUInt32LE(x, i);
  }
  if (magicFirst) block.writeUInt32BE(JBD2_MAGIC, 0);
  return block;
}

/** Free blocks near the end of the filesystem to write transactions into (never metadata). */
function targets(image: string, count: number): number[] {
  const sb = superblockOf(image);
  const total = sb.sizeBytes / sb.blockSizeBytes;
  return Array.from({ length: count }, (_, i) => total - 64 + i);
}

function blocksOf(image: string, blockSize: number): Buffer[] {
  const data = readFileSync(image);
  const out: Buffer[] = [];
  for (let at = 0; at < data.length; at += blockSize) out.push(data.subarray(at, at + blockSize));
  return out;
}

/** Replays with our code onto a copy and with `debugfs jr` onto another; returns both paths. */
async function replayBoth(image: string, name: string): Promise<{ ours: string; theirs: string }> {
  const ours = join(work.dir, `${name}-ours.img`);
  const theirs = join(work.dir, `${name}-theirs.img`);
  copyFileSync(image, ours);
  copyFileSync(image, theirs);
  debugfsWrite(theirs, ['jr']);
  const opened = await openBareFs(ours, true);
  try {
    if (opened.journal.card === undefined) throw new Error('no journal');
    await checkpointReplay(opened.overlay, opened.disk, opened.journal.card);
  } finally {
    await opened.close();
  }
  return { ours, theirs };
}

function expectSameBlocks(ours: string, theirs: string, blockSize: number, skip: readonly number[]): void {
  const a = blocksOf(ours, blockSize);
  const b = blocksOf(theirs, blockSize);
  expect(a.length).toBe(b.length);
  const differing: number[] = [];
  a.forEach((block, i) => {
    if (!skip.includes(i) && !block.equals(b[i] ?? Buffer.alloc(0))) differing.push(i);
  });
  expect(differing).toEqual([]);
}

function journalSuperblockBlock(image: string): number {
  return fileBlocks(image, '<8>')[0] ?? -1;
}

describe.each([
  { name: '4k-csum-v3', blockSize: 4096 as const, open: 'jo -c' },
  { name: '4k-plain', blockSize: 4096 as const, open: 'jo' },
  { name: '1k-csum-v3', blockSize: 1024 as const, open: 'jo -c' },
  // Group descriptors in blocks of their own per meta group (two here): the free totals settled after the
  // replay must be summed from every group's descriptor where it lives, or e2fsck finds them wrong.
  { name: '1k-meta_bg', blockSize: 1024 as const, open: 'jo -c', features: 'orphan_file,metadata_csum_seed,meta_bg,^resize_inode', sizeMiB: 200 },
] as const)('replay of debugfs transactions ($name)', ({ name, blockSize, open, ...fs }) => {
  it('equals e2fsprogs\' replay: several transactions, a revoke, an escaped block', async () => {
    const image = makeDataFs(join(work.dir, `${name}.img`), work.dir, { blockSize, ...fs });
    const [a, b, c, d] = targets(image, 4) as [number, number, number, number];
    const files = [randomBlock(blockSize, 1), randomBlock(blockSize, 2), randomBlock(blockSize, 3, true), randomBlock(blockSize, 4)];
    files.forEach((data, i) => writeFileSync(join(work.dir, `${name}-d${i}.bin`), data));
    const f = (i: number): string => join(work.dir, `${name}-d${i}.bin`);
    const two = Buffer.concat([files[0] ?? Buffer.alloc(0), files[1] ?? Buffer.alloc(0)]);
    writeFileSync(join(work.dir, `${name}-two.bin`), two);
    debugfsWrite(image, [open, `jw -b ${a},${b} ${join(work.dir, `${name}-two.bin`)}`, `jw -b ${c} ${f(2)}`, `jw -r ${b}`, `jw -b ${d} ${f(3)}`, 'jc']);
    expect(superblockOf(image).needsRecovery).toBe(true);
    const before = sha256(image);

    // A read session sees the replayed blocks and leaves the image as it was.
    const view = await openBareFs(image);
    try {
      expect(view.journal.plan?.endTransaction! - view.journal.plan?.firstTransaction!).toBe(4);
      expect(await view.overlay.readBlock(a)).toEqual(files[0]);
      expect(await view.overlay.readBlock(c)).toEqual(files[2]); // the escaped block, magic restored
    } finally {
      await view.close();
    }
    expect(sha256(image)).toBe(before);

    const { ours, theirs } = await replayBoth(image, name);
    const sbBlock = blockSize === 1024 ? 1 : 0;
    expectSameBlocks(ours, theirs, blockSize, [sbBlock, journalSuperblockBlock(image)]);
    const sbOurs = superblockOf(ours);
    const sbTheirs = superblockOf(theirs);
    expect(sbOurs.needsRecovery).toBe(false);
    expect({ ...sbOurs }).toEqual({ ...sbTheirs });
    expect(fsckReadOnly(ours).status).toBe(0);
    // The revoke in transaction 3 drops block b's copy from transaction 1; block d (transaction 4) lands.
    const ourBlocks = blocksOf(ours, blockSize);
    expect(ourBlocks[b]?.equals(files[1] ?? Buffer.alloc(0))).toBe(false);
    expect(ourBlocks[d]).toEqual(files[3]);
  });
});

describe('journals the kernel would not replay', () => {
  it('refuses a data block whose checksum is wrong, naming the damage, and changes nothing', async () => {
    const image = makeDataFs(join(work.dir, 'bad-data.img'), work.dir);
    const [a] = targets(image, 1) as [number];
    writeFileSync(join(work.dir, 'bad.bin'), randomBlock(4096, 9));
    debugfsWrite(image, ['jo -c', `jw -b ${a} ${join(work.dir, 'bad.bin')}`, 'jc']);
    // Journal block 2 is the data block of the first transaction (1 = descriptor).
    const journalStart = journalSuperblockBlock(image);
    patchFile(image, (journalStart + 2) * 4096 + 100, Buffer.from([0xff, 0x00, 0xff]));
    const before = sha256(image);
    await expect(openBareFs(image)).rejects.toThrow(/journal cannot be used: a block in the journal has a bad checksum/);
    expect(sha256(image)).toBe(before);
  });

  it('ignores a journal whose filesystem is not flagged for recovery, as the kernel does', async () => {
    const image = makeDataFs(join(work.dir, 'unflagged.img'), work.dir);
    const [a] = targets(image, 1) as [number];
    writeFileSync(join(work.dir, 'u.bin'), randomBlock(4096, 5));
    debugfsWrite(image, ['jo -c', `jw -b ${a} ${join(work.dir, 'u.bin')}`, 'jc', 'feature -needs_recovery']);
    const view = await openBareFs(image);
    try {
      expect(view.journal.plan).toBeUndefined();
      expect(await view.overlay.readBlock(a)).not.toEqual(randomBlock(4096, 5));
    } finally {
      await view.close();
    }
  });
});
