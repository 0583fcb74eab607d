import { crc32cRaw } from '../crc32c';

// The on-disk format of an ext4 (JBD2) journal, as e2fsprogs `lib/ext2fs/kernel-jbd.h` and the kernel's
// `Documentation/filesystems/ext4/journal.rst` define it. All journal fields are big-endian.

/** h_magic of every journal block that is not data. */
export const JBD2_MAGIC = 0xc03b3998;

/** h_blocktype values (kernel-jbd.h JBD2_*_BLOCK). */
export const BlockType = { descriptor: 1, commit: 2, superblockV1: 3, superblockV2: 4, revoke: 5, fastCommit: 6 } as const;

/** Tag flags (kernel-jbd.h JBD2_FLAG_*). */
export const TagFlag = { escape: 1, sameUuid: 2, deleted: 4, lastTag: 8 } as const;

/** Journal features (kernel-jbd.h JBD2_FEATURE_*). */
export const Feature = {
  compatChecksum: 0x1,
  incompatRevoke: 0x1,
  incompat64bit: 0x2,
  incompatAsyncCommit: 0x4,
  incompatCsumV2: 0x8,
  incompatCsumV3: 0x10,
  incompatFastCommit: 0x20,
} as const;

const KNOWN_INCOMPAT = 0x3f;
/** kernel-jbd.h JBD2_DEFAULT_FAST_COMMIT_BLOCKS. */
const DEFAULT_FAST_COMMIT_BLOCKS = 256;

/** Byte offsets in the journal superblock (journal_superblock_t). */
const SB = {
  blocktype: 0x4,
  blocksize: 0xc,
  maxlen: 0x10,
  first: 0x14,
  sequence: 0x18,
  start: 0x1c,
  errno: 0x20,
  compat: 0x24,
  incompat: 0x28,
  roCompat: 0x2c,
  uuid: 0x30,
  nrUsers: 0x40,
  checksumType: 0x50,
  numFcBlocks: 0x54,
  checksum: 0xfc,
} as const;
/** Bytes of the journal superblock that checksums and copies cover. */
export const JOURNAL_SUPERBLOCK_BYTES = 1024;

/** Commit block fields (struct commit_header). */
export const COMMIT = { checksumType: 0xc, checksumSize: 0xd, checksum: 0x10, commitSec: 0x30, commitNsec: 0x38 } as const;
/** Size of journal_header_t (magic, blocktype, sequence). */
export const HEADER_BYTES = 12;
/** Size of the revoke header (journal_header_t + r_count). */
export const REVOKE_HEADER_BYTES = 16;
/** jbd2_journal_block_tail: the checksum at the end of descriptor and revoke blocks (csum v2/v3). */
export const TAIL_BYTES = 4;

/** What a journal's superblock says. */
export interface JournalSuperblock {
  readonly version: 1 | 2;
  readonly blockSize: number;
  /** Blocks in the journal (s_maxlen). */
  readonly maxLen: number;
  /** First block of the log (s_first). */
  readonly first: number;
  /** First transaction expected in the log (s_sequence). */
  readonly sequence: number;
  /** Log block where the log starts; 0 when the journal is empty (cleanly unmounted). */
  readonly start: number;
  readonly errno: number;
  readonly compat: number;
  readonly incompat: number;
  readonly roCompat: number;
  readonly uuid: Buffer;
  /** Fast-commit blocks at the end of the journal (0 without the feature). */
  readonly fastCommitBlocks: number;
  /** The superblock's own checksum matches (always true without csum v2/v3). */
  readonly checksumOk: boolean;
}

/** Why a journal superblock cannot be used; thrown by parseJournalSuperblock. */
export class JournalFormatError extends Error {
  override readonly name = 'JournalFormatError';
}

/** The crc32c of a journal superblock: over its 1024 bytes with s_checksum taken as zero. */
export function journalSuperblockChecksum(block: Buffer): number {
  const copy = Buffer.from(block.subarray(0, JOURNAL_SUPERBLOCK_BYTES));
  copy.writeUInt32BE(0, SB.checksum);
  return crc32cRaw(0xffffffff, copy);
}

