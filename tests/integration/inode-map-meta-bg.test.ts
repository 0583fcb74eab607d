import { execFileSync } from 'node:child_process';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseGeometry } from '../../src/targets/image/ext4-read/geometry';
import { mapInode, type FsReader } from '../../src/targets/image/journal/journal-inode';
import { directoryDamage } from '../../src/targets/image/dir-check';
import { debugfsWrite, makeDataFs } from '../helpers/journal-fixture';
import { makeTempDir } from './image-fixture';

// Inodes read straight from the inode table (the journal inode, the folders the recovery tasks check) must find
// their group's descriptor where the filesystem keeps it: with meta_bg, each meta group's descriptors sit at its
// own start, not after the superblock. Judged by debugfs on an inode placed in the second meta group.

const work = makeTempDir();
afterAll(() => work.cleanup());

/** Filesystem blocks of inode `ino` as debugfs lists them (data blocks, in logical order). */
function debugfsBlocks(image: string, ino: number): number[] {
  return execFileSync('debugfs', ['-R', `blocks <${ino}>`, image], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split(/\s+/).map(Number);
}

/** Reads the image file's bytes, as the session's reader of the filesystem does. */
function readerOf(handle: FileHandle): FsReader {
  return async (offset, length) => {
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, offset);
    return buffer;
  };
}

function inodeNumber(image: string, path: string): number {
  const text = execFileSync('debugfs', ['-R', `stat "${path}"`, image], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return Number(/Inode:\s+(\d+)/.exec(text)?.[1]);
}

describe('inodes in a later meta group (meta_bg)', () => {
  it('a file and a folder copied into the second meta group map as debugfs maps them', async () => {
    const image = makeDataFs(join(work.dir, 'meta-bg.img'), work.dir, {
      blockSize: 1024, sizeMiB: 200, features: 'orphan_file,metadata_csum_seed,meta_bg,^resize_inode',
    });
    const handle = await open(image, 'r');
    try {
      const sb = await readerOf(handle)(1024, 1024);
      const geo = parseGeometry(sb);
      const perMetaGroup = geo.blockSize / geo.descSize;
      const groups = Math.ceil((geo.blocksCount - geo.firstDataBlock) / geo.blocksPerGroup);
      expect(geo.metaBg).toBe(true);
      expect(groups).toBeGreaterThan(perMetaGroup + 1);
      // Copies of a file's and a folder's inodes into a group of the second meta group.
      const group = perMetaGroup + 1;
      const file = inodeNumber(image, '/supervisor/homeassistant/.storage/auth');
      const folder = inodeNumber(image, '/supervisor/homeassistant/.storage');
      const fileCopy = group * geo.inodesPerGroup + 1;
      const folderCopy = fileCopy + 1;
      await handle.close();
      debugfsWrite(image, [`copy_inode <${file}> <${fileCopy}>`, `seti <${fileCopy}>`, `copy_inode <${folder}> <${folderCopy}>`, `seti <${folderCopy}>`]);
      const again = await open(image, 'r');
      const readAgain = readerOf(again);
      try {
        const mapped = await mapInode(readAgain, sb, fileCopy);
        const blocks = mapped.runs.flatMap((run) => Array.from({ length: run.length }, (_, i) => run.physical + i));
        expect(blocks).toEqual(debugfsBlocks(image, fileCopy));
        expect(blocks).toEqual(debugfsBlocks(image, file));
        // The folder's blocks are checked as the recovery tasks check `.storage` (its checksum is seeded with its
        // own inode number, so the copy's fails, naming the block: the copy's blocks were found and read).
        expect(await directoryDamage(readAgain, sb, folder)).toBeUndefined();
        expect(await directoryDamage(readAgain, sb, folderCopy)).toMatch(/^block 0 \(filesystem block \d+\): /);
      } finally {
        await again.close();
      }
    } finally {
      await handle.close().catch(() => undefined);
    }
  });
});
