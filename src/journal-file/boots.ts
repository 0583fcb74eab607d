import type { JournalFile } from './journal-file';
import type { EntryObject } from './objects';
import { compareLocations, type Located } from './order';

// Boots of a journal: one writer appends one boot after another, so within a file a boot is one run of
// entries, found by galloping and bisection over the global entry array (read item by item, not whole)
// instead of reading every entry.

/** A boot: its id, its first and last entry across all files, and where its entries are in each file. */
export interface Boot {
  readonly bootId: string;
  readonly first: Located;
  readonly last: Located;
  /** Per file, the runs of this boot as [first entry offset, last entry offset] (inclusive). */
  readonly ranges: ReadonlyMap<JournalFile, Array<readonly [number, number]>>;
}

interface Run {
  readonly file: JournalFile;
  readonly start: number;
  readonly end: number;
  readonly first: EntryObject;
  readonly last: EntryObject;
}

/** The runs of equal boot ids in one file (a torn entry ends the file). */
async function runsOf(file: JournalFile): Promise<Run[]> {
  const runs: Run[] = [];
  const at = async (i: number): Promise<EntryObject | undefined> => {
    const offset = await file.entries.at(i);
    return offset === undefined ? undefined : file.entry(offset);
  };
  let n = file.entries.length;
  let start = 0;
  while (start < n) {
    const first = await at(start);
    if (first === undefined) break;
    // Gallop to an index past the run (or the end), then bisect for the run's last entry.
    let good = start;
    let step = 1;
    let bad = n;
    while (good + step < n) {
      const probe = await at(good + step);
      if (probe === undefined) { n = good + step; break; }
      if (probe.bootId !== first.bootId) { bad = good + step; break; }
      good += step;
      step *= 2;
    }
    bad = Math.min(bad, n);
    while (bad - good > 1) {
      const mid = (good + bad) >>> 1;
      const probe = await at(mid);
      if (probe !== undefined && probe.bootId === first.bootId) good = mid;
      else bad = mid;
    }
    const last = (await at(good)) ?? first;
    runs.push({ file, start, end: good + 1, first, last });
    start = good + 1;
  }
  return runs;
}

/** The boots of a set of files, oldest first (by their first entry in journalctl's order). */
export async function listBoots(files: readonly JournalFile[]): Promise<Boot[]> {
  const byId = new Map<string, { bootId: string; first: Located; last: Located; ranges: Map<JournalFile, Array<readonly [number, number]>> }>();
  for (const file of files) {
    for (const run of await runsOf(file)) {
      const first = { entry: run.first, seqnumId: file.header.seqnumId };
      const last = { entry: run.last, seqnumId: file.header.seqnumId };
      const boot = byId.get(run.first.bootId);
      if (boot === undefined) {
        byId.set(run.first.bootId, { bootId: run.first.bootId, first, last, ranges: new Map([[file, [[run.first.offset, run.last.offset]]]]) });
        continue;
      }
      if (compareLocations(first, boot.first) < 0) boot.first = first;
      if (compareLocations(last, boot.last) > 0) boot.last = last;
      const list = boot.ranges.get(file) ?? [];
      list.push([run.first.offset, run.last.offset]);
      boot.ranges.set(file, list);
    }
  }
  return [...byId.values()].sort((a, b) => compareLocations(a.first, b.first));
}

/** The offset ranges of each file that hold one boot's entries. */
export function bootRanges(boot: Boot): ReadonlyMap<JournalFile, ReadonlyArray<readonly [number, number]>> {
  return boot.ranges;
}

/**
 * The boot `-b` names (pure): 0 or a negative number counts back from the newest, a positive one up from
 * the oldest (1 = oldest), anything else is a boot id (32 hex digits, dashes allowed). As the Supervisor's
 * get_boot_id() (supervisor/host/logs.py) and journalctl -b.
 */
export function selectBoot(boots: readonly Boot[], spec: string): Boot | string {
  const trimmed = spec.trim();
  if (/^[+-]?\d+$/.test(trimmed)) {
    const n = Number(trimmed);
    const index = n <= 0 ? boots.length - 1 + n : n - 1;
    const boot = boots[index];
    return boot ?? `The journal holds ${boots.length} boot${boots.length === 1 ? '' : 's'}; there is no boot ${trimmed}.`;
  }
  const id = trimmed.replace(/-/g, '').toLowerCase();
  return boots.find((b) => b.bootId === id) ?? `No boot ${trimmed} in this journal.`;
}
