import type { BlockOverlay } from '../block-overlay';
import { SUPERBLOCK_OFFSET_BYTES, SUPERBLOCK_SIZE_BYTES } from '../superblock';
import { JournalFormatError, parseJournalSuperblock, type JournalSuperblock } from './jbd2-format';
import type { JournalLog } from './jbd2-recovery';
import { locateJournal, physicalBlock, type JournalPlacement } from './journal-inode';

/** The data partition's internal journal, read from the card (never from this session's own writes). */
export interface CardJournal {
  readonly placement: JournalPlacement;
  /** The journal superblock block as it is on the card. */
  readonly superblockBlock: Buffer;
  readonly sb: JournalSuperblock;
  readonly log: JournalLog;
  /** Filesystem block of a journal block (throws when the journal inode does not map it). */
  fsBlockOf(logical: number): number;
}

/** Journal blocks read per disk request while scanning the log. */
const CHUNK_BLOCKS = 64;
/** Chunks kept (bounded memory: 64 x 64 blocks of 4 KiB = 16 MiB at most). */
const CHUNKS_KEPT = 64;

/** A log reader that reads whole chunks of journal blocks and keeps the last few. */
function chunkedLog(overlay: BlockOverlay, sb: JournalSuperblock, fsBlockOf: (logical: number) => number): JournalLog {
  const chunks = new Map<number, Buffer[]>();
  const loadChunk = async (index: number): Promise<Buffer[]> => {
    const blocks: Buffer[] = [];
    const first = index * CHUNK_BLOCKS;
    const last = Math.min(first + CHUNK_BLOCKS, sb.maxLen);
    let logical = first;
    while (logical < last) {
      const start = fsBlockOf(logical);
      let count = 1;
      while (logical + count < last && fsBlockOf(logical + count) === start + count) count += 1;
      const bytes = await overlay.cardBytes(start, count);
      for (let i = 0; i < count; i += 1) blocks.push(bytes.subarray(i * sb.blockSize, (i + 1) * sb.blockSize));
      logical += count;
    }
    if (chunks.size >= CHUNKS_KEPT) chunks.delete(chunks.keys().next().value ?? index);
    chunks.set(index, blocks);
    return blocks;
  };
  return {
    sb,
    async read(logical) {
      const index = Math.floor(logical / CHUNK_BLOCKS);
      const blocks = chunks.get(index) ?? (await loadChunk(index));
      const block = blocks[logical - index * CHUNK_BLOCKS];
      if (block === undefined) throw new JournalFormatError(`journal block ${logical} is outside the journal`);
      return block;
    },
  };
}

/** Opens the internal journal of the filesystem in `overlay`; undefined when it has none. */
export async function openCardJournal(overlay: BlockOverlay): Promise<CardJournal | undefined> {
  const fsSuperblock = (await overlay.cardBytes(0, Math.ceil(2048 / overlay.blockSize))).subarray(SUPERBLOCK_OFFSET_BYTES, SUPERBLOCK_OFFSET_BYTES + SUPERBLOCK_SIZE_BYTES);
  const placement = await locateJournal(async (offset, length) => {
    const first = Math.floor(offset / overlay.blockSize);
    const count = Math.ceil((offset + length) / overlay.blockSize) - first;
    const bytes = await overlay.cardBytes(first, count);
    return bytes.subarray(offset - first * overlay.blockSize, offset - first * overlay.blockSize + length);
  }, fsSuperblock);
  if (placement === undefined) return undefined;
  const fsBlockOf = (logical: number): number => {
    const block = physicalBlock(placement, logical);
    if (block === undefined) throw new JournalFormatError(`journal block ${logical} is not mapped by the journal inode`);
    if ((block + 1) * overlay.blockSize > overlay.fsBytes) throw new JournalFormatError(`journal block ${logical} lies outside the filesystem`);
    return block;
  };
  const superblockBlock = await overlay.cardBlock(fsBlockOf(0));
  const sb = parseJournalSuperblock(superblockBlock);
  if (sb.blockSize !== overlay.blockSize) {
    throw new JournalFormatError(`the journal's block size (${sb.blockSize}) differs from the filesystem's (${overlay.blockSize})`);
  }
  if (sb.maxLen > placement.blocks) {
    throw new JournalFormatError(`the journal superblock claims ${sb.maxLen} blocks but the journal inode has ${placement.blocks}`);
  }
  return { placement, superblockBlock, sb, log: chunkedLog(overlay, sb, fsBlockOf), fsBlockOf };
}
