import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JournalFile } from '../../src/journal-file/journal-file';
import { bootsTable, readJournalLines, type JournalQuery } from '../../src/journal-file/query';
import { journalctl, localFileSource, logEntry, tearTail, writeJournal, type ExportEntry } from '../helpers/systemd-journal-fixture';

// Our journal reader against systemd itself: files written by systemd-journal-remote (compact and regular,
// keyed and Jenkins hashes, zstd-compressed and plain), read back by journalctl -o cat / -o json.

const BOOTS = ['1a'.repeat(16), '2b'.repeat(16), '3c'.repeat(16)];
const IDENTS = ['homeassistant', 'hassio_supervisor', 'hassio_dns', 'NetworkManager', 'kernel', 'systemd'];
const BASE_US = 1_764_000_000_000_000;

function traceback(i: number): string {
  const frames = Array.from({ length: 40 }, (_, j) => `  File "/usr/src/homeassistant/homeassistant/components/x${j}.py", line ${j + i}, in handler\n    await self.run()`);
  return `Error doing job: Task exception was never retrieved (#${i})\nTraceback (most recent call last):\n${frames.join('\n')}\nValueError: bad value ${i}`;
}

/** Entries of three boots: every identifier, tracebacks (compressed by systemd), UTF-8, colours, no _PID. */
function makeEntries(count: number, offset = 0): ExportEntry[] {
  return Array.from({ length: count }, (_, k) => {
    const i = k + offset;
    const boot = Math.min(2, Math.floor((i * 3) / (count + offset)));
    const ident = IDENTS[i % IDENTS.length] ?? 'kernel';
    const message = i % 11 === 0 ? traceback(i) : i % 13 === 0 ? `\x1b[32mcoloured ${i}\x1b[0m ünïcödé ✓` : `${ident} line ${i}`;
    return logEntry({ realtimeUs: BASE_US + i * 1_234_567, monotonicUs: 5_000_000 + i * 1_000 + boot, bootId: BOOTS[boot] ?? '', ident, ...(i % 5 === 4 ? {} : { pid: 100 + (i % 7) }), message });
  });
}

/** The Supervisor's verbose line from journalctl's JSON (supervisor utils/systemd_journal.py journal_verbose_formatter). */
function verboseFromJson(line: string): string {
  // journalctl -o json gives a value with control characters (colours) as an array of its bytes.
  const raw = JSON.parse(line) as Record<string, string | number[]>;
  const e = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === 'string' ? v : Buffer.from(v).toString('utf8')]));
  const ts = new Date(Math.floor(Number(e['__REALTIME_TIMESTAMP']) / 1000)).toISOString().replace('T', ' ').slice(0, 23);
  const ident = e['SYSLOG_IDENTIFIER'] ?? '_UNKNOWN_';
  return `${ts} ${e['_HOSTNAME'] ?? ''} ${e['_PID'] === undefined ? ident : `${ident}[${e['_PID']}]`}: ${e['MESSAGE'] ?? ''}`;
}

let dir: string;
const sources: Array<{ close(): void }> = [];
async function openFiles(paths: readonly string[]): Promise<JournalFile[]> {
  return Promise.all(paths.map(async (p) => {
    const source = localFileSource(p);
    sources.push(source);
    return JournalFile.open(p, source);
  }));
}

async function ours(paths: readonly string[], query: Partial<JournalQuery>): Promise<string> {
  const lines = await readJournalLines(await openFiles(paths), { lines: 100, verbose: false, noColors: false, ...query });
  return lines.map((l) => `${l}\n`).join('');
}

function judgeArgs(query: Partial<JournalQuery>): string[] {
  return ['-n', String(query.lines ?? 100), ...(query.identifiers ?? []).flatMap((t) => ['-t', t]), ...(query.boot === undefined ? [] : ['-b', query.boot])];
}

