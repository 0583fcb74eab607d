import type { BlockRun } from '../journal/journal-inode';
import { Ext4ReadError } from './errors';
import type { Ext4Geometry } from './geometry';
import { FLAG_EXTENTS, type Ext4Inode } from './inode';

// Where a file's blocks are: its extent tree (ext4; index nodes read level by level, all of a level at once)
// or its indirect block map (ext2/ext3: 12 direct pointers, then single, double and triple indirect blocks).
// The result is sorted runs of logical blocks that are contiguous on disk; holes are simply absent.

/** Reads `length` bytes at byte `offset` of the filesystem. */
export type FsRead = (offset: number, length: number) => Promise<Buffer>;

const EXTENT_MAGIC = 0xf30a;
const MAX_DEPTH = 5;
const UNWRITTEN_LENGTH = 32768;

function checkHeader(node: Buffer, ino: number, depth: number | undefined): { entries: number; depth: number } {
  const entries = node.readUInt16LE(2);
  const max = node.readUInt16LE(4);
  const nodeDepth = node.readUInt16LE(6);
  if (node.readUInt16LE(0) !== EXTENT_MAGIC) throw new Ext4ReadError('EIO', `inode ${ino}'s extent tree is damaged (bad magic)`);
  if (entries > max || 12 + max * 12 > node.length || nodeDepth > MAX_DEPTH || (depth !== undefined && nodeDepth !== depth)) {
    throw new Ext4ReadError('EIO', `inode ${ino}'s extent tree is damaged (entries ${entries}/${max}, depth ${nodeDepth})`);
  }
  return { entries, depth: nodeDepth };
}

async function extentRuns(read: FsRead, geo: Ext4Geometry, inode: Ext4Inode): Promise<BlockRun[]> {
  const runs: BlockRun[] = [];
  let level: Buffer[] = [inode.iBlock];
  let depth: number | undefined;
  for (;;) {
    const children: number[] = [];
    for (const node of level) {
      const header = checkHeader(node, inode.ino, depth);
      depth = header.depth;
      for (let i = 0; i < header.entries; i += 1) {
        const at = 12 + i * 12;
        const logical = node.readUInt32LE(at);
        if (header.depth === 0) {
          const raw = node.readUInt16LE(at + 4);
          const length = raw > UNWRITTEN_LENGTH ? raw - UNWRITTEN_LENGTH : raw;
          const physical = node.readUInt16LE(at + 6) * 2 ** 32 + node.readUInt32LE(at + 8);
          if (length > 0) runs.push(raw > UNWRITTEN_LENGTH ? { logical, physical, length, unwritten: true } : { logical, physical, length });
        } else {
          children.push(node.readUInt16LE(at + 8) * 2 ** 32 + node.readUInt32LE(at + 4));
        }
      }
    }
    if (depth === undefined || depth === 0 || children.length === 0) break;
    depth -= 1;
    level = await Promise.all(children.map((block) => read(block * geo.blockSize, geo.blockSize)));
  }
  return runs;
}

function pushBlock(runs: BlockRun[], logical: number, physical: number): void {
  const last = runs[runs.length - 1];
  if (last !== undefined && last.logical + last.length === logical && last.physical + last.length === physical) {
    runs[runs.length - 1] = { logical: last.logical, physical: last.physical, length: last.length + 1 };
  } else {
    runs.push({ logical, physical, length: 1 });
  }
}

async function indirectRuns(read: FsRead, geo: Ext4Geometry, inode: Ext4Inode): Promise<BlockRun[]> {
  const runs: BlockRun[] = [];
  const perBlock = geo.blockSize / 4;
  const blocks = Math.ceil(inode.size / geo.blockSize);
  // Walks the pointer `pointer` of `level` (0: a data block) that maps logical blocks from `first`.
  const walk = async (pointer: number, level: number, first: number): Promise<void> => {
    if (pointer === 0 || first >= blocks) return;
    if (level === 0) {
      pushBlock(runs, first, pointer);
      return;
    }
    const table = await read(pointer * geo.blockSize, geo.blockSize);
    const span = perBlock ** (level - 1);
    for (let i = 0; i < perBlock && first + i * span < blocks; i += 1) await walk(table.readUInt32LE(i * 4), level - 1, first + i * span);
  };
  for (let i = 0; i < 12; i += 1) await walk(inode.iBlock.readUInt32LE(i * 4), 0, i);
  await walk(inode.iBlock.readUInt32LE(48), 1, 12);
  await walk(inode.iBlock.readUInt32LE(52), 2, 12 + perBlock);
  await walk(inode.iBlock.readUInt32LE(56), 3, 12 + perBlock + perBlock * perBlock);
  return runs;
}

/** The block runs of a file, directory or slow symlink, sorted by logical block. */
export async function blockRuns(read: FsRead, geo: Ext4Geometry, inode: Ext4Inode): Promise<BlockRun[]> {
  const runs = (inode.flags & FLAG_EXTENTS) !== 0 ? await extentRuns(read, geo, inode) : await indirectRuns(read, geo, inode);
  runs.sort((a, b) => a.logical - b.logical);
  for (const run of runs) {
    if (run.physical + run.length > geo.blocksCount || run.physical < geo.firstDataBlock) {
      throw new Ext4ReadError('EIO', `inode ${inode.ino}'s block map is damaged (blocks ${run.physical}..${run.physical + run.length - 1} are outside the filesystem)`);
    }
  }
  for (let i = 1; i < runs.length; i += 1) {
    const before = runs[i - 1];
    const run = runs[i];
    if (before !== undefined && run !== undefined && before.logical + before.length > run.logical) {
      throw new Ext4ReadError('EIO', `inode ${inode.ino}'s block map is damaged (overlapping extents at block ${run.logical})`);
    }
  }
  return runs;
}
