import { Ext4UnsupportedError } from './errors';

// The superblock fields the reader needs, and where a block group's descriptor lives (classic layout right
// after the superblock, or meta_bg's per-meta-group blocks as e2fsprogs' ext2fs_descriptor_block_loc2
// places them). Pure byte parsing.

const MAGIC = 0xef53;
const COMPAT_SPARSE_SUPER2 = 0x200;
const RO_COMPAT_SPARSE_SUPER = 0x1;
const RO_COMPAT_METADATA_CSUM = 0x400;
const INCOMPAT_COMPRESSION = 0x1;
const INCOMPAT_FILETYPE = 0x2;
const INCOMPAT_RECOVER = 0x4;
const INCOMPAT_JOURNAL_DEV = 0x8;
const INCOMPAT_META_BG = 0x10;
const INCOMPAT_EXTENTS = 0x40;
const INCOMPAT_64BIT = 0x80;
const INCOMPAT_MMP = 0x100;
const INCOMPAT_FLEX_BG = 0x200;
const INCOMPAT_EA_INODE = 0x400;
const INCOMPAT_DIRDATA = 0x1000;
const INCOMPAT_CSUM_SEED = 0x2000;
const INCOMPAT_LARGEDIR = 0x4000;
const INCOMPAT_INLINE_DATA = 0x8000;
const INCOMPAT_ENCRYPT = 0x10000;
const INCOMPAT_CASEFOLD = 0x20000;
/** Features that change nothing about how files and folders are read (or that the reader handles). */
const INCOMPAT_READABLE = INCOMPAT_FILETYPE | INCOMPAT_RECOVER | INCOMPAT_META_BG | INCOMPAT_EXTENTS | INCOMPAT_64BIT | INCOMPAT_MMP
  | INCOMPAT_FLEX_BG | INCOMPAT_EA_INODE | INCOMPAT_CSUM_SEED | INCOMPAT_LARGEDIR | INCOMPAT_INLINE_DATA | INCOMPAT_ENCRYPT | INCOMPAT_CASEFOLD;

/** What the reader needs to know about a filesystem. */
export interface Ext4Geometry {
  readonly blockSize: number;
  readonly firstDataBlock: number;
  readonly blocksPerGroup: number;
  readonly inodesPerGroup: number;
  readonly inodesCount: number;
  readonly blocksCount: number;
  readonly inodeSize: number;
  readonly descSize: number;
  /** 64bit: descriptors and block numbers carry high halves. */
  readonly wide: boolean;
  /** Directory entries carry a file type byte (name length is one byte). */
  readonly filetype: boolean;
  readonly metaBg: boolean;
  readonly firstMetaBg: number;
  readonly sparseSuper: boolean;
  readonly sparseSuper2: boolean;
  readonly backupBgs: readonly [number, number];
  readonly metadataCsum: boolean;
}

