import type { BlockOverlay, RawImage } from '../block-overlay';
import { editSuperblockInBlock, SUPERBLOCK_SIZE_BYTES, superblockPlace, withCleanState, withNeedsRecovery } from '../superblock';
import { settleSuperblock } from './after-replay';
import type { FsReader } from './journal-inode';
import { withJournalState } from './jbd2-format';
import type { ReplayPlan } from './jbd2-recovery';
import { buildTransaction, logCapacity, transactionLength } from './jbd2-transaction';
import type { CardJournal } from './card-journal';

// Putting a session's blocks on the card so that a kill or a pulled card at any write leaves either the
// old filesystem or the new one. Every step is followed by a flush before the next depends on it.

/** A block to write into the filesystem. */
export interface FsBlock {
  readonly fsBlock: number;
  readonly data: Buffer;
}

/** What a commit did, for the closing report and the benchmark. */
export interface CommitReport {
  /** `journal`: one JBD2 transaction; `direct`: no journal, written in place between not-clean marks. */
  readonly mode: 'journal' | 'direct';
  readonly blocks: number;
  /** Log blocks the transaction took (journal mode). */
  readonly logBlocks: number;
  /** A pending journal was replayed onto the card first. */
  readonly replayedFirst: boolean;
}

/** The session is larger than the journal can hold; nothing was written. */
export class TransactionTooLargeError extends Error {
  override readonly name = 'TransactionTooLargeError';
  constructor(readonly needed: number, readonly capacity: number) {
    super(`the change needs ${needed} journal blocks but the journal holds ${capacity}`);
  }
}

/** Reads filesystem bytes through `layer` (blocks that replace the card's). */
function layeredReader(overlay: BlockOverlay, layer: ReadonlyMap<number, Buffer>): FsReader {
  return async (offset, length) => {
    const bs = overlay.blockSize;
    const first = Math.floor(offset / bs);
    const count = Math.ceil((offset + length) / bs) - first;
    const bytes = await overlay.cardBytes(first, count);
    for (let i = 0; i < count; i += 1) layer.get(first + i)?.copy(bytes, i * bs);
    return bytes.subarray(offset - first * bs, offset - first * bs + length);
  };
}

/** The replayed view's blocks for a pending journal: the plan, the reset journal superblock, the superblock without needs_recovery. */
export async function replayLayer(overlay: BlockOverlay, journal: CardJournal, plan: ReplayPlan | undefined): Promise<Map<number, Buffer>> {
  const layer = new Map<number, Buffer>(plan?.blocks ?? []);
  if (plan !== undefined && journal.sb.start !== 0) {
    // e2fsck_journal_release(reset=1): s_sequence = the transaction after the last replayed one, s_start = 0.
    layer.set(journal.fsBlockOf(0), withJournalState(journal.superblockBlock, { start: 0, sequence: (plan.endTransaction + 1) >>> 0 }));
  }
  const place = superblockPlace(overlay.blockSize);
  const sbBlock = layer.get(place.block) ?? (await overlay.cardBlock(place.block));
  const read = layeredReader(overlay, layer);
  const { offset } = place;
  const settled = await settleSuperblock(withNeedsRecovery(sbBlock.subarray(offset, offset + SUPERBLOCK_SIZE_BYTES), false), read);
  layer.set(place.block, editSuperblockInBlock(sbBlock, overlay.blockSize, () => settled));
  return layer;
}

function withFlag(overlay: BlockOverlay, blocks: readonly FsBlock[], edit: (sb: Buffer) => Buffer): FsBlock[] {
  const { block } = superblockPlace(overlay.blockSize);
  return blocks.map((b) => (b.fsBlock === block ? { fsBlock: b.fsBlock, data: editSuperblockInBlock(b.data, overlay.blockSize, edit) } : b));
}

async function setSuperblockFlag(overlay: BlockOverlay, raw: RawImage, edit: (sb: Buffer) => Buffer, from?: Buffer): Promise<void> {
  const { block } = superblockPlace(overlay.blockSize);
  const current = from ?? (await overlay.cardBlock(block));
  await overlay.writeHome([{ fsBlock: block, data: editSuperblockInBlock(current, overlay.blockSize, edit) }]);
  await raw.flush();
}

