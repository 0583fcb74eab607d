import { Ext4UnsupportedError } from '../ext4-read/errors';
import { descriptorOffset, parseGeometry, type Ext4Geometry } from '../ext4-read/geometry';

// Where an ext3/ext4 filesystem keeps its internal journal: the journal inode (s_journal_inum, normally 8)
// read straight from the inode table, its blocks mapped through the extent tree (ext4) or the indirect
// block map (ext3). Pure byte parsing over an injected reader of the filesystem's bytes.

/** Reads `length` bytes at byte `offset` of the filesystem (partition-relative). */
export type FsReader = (offset: number, length: number) => Promise<Buffer>;

/** A run of journal blocks that are contiguous on disk. */
export interface BlockRun {
  /** First journal (logical) block of the run. */
  readonly logical: number;
  /** Filesystem block it lives at. */
  readonly physical: number;
  readonly length: number;
  /** An unwritten (preallocated) extent: reads as zeros whatever the blocks hold. */
  readonly unwritten?: boolean;
}

/** A piece of a byte range that lies in one run: `length` bytes at `physicalByte` go to `outOffset` of the range. */
export interface RunSlice {
  readonly outOffset: number;
  readonly physicalByte: number;
  readonly length: number;
}

/**
 * Where bytes `offset..offset+length` of a file live, given its runs sorted by logical block: one slice per run
 * that holds some of them, in order. Unwritten runs and holes give no slice (they read as zeros).
 */
export function runSlices(runs: readonly BlockRun[], blockSize: number, offset: number, length: number): RunSlice[] {
  const slices: RunSlice[] = [];
  if (length <= 0) return slices;
  const first = Math.floor(offset / blockSize);
  const last = Math.floor((offset + length - 1) / blockSize);
  for (const run of runs) {
    if (run.unwritten === true || run.logical > last || run.logical + run.length <= first) continue;
    const from = Math.max(first, run.logical);
    const to = Math.min(last, run.logical + run.length - 1);
    const startByte = Math.max(offset, from * blockSize);
    const endByte = Math.min(offset + length, (to + 1) * blockSize);
    const physicalByte = (run.physical + (from - run.logical)) * blockSize + (startByte - from * blockSize);
    slices.push({ outOffset: startByte - offset, physicalByte, length: endByte - startByte });
  }
  return slices;
}

/** The internal journal's place in the filesystem. */
export interface JournalPlacement {
  readonly inode: number;
  readonly blockSize: number;
  /** Journal size in blocks (from the inode's size). */
  readonly blocks: number;
  /** Sorted by logical block, covering 0..blocks-1 where the inode maps them. */
  readonly runs: readonly BlockRun[];
}

/** The filesystem's journal cannot be found or mapped. */
export class JournalPlacementError extends Error {
  override readonly name = 'JournalPlacementError';
}

const COMPAT_HAS_JOURNAL = 0x4;
const EXTENTS_FLAG = 0x80000;
const INLINE_DATA_FLAG = 0x10000000;
const EXTENT_MAGIC = 0xf30a;
const MAX_EXTENT_DEPTH = 5;

/** The filesystem's geometry (as the reader parses it: descriptors placed as meta_bg places them) and its journal. */
interface FsGeometry extends Ext4Geometry {
  readonly journalInode: number;
  readonly journalDevice: number;
}

function geometry(sb: Buffer): FsGeometry {
  try {
    return { ...parseGeometry(sb), journalInode: sb.readUInt32LE(0xe0), journalDevice: sb.readUInt32LE(0xe4) };
  } catch (error) {
    if (error instanceof Ext4UnsupportedError) throw new JournalPlacementError(error.message);
    throw error;
  }
}

/** True when the filesystem has a journal (compat has_journal). */
export function hasJournal(sb: Buffer): boolean {
  return (sb.readUInt32LE(0x5c) & COMPAT_HAS_JOURNAL) !== 0;
}

async function readInode(read: FsReader, geo: FsGeometry, inode: number): Promise<Buffer> {
  if (geo.inodesPerGroup === 0) throw new JournalPlacementError('the superblock has no inodes per group');
  const group = Math.floor((inode - 1) / geo.inodesPerGroup);
  const index = (inode - 1) % geo.inodesPerGroup;
  const desc = await read(descriptorOffset(geo, group), geo.descSize);
  const tableLow = desc.readUInt32LE(0x8);
  const tableHigh = geo.wide && geo.descSize >= 64 ? desc.readUInt32LE(0x28) : 0;
  const table = tableHigh * 2 ** 32 + tableLow;
  if (table === 0) throw new JournalPlacementError(`the group descriptor of inode ${inode} has no inode table`);
  return read(table * geo.blockSize + index * geo.inodeSize, geo.inodeSize);
}

