import type { EntryField } from './journal-file';
import type { EntryObject } from './objects';

// Entries as the Supervisor returns them (supervisor/utils/systemd_journal.py): the plain formatter is the
// MESSAGE; the verbose one is `YYYY-MM-DD HH:MM:SS.mmm host ident[pid]: message` in UTC. A field given twice
// keeps its last value, as the Supervisor's dict does; bytes are read as UTF-8 with replacement characters.

// eslint-disable-next-line no-control-regex -- the Supervisor's _RE_ANSI_CSI_COLORS_PATTERN
const ANSI_COLORS = /\x1B\[[0-9;]*m/g;

/** The fields a formatted line uses. */
const SHOWN = new Set(['MESSAGE', 'SYSLOG_IDENTIFIER', '_PID', '_HOSTNAME']);

/** The fields of an entry a line shows, as text, last value winning (pure). */
export function fieldTexts(fields: readonly EntryField[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const field of fields) if (SHOWN.has(field.name)) out.set(field.name, field.value.toString('utf8'));
  return out;
}

/** `2026-11-29 18:21:40.123` for a realtime in microseconds (pure; truncated to milliseconds as isoformat). */
export function verboseTimestamp(realtimeUsec: number): string {
  const ms = Math.floor(realtimeUsec / 1000);
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 23);
}

/** One entry as the Supervisor's log endpoint writes it, without the newline (pure); undefined when it has no MESSAGE in plain mode. */
export function formatEntry(entry: EntryObject, fields: ReadonlyMap<string, string>, options: { readonly verbose: boolean; readonly noColors: boolean }): string | undefined {
  const raw = fields.get('MESSAGE');
  if (!options.verbose && raw === undefined) return undefined;
  const message = options.noColors ? (raw ?? '').replace(ANSI_COLORS, '') : raw ?? '';
  if (!options.verbose) return message;
  const ident = fields.get('SYSLOG_IDENTIFIER') ?? '_UNKNOWN_';
  const pid = fields.get('_PID');
  return `${verboseTimestamp(entry.realtime)} ${fields.get('_HOSTNAME') ?? ''} ${pid === undefined ? ident : `${ident}[${pid}]`}: ${message}`;
}
