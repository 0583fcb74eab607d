import type { EntryList } from './entry-list';
import type { JournalFile } from './journal-file';
import { compareLocations, type Located } from './order';

// Entries of several files as one stream, newest first, picking at each step the file whose next entry
// comes first in journalctl's order (sd-journal.c real_journal_next() with DIRECTION_UP). Within a file the
// entries come from one or more lists of entry offsets (the global entry array, or the entry arrays of the
// DATA objects a filter names, united as sd-journal ORs matches on one field), walked from their ends.

/** Which entries of one file take part. */
export interface FileSource {
  readonly file: JournalFile;
  /** Lists of entry offsets, united (one entry named by two lists is read once). */
  readonly lists: readonly EntryList[];
  /** Inclusive entry offset ranges to read (a boot's runs); every entry when undefined. */
  readonly ranges?: ReadonlyArray<readonly [number, number]>;
}

/** An entry and the file it was read from. */
export interface MergedEntry extends Located {
  readonly file: JournalFile;
}

/** One list walked from an offset back to its start; offsets strictly fall (a slot that does not is skipped). */
class Backward {
  head: number | undefined;
  private index = -1;
  private below = Number.MAX_SAFE_INTEGER;

  constructor(private readonly list: EntryList) {}

  async seek(atMost: number | undefined): Promise<void> {
    this.index = atMost === undefined ? this.list.length - 1 : await this.list.lastAtOrBefore(atMost);
    await this.step();
  }

  async step(): Promise<void> {
    while (this.index >= 0) {
      const offset = await this.list.at(this.index);
      this.index -= 1;
      if (offset !== undefined && offset < this.below) {
        this.below = offset;
        this.head = offset;
        return;
      }
    }
    this.head = undefined;
  }
}

/** The entry offsets of one file's source, newest first. */
async function* newestOffsets(source: FileSource): AsyncGenerator<number> {
  const ranges = source.ranges === undefined ? [undefined] : [...source.ranges].sort((a, b) => b[1] - a[1]);
  for (const range of ranges) {
    const cursors = source.lists.map((list) => new Backward(list));
    await Promise.all(cursors.map((c) => c.seek(range?.[1])));
    for (;;) {
      let newest: number | undefined;
      for (const c of cursors) if (c.head !== undefined && (newest === undefined || c.head > newest)) newest = c.head;
      if (newest === undefined || (range !== undefined && newest < range[0])) break;
      yield newest;
      await Promise.all(cursors.filter((c) => c.head === newest).map((c) => c.step()));
    }
  }
}

class Cursor {
  head: MergedEntry | undefined;
  private readonly offsets: AsyncGenerator<number>;

  constructor(readonly source: FileSource) {
    this.offsets = newestOffsets(source);
  }

  /** Loads the next (older) entry of this file into `head`; a torn entry is passed over for the one before it. */
  async advance(): Promise<void> {
    const { file } = this.source;
    for (;;) {
      const next = await this.offsets.next();
      if (next.done === true) {
        this.head = undefined;
        return;
      }
      const entry = await file.entry(next.value);
      if (entry === undefined) continue;
      this.head = { entry, seqnumId: file.header.seqnumId, file };
      return;
    }
  }
}

/** All entries of the given sources in journalctl's order, newest first, each shown once. */
export async function* newestEntries(sources: readonly FileSource[]): AsyncGenerator<MergedEntry> {
  const cursors = sources.map((s) => new Cursor(s));
  await Promise.all(cursors.map((c) => c.advance()));
  let previous: MergedEntry | undefined;
  for (;;) {
    let best: Cursor | undefined;
    for (const cursor of cursors) {
      if (cursor.head === undefined) continue;
      if (best?.head === undefined || compareLocations(cursor.head, best.head) > 0) best = cursor;
    }
    const head = best?.head;
    if (best === undefined || head === undefined) return;
    await best.advance();
    if (previous !== undefined && compareLocations(previous, head) === 0) continue;
    previous = head;
    yield head;
  }
}
