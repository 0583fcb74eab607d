import { basename } from 'node:path';
import { createStorageTarget } from '../../storage/storage-target';
import type { TargetScope } from '../types';
import { partitionName } from './layout';
import { withImage, type JournalView } from './session';

/** What the target's description says about the journal (where it matters to the person reading it). */
export function journalNote(journal: JournalView): string {
  if (journal.kind === 'none') return '; a filesystem without a journal: changes are written in place';
  if (journal.pendingTransactions === 0) return '';
  const count = journal.pendingTransactions;
  return `; with ${count} journal transaction${count === 1 ? '' : 's'} left by a power cut replayed`;
}

/**
 * Opens the Home Assistant data partition of an SD-card image or block device (`--image PATH`) as a
 * recovery target, through ext2fs: no mount, no root. Every open checks the image first (and refuses with
 * nothing written); a write session holds the writer's lock and commits its change as one journal
 * transaction at the end. An unmounted image cannot have Home Assistant running on it, so no running check
 * is made.
 */
export function openImageTarget(path: string, options: { write: boolean }): TargetScope {
  return async (fn) =>
    withImage(path, options, async (image) => {
      const description = `image ${basename(path)} (partition ${partitionName(image.partition)}${journalNote(image.journal)})`;
      return fn(createStorageTarget(image.storage, description));
    });
}
