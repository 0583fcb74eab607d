import { crc32cRaw } from './crc32c';
import { parseGeometry } from './ext4-read/geometry';
import { mapInode, type FsReader } from './journal/journal-inode';

// A directory block that cannot be read must not look like an empty folder. The ext2fs package skips what
// it cannot parse (a damaged `.storage` then lists no users and "nothing to move"), so the folders the
// recovery tasks read are checked here first: the entries of each block must chain exactly to its end,
// the first must be "." naming the folder itself, and with metadata_csum the block's checksum must match
// (ext4 `ext4_dirblock_csum`: crc32c over the entries, seeded with the inode's number and generation).

const INCOMPAT_CSUM_SEED = 0x2000;
const TAIL_BYTES = 12;
const TAIL_FILE_TYPE = 0xde;

function fsChecksumSeed(sb: Buffer): number {
  if ((sb.readUInt32LE(0x60) & INCOMPAT_CSUM_SEED) !== 0) return sb.readUInt32LE(0x270);
  return crc32cRaw(0xffffffff, sb.subarray(0x68, 0x78));
}

function le32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value >>> 0, 0);
  return b;
}

/** What is wrong with one directory block, or undefined. */
function blockProblem(block: Buffer, first: boolean, ino: number, checksum: number | undefined): string | undefined {
  const hasTail = block.readUInt32LE(block.length - TAIL_BYTES) === 0 && block.readUInt16LE(block.length - 8) === TAIL_BYTES
    && block.readUInt8(block.length - 6) === 0 && block.readUInt8(block.length - 5) === TAIL_FILE_TYPE;
  const end = hasTail ? block.length - TAIL_BYTES : block.length;
  if (checksum !== undefined && hasTail && block.readUInt32LE(block.length - 4) !== crc32cRaw(checksum, block.subarray(0, end))) {
    return 'its checksum does not match';
  }
  let at = 0;
  while (at < end) {
    const recLen = block.readUInt16LE(at + 4);
    const nameLen = block.readUInt8(at + 6);
    if (recLen < 12 || recLen % 4 !== 0 || at + recLen > end || 8 + nameLen > recLen) return `a bad entry at byte ${at}`;
    if (first && at === 0 && (block.readUInt32LE(0) !== ino || nameLen !== 1 || block.readUInt8(8) !== 0x2e)) return 'it does not start with "."';
    at += recLen;
  }
  return at === end ? undefined : 'its entries do not fill it';
}

/**
 * Checks the blocks of directory inode `ino`; returns a description of the first damage found, or
 * undefined when every block is well-formed (and, with metadata_csum, has the right checksum).
 */
export async function directoryDamage(read: FsReader, sb: Buffer, ino: number): Promise<string | undefined> {
  const { blockSize, metadataCsum } = parseGeometry(sb);
  const { runs, generation } = await mapInode(read, sb, ino);
  const csum = metadataCsum
    ? crc32cRaw(crc32cRaw(fsChecksumSeed(sb), le32(ino)), le32(generation))
    : undefined;
  for (const run of runs) {
    const bytes = await read(run.physical * blockSize, run.length * blockSize);
    for (let i = 0; i < run.length; i += 1) {
      const logical = run.logical + i;
      const problem = blockProblem(bytes.subarray(i * blockSize, (i + 1) * blockSize), logical === 0, ino, csum);
      if (problem !== undefined) return `block ${logical} (filesystem block ${run.physical + i}): ${problem}`;
    }
  }
  return undefined;
}
