import type { EntryObject } from './objects';

// The order journalctl shows entries of several files in: journal_file_compare_locations() in systemd's
// src/libsystemd/sd-journal/journal-file.c (same seqnum source: seqnum; same boot: monotonic; else
// realtime; last the xor hash). Equal locations are one entry seen in two files and shown once.

/** An entry with the seqnum source of its file. */
export interface Located {
  readonly entry: EntryObject;
  readonly seqnumId: string;
}

function cmp(a: number | string, b: number | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Negative when `a` comes before `b`, 0 for the same entry (pure). */
export function compareLocations(a: Located, b: Located): number {
  const x = a.entry;
  const y = b.entry;
  if (x.bootId === y.bootId && x.monotonic === y.monotonic && x.realtime === y.realtime && x.xorHash === y.xorHash && a.seqnumId === b.seqnumId && x.seqnum === y.seqnum) return 0;
  if (a.seqnumId === b.seqnumId) {
    const r = cmp(x.seqnum, y.seqnum);
    if (r !== 0) return r;
  }
  if (x.bootId === y.bootId) {
    const r = cmp(x.monotonic, y.monotonic);
    if (r !== 0) return r;
  }
  return cmp(x.realtime, y.realtime) || cmp(x.xorHash, y.xorHash);
}
