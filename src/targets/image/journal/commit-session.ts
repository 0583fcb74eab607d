import { HaError } from '../../../errors/ha-error';
import type { BlockOverlay, RawImage } from '../block-overlay';
import { checkFits, checkpointReplay, commitDirect, commitTransaction, TransactionTooLargeError, type CommitReport } from './journal-commit';
import type { PartitionJournal } from './partition-journal';

/** What a write session put on the card. */
export type CommitOutcome = CommitReport;

/**
 * Commits the blocks a session changed: on a journaled filesystem, a pending replay is written first and
 * then the change goes in as one JBD2 transaction; without a journal, in place between not-clean marks.
 * Everything that can refuse (size, a journal with a recorded error) refuses before the first write.
 */
export async function commitSession(overlay: BlockOverlay, raw: RawImage, journal: PartitionJournal, repairCommand: string): Promise<CommitOutcome> {
  const changed = await overlay.changedBlocks();
  const card = journal.card;
  if (card === undefined) {
    if (changed.length > 0) await commitDirect(overlay, raw, changed);
    return { mode: 'direct', blocks: changed.length, logBlocks: 0, replayedFirst: false };
  }
  if (card.sb.errno !== 0) {
    throw new HaError(`The data partition's journal records an error (${card.sb.errno}); not writing to it`, {
      hint: `Repair it with ${repairCommand} (the device does this when it boots), then try again.`,
    });
  }
  try {
    checkFits(card, changed.length);
  } catch (error) {
    if (!(error instanceof TransactionTooLargeError)) throw error;
    throw new HaError(`The change is too large for the data partition's journal (${error.needed} blocks, the journal holds ${error.capacity}); nothing was written`, {
      hint: 'This is unexpected for a password or onboarding change: report it, with the output of "ha --image ... info".',
    });
  }
  if (changed.length === 0) return { mode: 'journal', blocks: 0, logBlocks: 0, replayedFirst: false };
  if (journal.checkpointFirst) await checkpointReplay(overlay, raw, card);
  const jsbOnCard = await overlay.cardBlock(card.fsBlockOf(0));
  const logBlocks = await commitTransaction(overlay, raw, card, jsbOnCard, journal.nextSequence, changed, new Date());
  return { mode: 'journal', blocks: changed.length, logBlocks, replayedFirst: journal.checkpointFirst };
}
