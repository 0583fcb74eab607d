import { crc32cRaw } from './crc32c';

// The ext2/3/4 superblock fields the image target checks and changes (pure byte-level logic).

/** Byte offset of the primary superblock from the start of the filesystem. */
export const SUPERBLOCK_OFFSET_BYTES = 1024;
/** Size of the superblock. */
export const SUPERBLOCK_SIZE_BYTES = 1024;

const MAGIC = 0xef53;
const STATE_VALID = 0x1;
const STATE_ERROR = 0x2;
const INCOMPAT_RECOVER = 0x4;
const INCOMPAT_JOURNAL_DEV = 0x8;
const INCOMPAT_64BIT = 0x80;
const RO_COMPAT_METADATA_CSUM = 0x400;
const COMPAT_HAS_JOURNAL = 0x4;
const CHECKSUM_AT = 0x3fc;

/** What an ext superblock says about its filesystem. */
export interface SuperblockInfo {
  readonly label: string;
  /** `ext4` (extents or 64bit), `ext3` (journal) or `ext2`. */
  readonly fsType: 'ext2' | 'ext3' | 'ext4';
  readonly blockSizeBytes: number;
  readonly sizeBytes: number;
  /** Cleanly unmounted (s_state has EXT2_VALID_FS). */
  readonly clean: boolean;
  /** Errors were recorded (s_state has EXT2_ERROR_FS). */
  readonly hasErrors: boolean;
  /** The journal holds transactions not yet replayed (incompat needs_recovery). */
  readonly needsRecovery: boolean;
  /** External journal device, not a filesystem. */
  readonly journalDevice: boolean;
  /** The superblock carries a CRC-32C (metadata_csum) and it matches. `undefined` without metadata_csum. */
  readonly checksumOk: boolean | undefined;
}

/** Parses a 1024-byte superblock; `undefined` when it is not an ext2/3/4 one (wrong magic). */
export function parseSuperblock(sb: Buffer): SuperblockInfo | undefined {
  if (sb.length < SUPERBLOCK_SIZE_BYTES || sb.readUInt16LE(0x38) !== MAGIC) return undefined;
  const logBlockSize = sb.readUInt32LE(0x18);
  if (logBlockSize > 6) return undefined;
  const blockSizeBytes = 1024 * 2 ** logBlockSize;
  const compat = sb.readUInt32LE(0x5c);
  const incompat = sb.readUInt32LE(0x60);
  const roCompat = sb.readUInt32LE(0x64);
  const blocksHi = incompat & INCOMPAT_64BIT ? sb.readUInt32LE(0x150) : 0;
  const blocks = blocksHi * 2 ** 32 + sb.readUInt32LE(0x04);
  const state = sb.readUInt16LE(0x3a);
  const labelBytes = sb.subarray(0x78, 0x78 + 16);
  const end = labelBytes.indexOf(0);
  const fsType = incompat & (0x40 | INCOMPAT_64BIT) ? 'ext4' : compat & COMPAT_HAS_JOURNAL ? 'ext3' : 'ext2';
  return {
    label: labelBytes.subarray(0, end === -1 ? 16 : end).toString('utf8'),
    fsType,
    blockSizeBytes,
    sizeBytes: blocks * blockSizeBytes,
    clean: (state & STATE_VALID) !== 0,
    hasErrors: (state & STATE_ERROR) !== 0,
    needsRecovery: (incompat & INCOMPAT_RECOVER) !== 0,
    journalDevice: (incompat & INCOMPAT_JOURNAL_DEV) !== 0,
    checksumOk: roCompat & RO_COMPAT_METADATA_CSUM ? sb.readUInt32LE(CHECKSUM_AT) === superblockChecksum(sb) : undefined,
  };
}

/** The metadata_csum value of a superblock: CRC-32C seeded with ~0 over the bytes before the checksum field. */
export function superblockChecksum(sb: Buffer): number {
  return crc32cRaw(0xffffffff, sb.subarray(0, CHECKSUM_AT));
}

/** Sets the superblock's own checksum field (in place) when it carries one (metadata_csum). */
export function updateSuperblockChecksum(sb: Buffer): void {
  if (sb.readUInt32LE(0x64) & RO_COMPAT_METADATA_CSUM) sb.writeUInt32LE(superblockChecksum(sb), CHECKSUM_AT);
}

/** A copy of `sb` with the valid (cleanly unmounted) flag set or cleared and its checksum updated. */
export function withCleanState(sb: Buffer, clean: boolean): Buffer {
  const copy = Buffer.from(sb.subarray(0, SUPERBLOCK_SIZE_BYTES));
  const state = copy.readUInt16LE(0x3a);
  copy.writeUInt16LE(clean ? state | STATE_VALID : state & ~STATE_VALID, 0x3a);
  updateSuperblockChecksum(copy);
  return copy;
}

/** Byte offset of the incompat feature flags in the superblock. */
const INCOMPAT_AT = 0x60;

/** A copy of `sb` with the journal's needs_recovery flag (incompat RECOVER) set or cleared, checksum updated. */
export function withNeedsRecovery(sb: Buffer, on: boolean): Buffer {
  const copy = Buffer.from(sb.subarray(0, SUPERBLOCK_SIZE_BYTES));
  const incompat = copy.readUInt32LE(INCOMPAT_AT);
  copy.writeUInt32LE((on ? incompat | INCOMPAT_RECOVER : incompat & ~INCOMPAT_RECOVER) >>> 0, INCOMPAT_AT);
  updateSuperblockChecksum(copy);
  return copy;
}

/** Where the primary superblock sits for a block size: the block holding byte 1024, and the offset in it. */
export function superblockPlace(blockSize: number): { block: number; offset: number } {
  return blockSize === 1024 ? { block: 1, offset: 0 } : { block: 0, offset: SUPERBLOCK_OFFSET_BYTES };
}

/** A copy of a filesystem block holding the primary superblock, with `edit` applied to the superblock. */
export function editSuperblockInBlock(block: Buffer, blockSize: number, edit: (sb: Buffer) => Buffer): Buffer {
  const { offset } = superblockPlace(blockSize);
  const copy = Buffer.from(block);
  edit(copy.subarray(offset, offset + SUPERBLOCK_SIZE_BYTES)).copy(copy, offset);
  return copy;
}
