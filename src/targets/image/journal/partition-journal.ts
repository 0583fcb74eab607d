import { HaError } from '../../../errors/ha-error';
import type { BlockOverlay } from '../block-overlay';
import { parseSuperblock, SUPERBLOCK_OFFSET_BYTES, SUPERBLOCK_SIZE_BYTES } from '../superblock';
import { openCardJournal, type CardJournal } from './card-journal';
import { JournalFormatError } from './jbd2-format';
import { JournalCorruptError, planReplay, type ReplayPlan } from './jbd2-recovery';
import { replayLayer } from './journal-commit';
import { JournalPlacementError } from './journal-inode';

/** The data partition's journal as a session uses it. */
export interface PartitionJournal {
  /** The internal journal; undefined when the filesystem has none. */
  readonly card: CardJournal | undefined;
  /** The replay the kernel would do at the next mount; undefined when there is nothing to replay. */
  readonly plan: ReplayPlan | undefined;
  /** Blocks reads see instead of the card's: the replay, the reset journal, the superblock without needs_recovery. */
  readonly replayLayer: ReadonlyMap<number, Buffer>;
  /** The card must be brought to the replayed state before a change is committed. */
  readonly checkpointFirst: boolean;
  /** Sequence number of the next transaction written into this journal. */
  readonly nextSequence: number;
}

function refuse(error: unknown, repairCommand: string): never {
  const what = error instanceof Error ? error.message : String(error);
  throw new HaError(`The data partition's journal cannot be used: ${what}; not guessing at its contents`, {
    hint: `Boot the device once (it repairs this at boot), or on Linux repair it with ${repairCommand}.`,
    cause: error,
  });
}

/**
 * Opens the journal of the filesystem under `overlay` and plans the replay the kernel would do: when the
 * superblock says needs_recovery and the journal holds transactions. A journal whose log is not flagged
 * for recovery is ignored, as the kernel ignores (wipes) it. Damage the kernel would refuse is refused.
 */
export async function openPartitionJournal(overlay: BlockOverlay, repairCommand: string): Promise<PartitionJournal> {
  const head = await overlay.cardBytes(0, Math.ceil(2048 / overlay.blockSize));
  const superblock = parseSuperblock(head.subarray(SUPERBLOCK_OFFSET_BYTES, SUPERBLOCK_OFFSET_BYTES + SUPERBLOCK_SIZE_BYTES));
  const needsRecovery = superblock?.needsRecovery === true;
  let card: CardJournal | undefined;
  try {
    card = await openCardJournal(overlay);
  } catch (error) {
    if (error instanceof JournalFormatError || error instanceof JournalPlacementError) refuse(error, repairCommand);
    throw error;
  }
  if (card === undefined) {
    if (needsRecovery) refuse(new Error('the superblock asks for a journal replay but the filesystem has no journal'), repairCommand);
    return { card, plan: undefined, replayLayer: new Map(), checkpointFirst: false, nextSequence: 0 };
  }
  if (!card.sb.checksumOk) refuse(new Error('the journal superblock\'s checksum is wrong'), repairCommand);
  let plan: ReplayPlan | undefined;
  try {
    if (card.sb.start !== 0) plan = await planReplay(card.log);
  } catch (error) {
    if (error instanceof JournalCorruptError && needsRecovery) refuse(error, repairCommand);
    if (!(error instanceof JournalCorruptError || error instanceof JournalFormatError)) throw error;
  }
  const nextSequence = ((plan?.endTransaction ?? card.sb.sequence) + 1) >>> 0;
  if (!needsRecovery) {
    // The kernel wipes a journal whose filesystem is not flagged for recovery; so do reads here.
    return { card, plan: undefined, replayLayer: new Map(), checkpointFirst: false, nextSequence };
  }
  const layer = await replayLayer(overlay, card, plan);
  return { card, plan, replayLayer: layer, checkpointFirst: true, nextSequence };
}