/** Parses the journal superblock (the journal's block 0). */
export function parseJournalSuperblock(block: Buffer): JournalSuperblock {
  if (block.length < JOURNAL_SUPERBLOCK_BYTES || block.readUInt32BE(0) !== JBD2_MAGIC) {
    throw new JournalFormatError('the journal superblock has no JBD2 signature');
  }
  const type = block.readUInt32BE(SB.blocktype);
  if (type !== BlockType.superblockV1 && type !== BlockType.superblockV2) {
    throw new JournalFormatError(`the journal superblock has an unknown type (${type})`);
  }
  const version = type === BlockType.superblockV1 ? 1 : 2;
  const field = (at: number): number => (version === 2 ? block.readUInt32BE(at) : 0);
  const incompat = field(SB.incompat);
  const csum = (incompat & (Feature.incompatCsumV2 | Feature.incompatCsumV3)) !== 0;
  const fastCommit = (incompat & Feature.incompatFastCommit) !== 0;
  const sb: JournalSuperblock = {
    version,
    blockSize: block.readUInt32BE(SB.blocksize),
    maxLen: block.readUInt32BE(SB.maxlen),
    first: block.readUInt32BE(SB.first),
    sequence: block.readUInt32BE(SB.sequence),
    start: block.readUInt32BE(SB.start),
    errno: block.readInt32BE(SB.errno),
    compat: field(SB.compat),
    incompat,
    roCompat: field(SB.roCompat),
    uuid: Buffer.from(block.subarray(SB.uuid, SB.uuid + 16)),
    fastCommitBlocks: fastCommit ? block.readUInt32BE(SB.numFcBlocks) || DEFAULT_FAST_COMMIT_BLOCKS : 0,
    checksumOk: !csum || block.readUInt32BE(SB.checksum) === journalSuperblockChecksum(block),
  };
  if (sb.blockSize < 1024 || sb.blockSize > 65536 || (sb.blockSize & (sb.blockSize - 1)) !== 0) {
    throw new JournalFormatError(`the journal superblock has an invalid block size (${sb.blockSize})`);
  }
  if (sb.first === 0 || sb.first >= sb.maxLen || sb.fastCommitBlocks >= sb.maxLen - sb.first) {
    throw new JournalFormatError(`the journal superblock has an invalid log area (first ${sb.first}, length ${sb.maxLen})`);
  }
  if ((incompat & ~KNOWN_INCOMPAT) !== 0) {
    throw new JournalFormatError(`the journal uses unknown features (incompat 0x${incompat.toString(16)})`);
  }
  if ((incompat & Feature.incompatCsumV2) !== 0 && (incompat & Feature.incompatCsumV3) !== 0) {
    throw new JournalFormatError('the journal claims both checksum v2 and v3');
  }
  return sb;
}

/** Checksum v2 or v3 (per-block crc32c seeded with the journal UUID). */
export function hasCsumV2or3(sb: JournalSuperblock): boolean {
  return (sb.incompat & (Feature.incompatCsumV2 | Feature.incompatCsumV3)) !== 0;
}

/** j_csum_seed: crc32c(~0, s_uuid). */
export function checksumSeed(sb: JournalSuperblock): number {
  return crc32cRaw(0xffffffff, sb.uuid);
}

/** Size of one block tag in a descriptor block (kernel-jbd.h journal_tag_bytes). */
export function tagBytes(sb: JournalSuperblock): number {
  if ((sb.incompat & Feature.incompatCsumV3) !== 0) return 16;
  let size = 12; // journal_block_tag_t
  if ((sb.incompat & Feature.incompatCsumV2) !== 0) size += 2;
  return (sb.incompat & Feature.incompat64bit) !== 0 ? size : size - 4;
}

/** Last log block + 1 of the regular log (fast-commit blocks sit after it). */
export function logEnd(sb: JournalSuperblock): number {
  return sb.maxLen - sb.fastCommitBlocks;
}

/** The next log block after `block`, wrapping from the end of the log back to s_first. */
export function nextLogBlock(sb: JournalSuperblock, block: number): number {
  const next = block + 1;
  return next >= logEnd(sb) ? next - (logEnd(sb) - sb.first) : next;
}

/** A copy of a journal superblock block with new s_start / s_sequence (and errno), checksum updated. */
export function withJournalState(block: Buffer, state: { start: number; sequence: number; errno?: number }): Buffer {
  const copy = Buffer.from(block);
  copy.writeUInt32BE(state.start >>> 0, SB.start);
  copy.writeUInt32BE(state.sequence >>> 0, SB.sequence);
  if (state.errno !== undefined) copy.writeInt32BE(state.errno, SB.errno);
  const sb = parseJournalSuperblock(copy);
  if (hasCsumV2or3(sb)) copy.writeUInt32BE(journalSuperblockChecksum(copy), SB.checksum);
  return copy;
}

/** crc32c(seed, sequence as big-endian u32, block): the v2/v3 checksum of a data block in a tag. */
export function dataBlockChecksum(seed: number, sequence: number, data: Buffer): number {
  const seq = Buffer.alloc(4);
  seq.writeUInt32BE(sequence >>> 0, 0);
  return crc32cRaw(crc32cRaw(seed, seq), data);
}

/** crc32c of a metadata block whose checksum field at `at` (4 bytes) is taken as zero. */
export function metadataBlockChecksum(seed: number, block: Buffer, at: number): number {
  const saved = block.readUInt32BE(at);
  block.writeUInt32BE(0, at);
  const sum = crc32cRaw(seed, block);
  block.writeUInt32BE(saved, at);
  return sum;
}

/** tid_gt from kernel-jbd.h: transaction ids compared modulo 2^32. */
export function tidGt(x: number, y: number): boolean {
  return ((x - y) | 0) > 0;
}

/** tid_geq from kernel-jbd.h. */
export function tidGeq(x: number, y: number): boolean {
  return ((x - y) | 0) >= 0;
}
