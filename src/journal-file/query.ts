import { bootRanges, listBoots, selectBoot, type Boot } from './boots';
import { fieldTexts, formatEntry } from './format';
import type { JournalFile } from './journal-file';
import { JournalFileError } from './journal-file-error';
import { mergeEntries, wholeFile, type FileRange } from './merge';

// What a log command asks of a journal: the last N entries of some SYSLOG_IDENTIFIERs (of one boot),
// formatted as the Supervisor would. Walks newest first and stops after N matches, as journalctl -n does.

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

/** The ranges to read: every file, or only the runs of the boot `-b` names (refused when there is no such boot). */
async function rangesFor(files: readonly JournalFile[], boot: string | undefined): Promise<FileRange[]> {
  if (boot === undefined) return files.map(wholeFile);
  const chosen = selectBoot(await listBoots(files), boot);
  if (typeof chosen === 'string') throw new JournalFileError(chosen, { hint: "See the boots with 'host logs boots'." });
  return bootRanges(chosen);
}

/** The formatted last `lines` entries that match, oldest first (multi-line messages stay one item). */
export async function readJournalLines(files: readonly JournalFile[], query: JournalQuery): Promise<string[]> {
  const wanted = query.identifiers === undefined ? undefined : new Set(query.identifiers);
  const out: string[] = [];
  let matched = 0;
  for await (const { entry, file } of mergeEntries(await rangesFor(files, query.boot), true)) {
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
