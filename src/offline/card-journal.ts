import type { Ext2Promises } from 'ext2fs';
import { HaError } from '../errors/ha-error';
import { serializedSource } from '../journal-file/byte-source';
import { JournalFile } from '../journal-file/journal-file';
import { openExtFile, type ExtFile } from './ext-file';

// The persistent journal of a HAOS card: hassos-data `/logs/<machine-id>/` (bind-mounted at /var/log/journal
// by operating-system's var-log-journal.mount), with `system.journal`, archived `system@...journal` and
// `*.journal~` files from unclean shutdowns.

/** Where HAOS keeps the journal on the data partition. */
export const CARD_JOURNAL_ROOT = '/logs';

/** True for a name journalctl --directory reads. */
export function isJournalName(name: string): boolean {
  return name.endsWith('.journal') || name.endsWith('.journal~');
}

/** Opens every journal file on the card and runs `fn` on them; closes them all after. */
export async function withCardJournal<T>(ext: Ext2Promises, fn: (files: JournalFile[]) => Promise<T>): Promise<T> {
  const paths = await journalPaths(ext);
  if (paths.length === 0) {
    throw new HaError('This card has no persistent journal (no journal files under /logs on the data partition)', {
      hint: 'Home Assistant OS keeps its journal in /logs/<machine-id>/; a card that never booted has none yet.',
    });
  }
  const opened: ExtFile[] = [];
  try {
    const sources: Array<readonly [string, ExtFile]> = [];
    for (const path of paths) {
      const source = await openExtFile(ext, path);
      opened.push(source);
      // An empty file (created, never written before a power cut) holds nothing: journalctl skips it too.
      if (source.size > 0) sources.push([path, source]);
    }
    // Opened side by side: each is a few small reads (its header, the tail of its entry array). The reader
    // overlaps reads; ext2fs takes them one at a time.
    const files = await Promise.all(sources.map(([path, source]) => JournalFile.open(path, source.parallel === true ? source : serializedSource(source))));
    return await fn(files);
  } finally {
    for (const file of opened) await file.close();
  }
}

async function journalPaths(ext: Ext2Promises): Promise<string[]> {
  let dirs: string[];
  try {
    dirs = await ext.readdir(CARD_JOURNAL_ROOT);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const dir of dirs.filter((d) => d !== '.' && d !== '..').sort()) {
    const path = `${CARD_JOURNAL_ROOT}/${dir}`;
    if (isJournalName(dir)) {
      out.push(path);
      continue;
    }
    const stats = await ext.stat(path).catch(() => undefined);
    if (stats?.isDirectory() !== true) continue;
    for (const name of (await ext.readdir(path)).filter(isJournalName).sort()) out.push(`${path}/${name}`);
  }
  return out;
}
