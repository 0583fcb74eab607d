import type { LogService } from '../supervisor/api';
import type { EmulatorContext, LogLine } from './options';

/** One entry with its place in the journal. */
export interface JournalEntry extends LogLine {
  readonly timestampMs: number;
  readonly cursor: string;
}

/** Spacing of history entries in time. */
const HISTORY_SPACING_MS = 1000;
/** Age of each older boot relative to the next. */
const BOOT_AGE_MS = 86_400_000;

/** Journal cursor of entry `index` of a boot (a made-up but stable form `s=<boot id>;i=<hex>`). */
export function makeCursor(bootId: string, index: number): string {
  return `s=${bootId};i=${index.toString(16)}`;
}

/** Index of a cursor within a boot, or undefined when it is not one of this boot's. */
export function cursorIndex(cursor: string, bootId: string): number | undefined {
  const match = /^s=([0-9a-f]+);i=([0-9a-f]+)$/.exec(cursor);
  if (!match || match[1] !== bootId) return undefined;
  return parseInt(match[2] ?? '', 16);
}

/** History of a service in a boot (boot position 0 = current), filtered by identifier (host). */
export function historyOf(context: EmulatorContext, service: LogService, bootPosition: number, identifier: string | undefined): JournalEntry[] {
  const bootId = context.bootIds[bootPosition] ?? '';
  const total = context.historyLines(service);
  const endMs = context.startedAtMs - bootPosition * BOOT_AGE_MS;
  const entries: JournalEntry[] = [];
  for (let i = 0; i < total; i += 1) {
    const line = context.generator(service, i, -bootPosition);
    if (identifier !== undefined && line.identifier !== identifier) continue;
    entries.push({ ...line, timestampMs: endMs - (total - i) * HISTORY_SPACING_MS, cursor: makeCursor(bootId, i) });
  }
  return entries;
}

/** A new (follow) entry number `index` of the current boot, stamped now. */
export function newEntry(context: EmulatorContext, service: LogService, index: number, identifier: string | undefined): JournalEntry {
  const line = context.generator(service, index, 0);
  return { ...line, identifier: identifier ?? line.identifier, timestampMs: Date.now(), cursor: makeCursor(context.bootIds[0] ?? '', index) };
}

const ANSI_PATTERN = /\u001b\[[0-9;]*[A-Za-z]/g;

/** How an entry is printed: plain = message only; verbose = `YYYY-MM-DD HH:MM:SS.mmm host ident[pid]: message`. */
export function formatEntry(entry: JournalEntry, verbose: boolean, hostname: string, noColors: boolean): string {
  const message = noColors ? entry.message.replace(ANSI_PATTERN, '') : entry.message;
  if (!verbose) return `${message}\n`;
  const stamp = new Date(entry.timestampMs).toISOString().replace('T', ' ').slice(0, 23);
  return `${stamp} ${hostname} ${entry.identifier}[${entry.pid}]: ${message}\n`;
}
