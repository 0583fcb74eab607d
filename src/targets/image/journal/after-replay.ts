import { descriptorOffset, parseGeometry, type Ext4Geometry } from '../ext4-read/geometry';
import { updateSuperblockChecksum } from '../superblock';
import { mapInode, type FsReader } from './journal-inode';

// The superblock fields e2fsck (and the kernel at mount) settle after a journal replay: the kernel keeps
// the free counts in per-CPU counters and writes them to the superblock only at a clean unmount, so a card
// pulled from a running device has stale totals (e2fsck: "Free blocks count wrong"); the group descriptors,
// which are journaled with the bitmaps, hold the truth. A mounted filesystem with an orphan file also
// carries orphan_present, which e2fsck clears when the orphan file is empty.

const RO_COMPAT_ORPHAN_PRESENT = 0x10000;
const COMPAT_ORPHAN_FILE = 0x1000;

/**
 * Sum of the group descriptors' free block and inode counts. Each block of descriptors is read where it lives:
 * right after the superblock, or with meta_bg at the start of its meta group (ext2fs_descriptor_block_loc2).
 */
async function groupTotals(geo: Ext4Geometry, read: FsReader): Promise<{ blocks: number; inodes: number }> {
  const groups = Math.ceil((geo.blocksCount - geo.firstDataBlock) / geo.blocksPerGroup);
  const perBlock = geo.blockSize / geo.descSize;
  const high = geo.descSize >= 64;
  let blocks = 0;
  let inodes = 0;
  for (let first = 0; first < groups; first += perBlock) {
    const count = Math.min(perBlock, groups - first);
    const table = await read(descriptorOffset(geo, first), count * geo.descSize);
    for (let i = 0; i < count; i += 1) {
      const at = i * geo.descSize;
      blocks += table.readUInt16LE(at + 0xc) + (high ? table.readUInt16LE(at + 0x2c) * 65536 : 0);
      inodes += table.readUInt16LE(at + 0xe) + (high ? table.readUInt16LE(at + 0x2e) * 65536 : 0);
    }
  }
  return { blocks, inodes };
}

/** True when the orphan list or the orphan file names an inode still to be cleaned up. */
export async function orphansPending(sb: Buffer, read: FsReader): Promise<boolean> {
  if (sb.readUInt32LE(0xe8) !== 0) return true; // s_last_orphan: the old on-disk orphan list
  const inode = sb.readUInt32LE(0x280);
  if ((sb.readUInt32LE(0x5c) & COMPAT_ORPHAN_FILE) === 0 || inode === 0) return false;
  const { blockSize } = parseGeometry(sb);
  const { runs } = await mapInode(read, sb, inode);
  for (const run of runs) {
    const bytes = await read(run.physical * blockSize, run.length * blockSize);
    for (let b = 0; b < run.length; b += 1) {
      for (let at = b * blockSize; at < (b + 1) * blockSize - 8; at += 4) if (bytes.readUInt32LE(at) !== 0) return true;
    }
  }
  return false;
}

/** The superblock after a replay, as e2fsck settles it: free totals from the group descriptors, orphan_present only while orphans wait. */
export async function settleSuperblock(sb: Buffer, read: FsReader): Promise<Buffer> {
  const copy = Buffer.from(sb);
  const geo = parseGeometry(copy);
  const totals = await groupTotals(geo, read);
  copy.writeUInt32LE(totals.blocks % 2 ** 32, 0xc);
  if (geo.wide) copy.writeUInt32LE(Math.floor(totals.blocks / 2 ** 32), 0x158);
  copy.writeUInt32LE(totals.inodes, 0x10);
  if ((copy.readUInt32LE(0x64) & RO_COMPAT_ORPHAN_PRESENT) !== 0 && !(await orphansPending(copy, read))) {
    copy.writeUInt32LE((copy.readUInt32LE(0x64) & ~RO_COMPAT_ORPHAN_PRESENT) >>> 0, 0x64);
  }
  updateSuperblockChecksum(copy);
  return copy;
}

/** Read-only features the ext2fs package does not know but may be carried through untouched (bit mask). */
export const CARRIED_RO_COMPAT = RO_COMPAT_ORPHAN_PRESENT;

/** `sb` with the carried read-only features cleared (what ext2fs is shown) or set back (what is written). */
export function withCarriedFeatures(sb: Buffer, bits: number): Buffer {
  const copy = Buffer.from(sb);
  const roCompat = copy.readUInt32LE(0x64);
  copy.writeUInt32LE(((roCompat & ~CARRIED_RO_COMPAT) | (bits & CARRIED_RO_COMPAT)) >>> 0, 0x64);
  updateSuperblockChecksum(copy);
  return copy;
}
