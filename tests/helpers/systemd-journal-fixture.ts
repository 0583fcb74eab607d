import { execFileSync } from 'node:child_process';
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import type { ByteSource } from '../../src/journal-file/byte-source';

// Real journal files written by systemd's own code: entries in the export format
// (systemd docs/JOURNAL_EXPORT_FORMATS.md) piped into systemd-journal-remote; journalctl is the judge.

/** Where Debian installs systemd-journal-remote (package systemd-journal-remote). */
export const JOURNAL_REMOTE = '/lib/systemd/systemd-journal-remote';

/** One entry to write: its fields in order (values with a newline are written in the binary form). */
export type ExportEntry = ReadonlyArray<readonly [string, string | Buffer]>;

/** The export format of `entries` (pure). */
export function exportFormat(entries: readonly ExportEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    for (const [name, value] of entry) {
      const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
      if (bytes.includes(0x0a) || bytes.some((b) => b < 0x20 && b !== 0x09)) {
        const size = Buffer.alloc(8);
        size.writeBigUInt64LE(BigInt(bytes.length));
        parts.push(Buffer.from(`${name}\n`), size, bytes, Buffer.from('\n'));
      } else parts.push(Buffer.from(`${name}=`), bytes, Buffer.from('\n'));
    }
    parts.push(Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

/** Writes `entries` into the journal file `out` with systemd-journal-remote; env selects compact/keyed formats. */
export function writeJournal(out: string, entries: readonly ExportEntry[], options: { compress?: boolean; env?: Record<string, string> } = {}): void {
  execFileSync(JOURNAL_REMOTE, [`--output=${out}`, `--compress=${options.compress === false ? 'no' : 'yes'}`, '-'], {
    input: exportFormat(entries),
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'ignore', 'pipe'],
  });
}

/** A test entry of a docker container or a host service, as journald records them on HAOS. */
export function logEntry(o: { realtimeUs: number; monotonicUs: number; bootId: string; ident: string; pid?: number; message: string | Buffer; host?: string }): ExportEntry {
  return [
    ['__REALTIME_TIMESTAMP', String(o.realtimeUs)],
    ['__MONOTONIC_TIMESTAMP', String(o.monotonicUs)],
    ['_BOOT_ID', o.bootId],
    ['_HOSTNAME', o.host ?? 'homeassistant'],
    ['SYSLOG_IDENTIFIER', o.ident],
    ...(o.pid === undefined ? [] : [['_PID', String(o.pid)] as const]),
    ['PRIORITY', '6'],
    ['MESSAGE', o.message],
  ];
}

/** journalctl's output for `files` with `args` (the judge). */
export function journalctl(files: readonly string[], args: readonly string[]): string {
  return execFileSync('journalctl', [...files.map((f) => `--file=${f}`), '--no-pager', ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

/** A ByteSource over a file of this machine (the reader's tests; the command reads cards through ext2fs). */
export function localFileSource(path: string): ByteSource & { close(): void } {
  const fd = openSync(path, 'r');
  const size = fstatSync(fd).size;
  return {
    size,
    read: async (offset, length) => {
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
      const n = readSync(fd, buffer, 0, buffer.length, offset);
      return buffer.subarray(0, n);
    },
    close: () => closeSync(fd),
  };
}

/** What a power cut leaves of a file being written: its length, but zeros from `fraction` of its used arena on. */
export function tearTail(path: string, fraction: number): void {
  const fd = openSync(path, 'r+');
  try {
    const header = Buffer.alloc(104);
    readSync(fd, header, 0, 104, 0);
    const used = Number(header.readBigUInt64LE(88) + header.readBigUInt64LE(96));
    const cut = Math.floor(used * fraction) & ~7;
    writeSync(fd, Buffer.alloc(used - cut), 0, used - cut, cut);
  } finally {
    closeSync(fd);
  }
}
