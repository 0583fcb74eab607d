import { crc32Be } from './crc32-be';
import {
  BlockType, checksumSeed, COMMIT, dataBlockChecksum, Feature, hasCsumV2or3, HEADER_BYTES, JBD2_MAGIC, logEnd,
  metadataBlockChecksum, TagFlag, tagBytes, TAIL_BYTES, type JournalSuperblock,
} from './jbd2-format';

// One JBD2 transaction as the kernel's commit (fs/jbd2/commit.c) lays it into the log: descriptor blocks
// whose tags name the filesystem blocks that follow them (data escaped when it starts with the magic),
// then a commit block; checksums as the journal's features require. Pure: bytes in, log blocks out.

/** A filesystem block to put into the transaction. */
export interface TransactionBlock {
  readonly fsBlock: number;
  readonly data: Buffer;
}

/** Tags that fit in one descriptor block (the first carries the 16-byte journal UUID). */
export function tagsPerDescriptor(sb: JournalSuperblock): number {
  const room = sb.blockSize - HEADER_BYTES - (hasCsumV2or3(sb) ? TAIL_BYTES : 0);
  const size = tagBytes(sb);
  return 1 + Math.floor((room - size - 16) / size);
}

/** Log blocks a transaction of `count` filesystem blocks takes (descriptors + data + commit). */
export function transactionLength(sb: JournalSuperblock, count: number): number {
  return Math.ceil(count / tagsPerDescriptor(sb)) + count + 1;
}

/** Log blocks available to one transaction (the log, less the block the kernel keeps free). */
export function logCapacity(sb: JournalSuperblock): number {
  return logEnd(sb) - sb.first - 1;
}

function header(sb: JournalSuperblock, type: number, sequence: number): Buffer {
  const block = Buffer.alloc(sb.blockSize);
  block.writeUInt32BE(JBD2_MAGIC, 0);
  block.writeUInt32BE(type, 4);
  block.writeUInt32BE(sequence >>> 0, 8);
  return block;
}

function writeTag(sb: JournalSuperblock, block: Buffer, at: number, fsBlock: number, flags: number, checksum: number): void {
  block.writeUInt32BE(fsBlock % 2 ** 32, at);
  const wide = (sb.incompat & Feature.incompat64bit) !== 0;
  if (fsBlock >= 2 ** 32 && !wide) throw new Error(`block ${fsBlock} does not fit a 32-bit journal tag`);
  if ((sb.incompat & Feature.incompatCsumV3) !== 0) {
    block.writeUInt32BE(flags, at + 4);
    block.writeUInt32BE(Math.floor(fsBlock / 2 ** 32), at + 8);
    block.writeUInt32BE(checksum >>> 0, at + 12);
    return;
  }
  block.writeUInt16BE(checksum & 0xffff, at + 4);
  block.writeUInt16BE(flags, at + 6);
  if (wide) block.writeUInt32BE(Math.floor(fsBlock / 2 ** 32), at + 8);
}

/**
 * The log blocks of transaction `sequence` holding `blocks`, in log order (write them from s_first on).
 * `commitTime` is seconds since the epoch (h_commit_sec; recovery compares it to tell stale blocks).
 */
export function buildTransaction(sb: JournalSuperblock, sequence: number, blocks: readonly TransactionBlock[], commitTime: number): Buffer[] {
  const csum = hasCsumV2or3(sb);
  const v1 = (sb.compat & Feature.compatChecksum) !== 0;
  const seed = checksumSeed(sb);
  const perDescriptor = tagsPerDescriptor(sb);
  const size = tagBytes(sb);
  const out: Buffer[] = [];
  let crcSum = 0xffffffff;
  for (let startAt = 0; startAt < blocks.length; startAt += perDescriptor) {
    const chunk = blocks.slice(startAt, startAt + perDescriptor);
    const descriptor = header(sb, BlockType.descriptor, sequence);
    const data: Buffer[] = [];
    let at = HEADER_BYTES;
    chunk.forEach((entry, i) => {
      if (entry.data.length !== sb.blockSize) throw new Error(`journal block of ${entry.data.length} bytes, expected ${sb.blockSize}`);
      const logged = Buffer.from(entry.data);
      let flags = i === 0 ? 0 : TagFlag.sameUuid;
      if (logged.readUInt32BE(0) === JBD2_MAGIC) {
        logged.writeUInt32BE(0, 0);
        flags |= TagFlag.escape;
      }
      if (i === chunk.length - 1) flags |= TagFlag.lastTag;
      writeTag(sb, descriptor, at, entry.fsBlock, flags, csum ? dataBlockChecksum(seed, sequence, logged) : 0);
      at += size;
      if (i === 0) {
        sb.uuid.copy(descriptor, at);
        at += 16;
      }
      data.push(logged);
    });
    if (csum) {
      const tail = descriptor.length - TAIL_BYTES;
      descriptor.writeUInt32BE(metadataBlockChecksum(seed, descriptor, tail), tail);
    }
    if (v1) {
      crcSum = crc32Be(crcSum, descriptor);
      for (const block of data) crcSum = crc32Be(crcSum, block);
    }
    out.push(descriptor, ...data);
  }
  const commit = header(sb, BlockType.commit, sequence);
  commit.writeBigUInt64BE(BigInt(Math.floor(commitTime)), COMMIT.commitSec);
  if (v1) {
    commit.writeUInt8(1, COMMIT.checksumType); // JBD2_CRC32_CHKSUM
    commit.writeUInt8(4, COMMIT.checksumSize);
    commit.writeUInt32BE(crcSum, COMMIT.checksum);
  }
  if (csum) commit.writeUInt32BE(metadataBlockChecksum(seed, commit, COMMIT.checksum), COMMIT.checksum);
  out.push(commit);
  return out;
}
