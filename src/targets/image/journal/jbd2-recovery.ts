import { crc32Be } from './crc32-be';
import {
  BlockType, checksumSeed, COMMIT, dataBlockChecksum, Feature, hasCsumV2or3, HEADER_BYTES, JBD2_MAGIC,
  metadataBlockChecksum, nextLogBlock, REVOKE_HEADER_BYTES, TagFlag, tagBytes, TAIL_BYTES, tidGeq, tidGt,
  type JournalSuperblock,
} from './jbd2-format';

// Journal recovery as the kernel and e2fsck do it (e2fsprogs `e2fsck/recovery.c`, shared with the kernel's
// `fs/jbd2/recovery.c`): three passes over the log from s_start. SCAN finds the end of the log (the first
// block without the magic or with an unexpected sequence, or a commit whose checksum fails), REVOKE
// collects revoke records, REPLAY collects every un-revoked block of every complete transaction. The result
// is a plan (block -> contents); writing it is the caller's business, so reads can overlay it in memory.

/** Read access to the journal's log blocks (0 .. s_maxlen-1, in journal order). */
export interface JournalLog {
  readonly sb: JournalSuperblock;
  read(logBlock: number): Promise<Buffer>;
}

/** What replaying the journal would do. */
export interface ReplayPlan {
  /** s_sequence: the first transaction looked for. */
  readonly firstTransaction: number;
  /** The first transaction NOT replayed (the journal's end). */
  readonly endTransaction: number;
  /** Filesystem block number -> contents, the last committed copy of each un-revoked block. */
  readonly blocks: ReadonlyMap<number, Buffer>;
  /** Tags replayed (a block in two transactions counts twice, as the kernel counts it). */
  readonly replayed: number;
  readonly revokeHits: number;
  readonly revokes: number;
}

/** The journal is damaged in a way the kernel refuses to mount (not guessed at). */
export class JournalCorruptError extends Error {
  override readonly name = 'JournalCorruptError';
}

type Pass = 'scan' | 'revoke' | 'replay';

interface PassState {
  /** SCAN: the end it found; later passes stop there. */
  end: number | undefined;
  readonly revoked: Map<number, number>;
  readonly blocks: Map<number, Buffer>;
  replayed: number;
  revokeHits: number;
  revokes: number;
}

/** A descriptor block's tags: fs block, flags, where its checksum is. */
interface Tag {
  readonly block: number;
  readonly flags: number;
  readonly checksum: number;
}

function readTags(sb: JournalSuperblock, block: Buffer): Tag[] {
  const size = tagBytes(sb);
  const csum3 = (sb.incompat & Feature.incompatCsumV3) !== 0;
  const wide = (sb.incompat & Feature.incompat64bit) !== 0;
  const limit = block.length - (hasCsumV2or3(sb) ? TAIL_BYTES : 0);
  const tags: Tag[] = [];
  let at = HEADER_BYTES;
  while (at + size <= limit) {
    const low = block.readUInt32BE(at);
    // journal_block_tag3_t: blocknr, flags(32), blocknr_high, checksum(32); journal_block_tag_t: blocknr,
    // checksum(16), flags(16), blocknr_high (only with 64bit).
    const flags = csum3 ? block.readUInt32BE(at + 4) : block.readUInt16BE(at + 6);
    const high = wide ? block.readUInt32BE(at + 8) : 0;
    const checksum = csum3 ? block.readUInt32BE(at + 12) : block.readUInt16BE(at + 4);
    tags.push({ block: high * 2 ** 32 + low, flags, checksum });
    at += size;
    if ((flags & TagFlag.sameUuid) === 0) at += 16;
    if ((flags & TagFlag.lastTag) !== 0) break;
  }
  return tags;
}

