import { bootRanges, listBoots, selectBoot, type Boot } from './boots';
import { fieldTexts, formatEntry } from './format';
import type { JournalFile } from './journal-file';
import { JournalFileError } from './journal-file-error';
import { newestEntries, type FileSource } from './merge';

// What a log command asks of a journal: the last N entries of some SYSLOG_IDENTIFIERs (of one boot),
// formatted as the Supervisor would. As journalctl does (sd-journal.c: a match is a DATA object found
// through the hash table, its entries walked through its own entry array), each file gives the entry
// arrays of the SYSLOG_IDENTIFIER=... objects, walked from the end and merged newest first, stopping after
// N. A file whose hash table or arrays look wrong is read the careful way instead: its global entry array,
// each entry's fields checked.

/** A log request against journal files. */
export interface JournalQuery {
  /** SYSLOG_IDENTIFIER values to show (any of them); undefined for every entry. */
  readonly identifiers?: readonly string[];
  /** `-b`: a boot offset or id. */
  readonly boot?: string;
  /** The last N entries. */
  readonly lines: number;
  readonly verbose: boolean;
  readonly noColors: boolean;
}

/** The entry offset ranges of each file the boot `-b` names (refused when there is no such boot); undefined for all. */
async function rangesFor(files: readonly JournalFile[], boot: string | undefined): Promise<ReadonlyMap<JournalFile, ReadonlyArray<readonly [number, number]>> | undefined> {
  if (boot === undefined) return undefined;
  const chosen = selectBoot(await listBoots(files), boot);
  if (typeof chosen === 'string') throw new JournalFileError(chosen, { hint: "See the boots with 'host logs boots'." });
  return bootRanges(chosen);
}

/** Where one file's matching entries are: the identifiers' DATA entry arrays, or (careful) every entry. */
async function sourceFor(file: JournalFile, identifiers: readonly string[] | undefined, ranges: ReadonlyArray<readonly [number, number]> | undefined): Promise<FileSource | undefined> {
  const bounded = ranges === undefined ? {} : { ranges };
  if (identifiers === undefined) return { file, lists: [file.entries], ...bounded };
  const lists = [];
  const lookups = await Promise.all([...new Set(identifiers)].map((identifier) => file.findData(Buffer.from(`SYSLOG_IDENTIFIER=${identifier}`, 'utf8'))));
  for (const found of lookups) {
    if (found.kind === 'damaged') return { file, lists: [file.entries], ...bounded };
    if (found.kind === 'found') lists.push(found.entries);
  }
  return lists.length === 0 ? undefined : { file, lists, ...bounded };
}

/** The formatted last `lines` entries that match, oldest first (multi-line messages stay one item). */
export async function readJournalLines(files: readonly JournalFile[], query: JournalQuery): Promise<string[]> {
  const wanted = query.identifiers === undefined ? undefined : new Set(query.identifiers);
  const out: string[] = [];
  let matched = 0;
  const ranges = await rangesFor(files, query.boot);
  // The files' lookups are independent: made side by side, so their reads wait together, not in turn.
  const found = await Promise.all(files.map((file) => {
    const own = ranges === undefined ? undefined : ranges.get(file);
    if (ranges !== undefined && own === undefined) return undefined; // the boot has no entries in this file
    return sourceFor(file, query.identifiers, own);
  }));
  const sources = found.filter((s): s is FileSource => s !== undefined);
  for await (const { entry, file } of newestEntries(sources)) {
    if (matched >= query.lines) break;
    const fields = await file.fields(entry);
    if (wanted !== undefined && !fields.some((f) => f.name === 'SYSLOG_IDENTIFIER' && wanted.has(f.value.toString('utf8')))) continue;
    matched += 1;
    const line = formatEntry(entry, fieldTexts(fields), query);
    if (line !== undefined) out.push(line);
  }
  return out.reverse();
}

/** `host logs boots` as the Supervisor answers it: offsets (0 = newest, -1 before it, ...) to boot ids. */
export async function bootsTable(files: readonly JournalFile[]): Promise<{ boots: Record<string, string> }> {
  const boots: Boot[] = await listBoots(files);
  const table: Record<string, string> = {};
  boots.forEach((boot, i) => {
    table[String(1 + i - boots.length)] = boot.bootId;
  });
  return { boots: table };
}