/**
 * Writes a pending replay onto the card as e2fsck does: the replayed blocks (the superblock keeping
 * needs_recovery), flush; the journal superblock reset, flush; needs_recovery cleared, flush. Interrupted
 * anywhere, the flag and the journal are still there and the next replay does the same again.
 */
export async function checkpointReplay(overlay: BlockOverlay, raw: RawImage, journal: CardJournal): Promise<void> {
  const place = superblockPlace(overlay.blockSize);
  const jsbBlock = journal.fsBlockOf(0);
  const blocks = [...overlay.replayed].map(([fsBlock, data]) => ({ fsBlock, data }));
  const body = blocks.filter((b) => b.fsBlock !== jsbBlock);
  await overlay.writeHome(withFlag(overlay, body, (sb) => withNeedsRecovery(sb, true)));
  await raw.flush();
  const jsb = overlay.replayed.get(jsbBlock);
  if (jsb !== undefined) {
    await overlay.writeHome([{ fsBlock: jsbBlock, data: jsb }]);
    await raw.flush();
  }
  await setSuperblockFlag(overlay, raw, (sb) => withNeedsRecovery(sb, false), overlay.replayed.get(place.block));
}

/** Refuses a change the journal cannot hold, before anything is written. */
export function checkFits(journal: CardJournal, blocks: number): void {
  const needed = transactionLength(journal.sb, blocks);
  const capacity = logCapacity(journal.sb);
  if (needed > capacity) throw new TransactionTooLargeError(needed, capacity);
}

/**
 * One JBD2 transaction: needs_recovery set; descriptor, data and commit blocks written at s_first, flush;
 * the journal superblock pointed at them (the commit point), flush; the blocks written home, flush; the
 * journal marked empty, flush; needs_recovery cleared, flush. The journal must be empty on the card.
 */
export async function commitTransaction(overlay: BlockOverlay, raw: RawImage, journal: CardJournal, jsbOnCard: Buffer, sequence: number, blocks: readonly FsBlock[], now: Date): Promise<number> {
  const { sb } = journal;
  checkFits(journal, blocks.length);
  const recoverOn = (s: Buffer): Buffer => withNeedsRecovery(s, true);
  const home = withFlag(overlay, blocks, recoverOn);
  const log = buildTransaction(sb, sequence, home, now.getTime() / 1000);
  await setSuperblockFlag(overlay, raw, recoverOn);
  await overlay.writeHome(log.map((data, i) => ({ fsBlock: journal.fsBlockOf(sb.first + i), data })));
  await raw.flush();
  const jsbBlock = journal.fsBlockOf(0);
  await overlay.writeHome([{ fsBlock: jsbBlock, data: withJournalState(jsbOnCard, { start: sb.first, sequence }) }]);
  await raw.flush();
  await overlay.writeHome(home);
  await raw.flush();
  await overlay.writeHome([{ fsBlock: jsbBlock, data: withJournalState(jsbOnCard, { start: 0, sequence: (sequence + 1) >>> 0 }) }]);
  await raw.flush();
  const { block } = superblockPlace(overlay.blockSize);
  const finalSb = blocks.find((b) => b.fsBlock === block)?.data;
  await setSuperblockFlag(overlay, raw, (s) => withNeedsRecovery(s, false), finalSb);
  return log.length;
}

/**
 * A filesystem without a journal: the superblock marked not clean, flush; the blocks written in place
 * (the superblock still not clean), flush; marked clean, flush. An interruption is seen by the next open
 * and by the device's fsck, but is not undone.
 */
export async function commitDirect(overlay: BlockOverlay, raw: RawImage, blocks: readonly FsBlock[]): Promise<void> {
  const notClean = (s: Buffer): Buffer => withCleanState(s, false);
  await setSuperblockFlag(overlay, raw, notClean);
  await overlay.writeHome(withFlag(overlay, blocks, notClean));
  await raw.flush();
  const { block } = superblockPlace(overlay.blockSize);
  await setSuperblockFlag(overlay, raw, (s) => withCleanState(s, true), blocks.find((b) => b.fsBlock === block)?.data);
}