async function extentRuns(read: FsReader, geo: FsGeometry, node: Buffer, depth: number, runs: BlockRun[]): Promise<void> {
  if (node.readUInt16LE(0) !== EXTENT_MAGIC) throw new JournalPlacementError('the journal inode\'s extent tree is corrupt (bad magic)');
  const entries = node.readUInt16LE(2);
  const treeDepth = node.readUInt16LE(6);
  if (treeDepth > MAX_EXTENT_DEPTH || depth > MAX_EXTENT_DEPTH) throw new JournalPlacementError('the journal inode\'s extent tree is too deep');
  if (12 + entries * 12 > node.length) throw new JournalPlacementError('the journal inode\'s extent tree is corrupt (too many entries)');
  for (let i = 0; i < entries; i += 1) {
    const at = 12 + i * 12;
    const logical = node.readUInt32LE(at);
    if (treeDepth === 0) {
      const rawLength = node.readUInt16LE(at + 4);
      const length = rawLength > 32768 ? rawLength - 32768 : rawLength;
      const physical = node.readUInt16LE(at + 6) * 2 ** 32 + node.readUInt32LE(at + 8);
      runs.push(rawLength > 32768 ? { logical, physical, length, unwritten: true } : { logical, physical, length });
    } else {
      const child = node.readUInt16LE(at + 8) * 2 ** 32 + node.readUInt32LE(at + 4);
      await extentRuns(read, geo, await read(child * geo.blockSize, geo.blockSize), depth + 1, runs);
    }
  }
}

/** Appends runs for the blocks an indirect tree points at (`level` 0 = the pointer is a data block). */
async function indirectRuns(read: FsReader, geo: FsGeometry, pointer: number, level: number, next: { logical: number }, runs: BlockRun[]): Promise<void> {
  if (pointer === 0) {
    next.logical += (geo.blockSize / 4) ** level;
    return;
  }
  if (level === 0) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last.logical + last.length === next.logical && last.physical + last.length === pointer) {
      runs[runs.length - 1] = { ...last, length: last.length + 1 };
    } else {
      runs.push({ logical: next.logical, physical: pointer, length: 1 });
    }
    next.logical += 1;
    return;
  }
  const block = await read(pointer * geo.blockSize, geo.blockSize);
  for (let i = 0; i < geo.blockSize / 4; i += 1) await indirectRuns(read, geo, block.readUInt32LE(i * 4), level - 1, next, runs);
}

/** An inode's size and block runs, read straight from the inode table (extent tree or indirect map). */
export async function mapInode(read: FsReader, sb: Buffer, inodeNumber: number): Promise<{ sizeBytes: number; generation: number; runs: BlockRun[] }> {
  const geo = geometry(sb);
  const inode = await readInode(read, geo, inodeNumber);
  if ((inode.readUInt32LE(0x20) & INLINE_DATA_FLAG) !== 0) throw new JournalPlacementError(`inode ${inodeNumber} keeps its data inline`);
  const sizeBytes = inode.readUInt32LE(0x6c) * 2 ** 32 + inode.readUInt32LE(0x4);
  const blocks = Math.ceil(sizeBytes / geo.blockSize);
  const iBlock = inode.subarray(0x28, 0x28 + 60);
  const runs: BlockRun[] = [];
  if ((inode.readUInt32LE(0x20) & EXTENTS_FLAG) !== 0) {
    await extentRuns(read, geo, iBlock, 0, runs);
  } else {
    const next = { logical: 0 };
    for (let i = 0; i < 15 && next.logical < blocks; i += 1) {
      await indirectRuns(read, geo, iBlock.readUInt32LE(i * 4), i < 12 ? 0 : i - 11, next, runs);
    }
  }
  runs.sort((a, b) => a.logical - b.logical);
  return { sizeBytes, generation: inode.readUInt32LE(0x64), runs };
}

/** Finds and maps the internal journal; undefined when the filesystem has none. */
export async function locateJournal(read: FsReader, sb: Buffer): Promise<JournalPlacement | undefined> {
  if (!hasJournal(sb)) return undefined;
  const geo = geometry(sb);
  if (geo.journalInode === 0) {
    throw new JournalPlacementError(geo.journalDevice !== 0 ? 'the journal is on a separate device, which is not supported' : 'the superblock names no journal inode');
  }
  const { sizeBytes, runs } = await mapInode(read, sb, geo.journalInode);
  const blocks = Math.floor(sizeBytes / geo.blockSize);
  if (blocks === 0 || runs.length === 0) throw new JournalPlacementError('the journal inode is empty');
  return { inode: geo.journalInode, blockSize: geo.blockSize, blocks, runs };
}

/** Filesystem block of journal block `logical`; undefined when the inode does not map it. */
export function physicalBlock(placement: JournalPlacement, logical: number): number | undefined {
  let low = 0;
  let high = placement.runs.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const run = placement.runs[mid];
    if (run === undefined) return undefined;
    if (logical < run.logical) high = mid - 1;
    else if (logical >= run.logical + run.length) low = mid + 1;
    else return run.physical + (logical - run.logical);
  }
  return undefined;
}