function tagChecksumOk(sb: JournalSuperblock, seed: number, tag: Tag, data: Buffer, sequence: number): boolean {
  if (!hasCsumV2or3(sb)) return true;
  const sum = dataBlockChecksum(seed, sequence, data);
  return (sb.incompat & Feature.incompatCsumV3) !== 0 ? tag.checksum === sum : tag.checksum === (sum & 0xffff);
}

function tailChecksumOk(sb: JournalSuperblock, seed: number, block: Buffer): boolean {
  if (!hasCsumV2or3(sb)) return true;
  const at = block.length - TAIL_BYTES;
  return block.readUInt32BE(at) === metadataBlockChecksum(seed, block, at);
}

function commitChecksumOk(sb: JournalSuperblock, seed: number, block: Buffer): boolean {
  if (!hasCsumV2or3(sb)) return true;
  return block.readUInt32BE(COMMIT.checksum) === metadataBlockChecksum(seed, block, COMMIT.checksum);
}

function commitSeconds(block: Buffer): bigint {
  return block.readBigUInt64BE(COMMIT.commitSec);
}

async function readLog(log: JournalLog, block: number): Promise<Buffer> {
  if (block >= log.sb.maxLen) throw new JournalCorruptError(`the journal points past its end (log block ${block})`);
  return log.read(block);
}

function parseRevokes(sb: JournalSuperblock, block: Buffer, sequence: number, state: PassState): void {
  const count = block.readUInt32BE(HEADER_BYTES);
  const csumSize = hasCsumV2or3(sb) ? TAIL_BYTES : 0;
  if (count > block.length - csumSize) throw new JournalCorruptError(`a revoke block of transaction ${sequence} is corrupt`);
  const width = (sb.incompat & Feature.incompat64bit) !== 0 ? 8 : 4;
  for (let at = REVOKE_HEADER_BYTES; at + width <= count; at += width) {
    const fsBlock = width === 8 ? Number(block.readBigUInt64BE(at)) : block.readUInt32BE(at);
    const known = state.revoked.get(fsBlock);
    // jbd2_journal_set_revoke: keep the latest transaction that revoked the block.
    if (known === undefined || tidGt(sequence, known)) state.revoked.set(fsBlock, sequence);
    state.revokes += 1;
  }
}