const FORMATS = [
  { name: 'compact, keyed hash, zstd', env: {}, compress: true },
  { name: 'regular, Jenkins hash, zstd', env: { SYSTEMD_JOURNAL_COMPACT: '0', SYSTEMD_JOURNAL_KEYED_HASH: '0' }, compress: true },
  { name: 'compact, uncompressed (as HAOS writes)', env: {}, compress: false },
] as const;

const QUERIES: ReadonlyArray<Partial<JournalQuery>> = [
  {},
  { lines: 1 },
  { lines: 1000 },
  { identifiers: ['homeassistant'] },
  { identifiers: ['homeassistant'], lines: 7 },
  { identifiers: ['hassio_supervisor'], boot: '-1' },
  { identifiers: ['hassio_dns'], boot: '0', lines: 3 },
  { identifiers: ['NetworkManager', 'kernel', 'systemd'], lines: 50 },
  { boot: '1' },
  { boot: BOOTS[1] ?? '', lines: 500 },
  { identifiers: ['nobody'] },
];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ha-journal-file-'));
  for (const [i, format] of FORMATS.entries()) writeJournal(join(dir, `f${i}.journal`), makeEntries(600), { compress: format.compress, env: format.env });
  // Interleaved: two files written side by side (odd and even entries), as a rotated and an active file overlap.
  const all = makeEntries(400);
  writeJournal(join(dir, 'odd.journal'), all.filter((_, i) => i % 2 === 1));
  writeJournal(join(dir, 'even.journal'), all.filter((_, i) => i % 2 === 0), { env: { SYSTEMD_JOURNAL_COMPACT: '0' } });
  // The same entries in two files (a copy): journalctl shows each once.
  writeJournal(join(dir, 'dup.journal'), all.filter((_, i) => i % 2 === 1));
}, 60_000);

afterAll(() => {
  for (const s of sources) s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.each(FORMATS.map((f, i) => [f.name, i] as const))('journal file (%s)', (_name, index) => {
  const file = (): string => join(dir, `f${index}.journal`);

  it.each(QUERIES.map((q) => [JSON.stringify(q), q] as const))('-o cat equals journalctl for %s', async (_label, query) => {
    expect(await ours([file()], query)).toBe(journalctl([file()], ['-o', 'cat', ...judgeArgs(query)]));
  });

  it('verbose lines equal the Supervisor format of journalctl -o json', async () => {
    const query = { identifiers: ['homeassistant', 'kernel'], lines: 80 };
    const expected = journalctl([file()], ['-o', 'json', '--all', ...judgeArgs(query)]).trim().split('\n').map(verboseFromJson);
    expect(await readJournalLines(await openFiles([file()]), { ...query, verbose: true, noColors: false })).toEqual(expected);
  });

  it('boots are the ones journalctl lists, offsets as the Supervisor gives them', async () => {
    const listed = journalctl([file()], ['--list-boots', '-o', 'json']);
    const ids = (JSON.parse(listed) as Array<{ boot_id: string }>).map((b) => b.boot_id);
    const table = await bootsTable(await openFiles([file()]));
    const byOffset = Object.entries(table.boots).sort(([a], [b]) => Number(a) - Number(b));
    expect(byOffset.map(([, id]) => id)).toEqual(ids);
    expect(table.boots['0']).toBe(ids[ids.length - 1]);
  });
});

describe('several files', () => {
  const files = (): string[] => ['odd', 'even', 'dup'].map((n) => join(dir, `${n}.journal`));

  it.each(QUERIES.map((q) => [JSON.stringify(q), q] as const))('interleave as journalctl does for %s', async (_label, query) => {
    expect(await ours(files(), query)).toBe(journalctl(files(), ['-o', 'cat', ...judgeArgs(query)]));
  });
});

describe('torn tails', () => {
  it.each([0.5, 0.8, 0.95])('a file cut at %s of its used size reads what journalctl reads', async (fraction) => {
    const torn = join(dir, `torn-${fraction}.journal~`);
    copyFileSync(join(dir, 'f2.journal'), torn);
    tearTail(torn, fraction);
    expect(await ours([torn], { lines: 1000 })).toBe(journalctl([torn], ['-o', 'cat', '-n', '1000']));
  });
});
