import { closeSync, copyFileSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ByteSource } from '../../src/journal-file/byte-source';
import { JournalFile } from '../../src/journal-file/journal-file';
import { readJournalLines, type JournalQuery } from '../../src/journal-file/query';
import { journalctl, localFileSource, logEntry, tearTail, writeJournal, type ExportEntry } from '../helpers/systemd-journal-fixture';

// The reader opens a file by its header and finds a filter's entries as journalctl does: the DATA object
// through the data hash table (Jenkins or keyed siphash), then its own entry array from the end. Files
// written by systemd-journal-remote in all four layouts; journalctl on the same files is the judge, and a
// counting source proves how little is read.

const BOOTS = ['4d'.repeat(16), '5e'.repeat(16), '6f'.repeat(16)];
const IDENTS = ['homeassistant', 'hassio_supervisor', 'kernel', 'NetworkManager', 'systemd', 'hassio_dns', 'dropbear', 'rare'];
const BASE_US = 1_764_500_000_000_000;
const COUNT = 6000;

function entries(count: number): ExportEntry[] {
  return Array.from({ length: count }, (_, i) => {
    const boot = Math.min(2, Math.floor((i * 3) / count));
    // 'rare' appears 3 times only, all in the first boot; every other identifier in every boot.
    const ident = i % 8 === 7 ? (i < 24 ? 'rare' : 'kernel') : IDENTS[i % 8] ?? 'kernel';
    return logEntry({ realtimeUs: BASE_US + i * 1_000_003, monotonicUs: 2_000_000 + i * 1000, bootId: BOOTS[boot] ?? '', ident, pid: 10 + (i % 5), message: `${ident} message ${i} ${'y'.repeat(i % 300)}` });
  });
}

const LAYOUTS = [
  { name: 'compact, keyed hash', env: {} },
  { name: 'compact, Jenkins hash', env: { SYSTEMD_JOURNAL_KEYED_HASH: '0' } },
  { name: 'regular, keyed hash', env: { SYSTEMD_JOURNAL_COMPACT: '0' } },
  { name: 'regular, Jenkins hash', env: { SYSTEMD_JOURNAL_COMPACT: '0', SYSTEMD_JOURNAL_KEYED_HASH: '0' } },
] as const;

let dir: string;
const closers: Array<() => void> = [];

/** A source that counts the bytes asked of it. */
function counted(path: string): ByteSource & { bytesRead: number } {
  const inner = localFileSource(path);
  closers.push(() => inner.close());
  const source = {
    size: inner.size,
    bytesRead: 0,
    read: async (offset: number, length: number) => {
      const bytes = await inner.read(offset, length);
      source.bytesRead += bytes.length;
      return bytes;
    },
  };
  return source;
}

async function ours(paths: readonly string[], query: Partial<JournalQuery>): Promise<string> {
  const files = await Promise.all(paths.map((p) => JournalFile.open(p, counted(p))));
  const lines = await readJournalLines(files, { lines: 100, verbose: false, noColors: false, ...query });
  return lines.map((l) => `${l}\n`).join('');
}

function judge(paths: readonly string[], query: Partial<JournalQuery>): string {
  return journalctl(paths, ['-o', 'cat', '-n', String(query.lines ?? 100), ...(query.identifiers ?? []).flatMap((t) => ['-t', t]), ...(query.boot === undefined ? [] : ['-b', query.boot])]);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ha-journal-lookup-'));
  for (const [i, layout] of LAYOUTS.entries()) writeJournal(join(dir, `l${i}.journal`), entries(COUNT), { compress: false, env: layout.env });
}, 120_000);

afterAll(() => {
  for (const close of closers) close();
  rmSync(dir, { recursive: true, force: true });
});

const QUERIES: ReadonlyArray<readonly [string, Partial<JournalQuery>]> = [
  ['one identifier', { identifiers: ['homeassistant'], lines: 50 }],
  ['several identifiers (ORed as -t -t)', { identifiers: ['hassio_dns', 'kernel', 'rare'], lines: 300 }],
  ['a filter with no match', { identifiers: ['nobody-logs-this'] }],
  ['-n larger than the matches', { identifiers: ['rare'], lines: 1000 }],
  ['-n larger than the matches of one identifier', { identifiers: ['hassio_supervisor'], lines: 5000 }],
  ['-b -1 with a filter', { identifiers: ['homeassistant'], boot: '-1', lines: 40 }],
  ['-b 1 (oldest) with a filter', { identifiers: ['rare', 'systemd'], boot: '1', lines: 2000 }],
  ['-b with a filter that has no entry in that boot', { identifiers: ['rare'], boot: '0' }],
  ['-b by id, unfiltered', { boot: BOOTS[1] ?? '', lines: 70 }],
  ['unfiltered, the global entry array from its tail', { lines: 30 }],
];