/** One pass of recovery.c's do_one_pass. */
async function onePass(log: JournalLog, pass: Pass, state: PassState): Promise<void> {
  const { sb } = log;
  const seed = checksumSeed(sb);
  const v1Checksums = (sb.compat & Feature.compatChecksum) !== 0;
  let nextId = sb.sequence;
  let next = sb.start;
  let crcSum = 0xffffffff;
  let needCheckCommitTime = false;
  let lastCommitTime = 0n;
  let blockError = false;
  scan: for (;;) {
    if (pass !== 'scan' && state.end !== undefined && tidGeq(nextId, state.end)) break;
    const block = await readLog(log, next);
    next = nextLogBlock(sb, next);
    if (block.readUInt32BE(0) !== JBD2_MAGIC) break;
    const type = block.readUInt32BE(4);
    if (block.readUInt32BE(8) !== nextId) break;
    switch (type) {
      case BlockType.descriptor: {
        if (!tailChecksumOk(sb, seed, block)) {
          if (pass !== 'scan') throw new JournalCorruptError(`a descriptor block of transaction ${nextId} has a bad checksum`);
          needCheckCommitTime = true; // maybe a stale block of an older journal; the commit time decides
        }
        const tags = readTags(sb, block);
        if (pass !== 'replay') {
          if (pass === 'scan' && v1Checksums && !needCheckCommitTime && state.end === undefined) {
            crcSum = crc32Be(crcSum, block);
            for (let i = 0; i < tags.length; i += 1) {
              crcSum = crc32Be(crcSum, await readLog(log, next));
              next = nextLogBlock(sb, next);
            }
          } else {
            for (let i = 0; i < tags.length; i += 1) next = nextLogBlock(sb, next);
          }
          continue;
        }
        for (const tag of tags) {
          const at = next;
          next = nextLogBlock(sb, next);
          const data = Buffer.from(await readLog(log, at));
          const revokedBy = state.revoked.get(tag.block);
          if (revokedBy !== undefined && !tidGt(nextId, revokedBy)) {
            state.revokeHits += 1;
            continue;
          }
          if (!tagChecksumOk(sb, seed, tag, data, nextId)) {
            blockError = true; // recovery.c skips the block and fails the recovery at the end
            continue;
          }
          if ((tag.flags & TagFlag.escape) !== 0) data.writeUInt32BE(JBD2_MAGIC, 0);
          state.blocks.set(tag.block, data);
          state.replayed += 1;
        }
        continue;
      }
      case BlockType.commit: {
        const time = commitSeconds(block);
        if (needCheckCommitTime) {
          if (time >= lastCommitTime) throw new JournalCorruptError(`transaction ${nextId} in the journal has a bad checksum`);
          break scan; // a stale block from before the journal was last reset: the log ends here
        }
        let checksumFailed = false;
        if (pass === 'scan' && v1Checksums) {
          if (state.end !== undefined) break scan;
          const found = block.readUInt32BE(COMMIT.checksum);
          const type1 = block.readUInt8(COMMIT.checksumType) === 1 && block.readUInt8(COMMIT.checksumSize) === 4;
          const unused = block.readUInt8(COMMIT.checksumType) === 0 && block.readUInt8(COMMIT.checksumSize) === 0 && found === 0;
          if (!((type1 && found === crcSum) || unused)) checksumFailed = true;
          crcSum = 0xffffffff;
        }
        if (pass === 'scan' && (checksumFailed || !commitChecksumOk(sb, seed, block))) {
          if (time < lastCommitTime) break scan;
          state.end = nextId;
          if ((sb.incompat & Feature.incompatAsyncCommit) === 0) {
            throw new JournalCorruptError(`transaction ${nextId} in the journal is corrupt (its commit block's checksum is wrong)`);
          }
        }
        if (pass === 'scan') lastCommitTime = time;
        nextId = (nextId + 1) >>> 0;
        continue;
      }
      case BlockType.revoke:
        if (pass === 'scan' && !tailChecksumOk(sb, seed, block)) needCheckCommitTime = true;
        if (pass === 'revoke') parseRevokes(sb, block, nextId, state);
        continue;
      default:
        break scan;
    }
  }
  if (pass === 'scan') {
    state.end ??= nextId;
  } else if (state.end !== nextId) {
    throw new JournalCorruptError(`journal recovery pass ${pass} ended at transaction ${nextId}, expected ${state.end ?? '?'}`);
  }
  if (blockError) throw new JournalCorruptError('a block in the journal has a bad checksum');
}

/**
 * Plans the replay of a journal whose s_start is not 0: which filesystem blocks get which contents. Throws
 * JournalCorruptError where the kernel would refuse to mount (a bad checksum inside a committed
 * transaction, a corrupt commit block without async_commit, a log that points outside the journal).
 */
export async function planReplay(log: JournalLog): Promise<ReplayPlan> {
  const { sb } = log;
  const state: PassState = { end: undefined, revoked: new Map(), blocks: new Map(), replayed: 0, revokeHits: 0, revokes: 0 };
  if (sb.start !== 0) {
    if ((sb.incompat & Feature.incompatFastCommit) !== 0) {
      throw new JournalCorruptError('the journal uses ext4 fast commits, which this tool does not replay');
    }
    await onePass(log, 'scan', state);
    await onePass(log, 'revoke', state);
    await onePass(log, 'replay', state);
  }
  return {
    firstTransaction: sb.sequence,
    endTransaction: state.end ?? sb.sequence,
    blocks: state.blocks,
    replayed: state.replayed,
    revokeHits: state.revokeHits,
    revokes: state.revokes,
  };
}
