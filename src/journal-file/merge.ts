import type { JournalFile } from './journal-file';
import type { EntryObject } from './objects';
import { compareLocations, type Located } from './order';

// Entries of several files as one stream, newest first or oldest first, picking at each step the file
// whose next entry comes first in journalctl's order.

/** Which entries of one file take part: index ranges into its entryOffsets (all of them by default). */
export interface FileRange {
  readonly file: JournalFile;
  readonly ranges: ReadonlyArray<readonly [start: number, end: number]>;
}

/** An entry and the file it was read from. */
export interface MergedEntry extends Located {
  readonly file: JournalFile;
}

class Cursor {
  private rangeIndex: number;
  private index: number;
  head: MergedEntry | undefined;

  constructor(readonly range: FileRange, private readonly backward: boolean) {
    this.rangeIndex = backward ? range.ranges.length - 1 : 0;
    const first = range.ranges[this.rangeIndex];
    this.index = first === undefined ? 0 : backward ? first[1] - 1 : first[0];
  }

  /** Loads the next entry of this file into `head` (undefined at the end, or at a torn entry). */
  async advance(): Promise<void> {
    this.head = undefined;
    for (;;) {
      const range = this.range.ranges[this.rangeIndex];
      if (range === undefined) return;
      if (this.index >= range[0] && this.index < range[1]) break;
      this.rangeIndex += this.backward ? -1 : 1;
      const next = this.range.ranges[this.rangeIndex];
      if (next !== undefined) this.index = this.backward ? next[1] - 1 : next[0];
    }
    const offset = this.range.file.entryOffsets[this.index];
    this.index += this.backward ? -1 : 1;
    if (offset === undefined) return;
    const entry: EntryObject | undefined = await this.range.file.entry(offset);
    if (entry === undefined) {
      // A torn entry: going forward nothing after it is trusted; going backward, try the one before.
      if (this.backward) return this.advance();
      this.rangeIndex = this.range.ranges.length;
      return;
    }
    this.head = { entry, seqnumId: this.range.file.header.seqnumId, file: this.range.file };
  }
}

/** All entries of the given ranges in journalctl's order (`backward`: newest first), each shown once. */
export async function* mergeEntries(ranges: readonly FileRange[], backward: boolean): AsyncGenerator<MergedEntry> {
  const cursors = ranges.map((r) => new Cursor(r, backward));
  await Promise.all(cursors.map((c) => c.advance()));
  let previous: MergedEntry | undefined;
  for (;;) {
    let best: Cursor | undefined;
    for (const cursor of cursors) {
      if (cursor.head === undefined) continue;
      if (best?.head === undefined) best = cursor;
      else {
        const r = compareLocations(cursor.head, best.head);
        if (backward ? r > 0 : r < 0) best = cursor;
      }
    }
    const head = best?.head;
    if (best === undefined || head === undefined) return;
    await best.advance();
    if (previous !== undefined && compareLocations(previous, head) === 0) continue;
    previous = head;
    yield head;
  }
}

/** Every entry of a file (one range over all its offsets). */
export function wholeFile(file: JournalFile): FileRange {
  return { file, ranges: [[0, file.entryOffsets.length]] };
}
