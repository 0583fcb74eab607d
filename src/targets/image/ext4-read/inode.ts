import { Ext4ReadError } from './errors';
import type { Ext4Geometry } from './geometry';

// One inode as the reader sees it (the on-disk struct ext4_inode, little-endian): type and permissions,
// owner, size, link count, flags, times (with ext4's extra epoch bits and nanoseconds when the inode is large
// enough to hold them), and the 60 bytes of i_block (extent tree root, block map, fast symlink or inline data).

export const S_IFMT = 0o170000;
export const S_IFREG = 0o100000;
export const S_IFDIR = 0o040000;
export const S_IFLNK = 0o120000;

export const FLAG_ENCRYPT = 0x800;
export const FLAG_EXTENTS = 0x80000;
export const FLAG_INLINE_DATA = 0x10000000;

const GOOD_OLD_INODE_SIZE = 128;

/** A parsed inode. */
export interface Ext4Inode {
  readonly ino: number;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly links: number;
  readonly flags: number;
  readonly generation: number;
  readonly atimeMs: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  /** i_block: the extent tree's root, the block map, a fast symlink's target or inline data. */
  readonly iBlock: Buffer;
  /** The whole on-disk inode (for the in-inode extended attributes of inline data). */
  readonly raw: Buffer;
}

/** Seconds field plus its `_extra` field (epoch bits, nanoseconds) in ms, as the kernel decodes it. */
function timeMs(raw: Buffer, at: number, extraAt: number, extraEnd: number): number {
  const seconds = raw.readInt32LE(at);
  if (extraAt + 4 > extraEnd) return seconds * 1000;
  const extra = raw.readUInt32LE(extraAt);
  const epoch = extra & 3;
  const nanos = extra >>> 2;
  return (seconds + epoch * 2 ** 32) * 1000 + Math.floor(nanos / 1e6);
}

/** Parses inode `ino` from its on-disk bytes (pure). */
export function parseInode(geo: Ext4Geometry, ino: number, raw: Buffer): Ext4Inode {
  const extraIsize = geo.inodeSize > GOOD_OLD_INODE_SIZE ? raw.readUInt16LE(0x80) : 0;
  if (GOOD_OLD_INODE_SIZE + extraIsize > geo.inodeSize) throw new Ext4ReadError('EIO', `inode ${ino} is damaged (extra size ${extraIsize})`);
  const extraEnd = GOOD_OLD_INODE_SIZE + extraIsize;
  return {
    ino,
    mode: raw.readUInt16LE(0x0),
    uid: raw.readUInt16LE(0x2) | (raw.readUInt16LE(0x78) << 16),
    gid: raw.readUInt16LE(0x18) | (raw.readUInt16LE(0x7a) << 16),
    size: raw.readUInt32LE(0x6c) * 2 ** 32 + raw.readUInt32LE(0x4),
    links: raw.readUInt16LE(0x1a),
    flags: raw.readUInt32LE(0x20),
    generation: raw.readUInt32LE(0x64),
    atimeMs: timeMs(raw, 0x08, 0x8c, extraEnd),
    ctimeMs: timeMs(raw, 0x0c, 0x84, extraEnd),
    mtimeMs: timeMs(raw, 0x10, 0x88, extraEnd),
    iBlock: raw.subarray(0x28, 0x28 + 60),
    raw,
  };
}

/** Where inode `ino` is: its group and its index in the group's inode table. */
export function inodePlace(geo: Ext4Geometry, ino: number): { group: number; index: number } {
  if (!Number.isInteger(ino) || ino < 1 || ino > geo.inodesCount) throw new Ext4ReadError('EIO', `inode number ${ino} is out of range (1..${geo.inodesCount})`);
  return { group: Math.floor((ino - 1) / geo.inodesPerGroup), index: (ino - 1) % geo.inodesPerGroup };
}

/** The value of the in-inode extended attribute `system.data` (inline data past i_block), or empty. */
export function inlineDataTail(geo: Ext4Geometry, inode: Ext4Inode): Buffer {
  if (geo.inodeSize <= GOOD_OLD_INODE_SIZE) return Buffer.alloc(0);
  const raw = inode.raw;
  const start = GOOD_OLD_INODE_SIZE + raw.readUInt16LE(0x80);
  if (start + 4 > raw.length || raw.readUInt32LE(start) !== 0xea020000) return Buffer.alloc(0);
  const first = start + 4;
  let at = first;
  while (at + 16 <= raw.length && raw.readUInt32LE(at) !== 0) {
    const nameLength = raw.readUInt8(at);
    const nameIndex = raw.readUInt8(at + 1);
    const valueOffset = raw.readUInt16LE(at + 2);
    const valueInode = raw.readUInt32LE(at + 4);
    const valueSize = raw.readUInt32LE(at + 8);
    const name = raw.toString('latin1', at + 16, at + 16 + nameLength);
    if (nameIndex === 7 && name === 'data') {
      if (valueInode !== 0 || first + valueOffset + valueSize > raw.length) throw new Ext4ReadError('EIO', `inode ${inode.ino}'s inline data is damaged`);
      return raw.subarray(first + valueOffset, first + valueOffset + valueSize);
    }
    at += (16 + nameLength + 3) & ~3;
  }
  return Buffer.alloc(0);
}