describe.each(LAYOUTS.map((l, i) => [l.name, i] as const))('%s', (_name, index) => {
  const file = (): string => join(dir, `l${index}.journal`);

  it('finds SYSLOG_IDENTIFIER=homeassistant through the hash table; open reads the header and one array header', async () => {
    const source = counted(file());
    const opened = await JournalFile.open(file(), source);
    expect(source.bytesRead).toBeLessThan(1024);
    const found = await opened.findData(Buffer.from('SYSLOG_IDENTIFIER=homeassistant'));
    expect(found.kind).toBe('found');
    const expected = judge([file()], { identifiers: ['homeassistant'], lines: COUNT }).match(/^homeassistant message/gm)?.length;
    expect(found.kind === 'found' ? found.entries.length : 0).toBe(expected);
    expect((await opened.findData(Buffer.from('SYSLOG_IDENTIFIER=nobody'))).kind).toBe('none');
    expect(source.bytesRead).toBeLessThan(8 * 1024);
  });

  it.each(QUERIES)('%s equals journalctl', async (_label, query) => {
    expect(await ours([file()], query)).toBe(judge([file()], query));
  });

  it('-n 10 of one identifier reads a small part of the file', async () => {
    const source = counted(file());
    const opened = await JournalFile.open(file(), source);
    const lines = await readJournalLines([opened], { identifiers: ['homeassistant'], lines: 10, verbose: false, noColors: false });
    expect(`${lines.join('\n')}\n`).toBe(judge([file()], { identifiers: ['homeassistant'], lines: 10 }));
    expect(source.bytesRead).toBeLessThan(source.size / 4);
  });
});

describe('several layouts at once', () => {
  it.each(QUERIES)('%s interleaves as journalctl does', async (_label, query) => {
    // Four files holding the same entries (as copies): each entry shown once, in journalctl's order.
    const files = LAYOUTS.map((_, i) => join(dir, `l${i}.journal`));
    expect(await ours(files, query)).toBe(judge(files, query));
  });
});

/** Sets bytes of a file in place. */
function poke(path: string, offset: number, bytes: Buffer): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, bytes, 0, bytes.length, offset);
  } finally {
    closeSync(fd);
  }
}

function peek(path: string, offset: number, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const out = Buffer.alloc(length);
    readSync(fd, out, 0, length, offset);
    return out;
  } finally {
    closeSync(fd);
  }
}

describe('damaged files fall back to the careful path', () => {
  it.each([0, 3])('a broken entry array chain of the DATA object in an unclean %i file: every match still shown', async (index) => {
    const intact = join(dir, `l${index}.journal`);
    const broken = join(dir, `broken-${index}.journal~`);
    copyFileSync(intact, broken);
    const file = await JournalFile.open(broken, counted(broken));
    const found = await file.findData(Buffer.from('SYSLOG_IDENTIFIER=hassio_dns'));
    expect(found.kind).toBe('found');
    // Find that DATA object again by hand (it is the head of its bucket or further down) and cut its chain:
    // entry_array_offset (at 48) pointed at the header, which is no ENTRY_ARRAY.
    const dataOffset = await dataObjectOffset(broken, 'SYSLOG_IDENTIFIER=hassio_dns');
    const cut = Buffer.alloc(8);
    cut.writeBigUInt64LE(8n);
    poke(broken, dataOffset + 48, cut);
    const reopened = await JournalFile.open(broken, counted(broken));
    expect((await reopened.findData(Buffer.from('SYSLOG_IDENTIFIER=hassio_dns'))).kind).toBe('damaged');
    const query = { identifiers: ['hassio_dns'], lines: 400 };
    expect(await ours([broken], query)).toBe(judge([intact], query));
  });

  it.each([0.5, 0.9])('a torn tail (cut at %s) read through the DATA object equals journalctl on it', async (fraction) => {
    const torn = join(dir, `torn-${fraction}.journal~`);
    copyFileSync(join(dir, 'l0.journal'), torn);
    tearTail(torn, fraction);
    // (Unfiltered reads of torn files are judged in journal-file-systemd.test.ts; on this file journalctl
    // -n 500 without a filter stops with "Cannot assign requested address" at the torn array.)
    for (const query of [{ identifiers: ['homeassistant'], lines: 1000 }, { identifiers: ['kernel', 'rare'], lines: 20 }, { identifiers: ['hassio_dns'], lines: 3 }]) {
      expect(await ours([torn], query)).toBe(judge([torn], query));
    }
  });
});

/** The offset of the DATA object holding `payload`, by a plain scan of the file's objects (test only). */
async function dataObjectOffset(path: string, payload: string): Promise<number> {
  const source = localFileSource(path);
  closers.push(() => source.close());
  const header = await source.read(0, 272);
  const compact = (header.readUInt32LE(12) & 16) !== 0;
  let offset = Number(header.readBigUInt64LE(88));
  const end = offset + Number(header.readBigUInt64LE(96));
  while (offset < end) {
    const head = await source.read(offset, 16);
    const size = Number(head.readBigUInt64LE(8));
    if (size === 0) break;
    if (head.readUInt8(0) === 1) {
      const at = compact ? 72 : 64;
      const body = await source.read(offset, size);
      if (body.subarray(at).toString('latin1') === payload) return offset;
    }
    offset += Math.ceil(size / 8) * 8;
  }
  throw new Error(`no DATA object ${payload} in ${path}`);
}