/** Parses the 1024-byte superblock; throws Ext4UnsupportedError for what the reader cannot read. */
export function parseGeometry(sb: Buffer): Ext4Geometry {
  if (sb.length < 1024 || sb.readUInt16LE(0x38) !== MAGIC) throw new Ext4UnsupportedError('not an ext2/3/4 superblock');
  const logBlock = sb.readUInt32LE(0x18);
  if (logBlock > 6) throw new Ext4UnsupportedError(`block size 2^${10 + logBlock} is not supported`);
  const incompat = sb.readUInt32LE(0x60);
  const unknown = incompat & ~INCOMPAT_READABLE;
  if ((unknown & INCOMPAT_JOURNAL_DEV) !== 0) throw new Ext4UnsupportedError('this is an external journal, not a filesystem');
  if (unknown !== 0) {
    const named = [[INCOMPAT_COMPRESSION, 'compression'], [INCOMPAT_DIRDATA, 'dirdata']].filter(([bit]) => ((bit as number) & unknown) !== 0).map(([, name]) => name);
    throw new Ext4UnsupportedError(`the filesystem uses features this reader does not read (${named.length > 0 ? named.join(', ') : `incompat 0x${unknown.toString(16)}`})`);
  }
  const rev = sb.readUInt32LE(0x4c);
  const wide = (incompat & INCOMPAT_64BIT) !== 0;
  const blockSize = 1024 * 2 ** logBlock;
  const geometry: Ext4Geometry = {
    blockSize,
    firstDataBlock: sb.readUInt32LE(0x14),
    blocksPerGroup: sb.readUInt32LE(0x20),
    inodesPerGroup: sb.readUInt32LE(0x28),
    inodesCount: sb.readUInt32LE(0x00),
    blocksCount: (wide ? sb.readUInt32LE(0x150) * 2 ** 32 : 0) + sb.readUInt32LE(0x04),
    inodeSize: rev === 0 ? 128 : sb.readUInt16LE(0x58),
    descSize: wide ? sb.readUInt16LE(0xfe) : 32,
    wide,
    filetype: (incompat & INCOMPAT_FILETYPE) !== 0,
    metaBg: (incompat & INCOMPAT_META_BG) !== 0,
    firstMetaBg: sb.readUInt32LE(0x104),
    sparseSuper: (sb.readUInt32LE(0x64) & RO_COMPAT_SPARSE_SUPER) !== 0,
    sparseSuper2: (sb.readUInt32LE(0x5c) & COMPAT_SPARSE_SUPER2) !== 0,
    backupBgs: [sb.readUInt32LE(0x24c), sb.readUInt32LE(0x250)],
    metadataCsum: (sb.readUInt32LE(0x64) & RO_COMPAT_METADATA_CSUM) !== 0,
  };
  if (geometry.inodesPerGroup === 0 || geometry.blocksPerGroup === 0) throw new Ext4UnsupportedError('the superblock has no inodes or blocks per group');
  if (geometry.inodeSize < 128 || geometry.inodeSize > blockSize || (geometry.inodeSize & (geometry.inodeSize - 1)) !== 0) {
    throw new Ext4UnsupportedError(`inode size ${geometry.inodeSize} is not valid`);
  }
  if (wide && (geometry.descSize < 64 || geometry.descSize > 1024 || (geometry.descSize & (geometry.descSize - 1)) !== 0)) {
    throw new Ext4UnsupportedError(`group descriptor size ${geometry.descSize} is not valid`);
  }
  return geometry;
}

function isPowerOf(value: number, base: number): boolean {
  let v = base;
  while (v < value) v *= base;
  return v === value;
}

/** Whether group `group` holds a superblock backup (ext2fs_bg_has_super). */
export function groupHasSuper(geo: Ext4Geometry, group: number): boolean {
  if (group === 0) return true;
  if (geo.sparseSuper2) return group === geo.backupBgs[0] || group === geo.backupBgs[1];
  if (group <= 1 || !geo.sparseSuper) return true;
  if ((group & 1) === 0) return false;
  return isPowerOf(group, 3) || isPowerOf(group, 5) || isPowerOf(group, 7);
}

/** Byte offset (in the filesystem) of group `group`'s descriptor in the primary descriptor table. */
export function descriptorOffset(geo: Ext4Geometry, group: number): number {
  const perBlock = geo.blockSize / geo.descSize;
  const index = Math.floor(group / perBlock);
  let block: number;
  const groupBlock = geo.firstDataBlock === 0 && geo.blockSize === 1024 ? 1 : geo.firstDataBlock;
  if (!geo.metaBg || index < geo.firstMetaBg) {
    block = groupBlock + index + 1;
  } else {
    const first = index * perBlock;
    block = geo.firstDataBlock + first * geo.blocksPerGroup + (groupHasSuper(geo, first) ? 1 : 0);
  }
  return block * geo.blockSize + (group % perBlock) * geo.descSize;
}
