import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { expect, it } from 'vitest';
import { HOST_LOG_IDENTIFIERS } from '../../src/offline/host-identifiers';
import { journalctl } from '../helpers/systemd-journal-fixture';
import { REPO_ROOT } from './qemu-env';
import { rootShell, type ApplianceContext } from './appliance-suite';

const BOOT_TIMEOUT_MS = 120_000;
const STEP_TIMEOUT_MS = 30_000;
const NEW_PASSWORD = 'after the power cut';
const STORAGE = '/mnt/data/supervisor/homeassistant/.storage/auth_provider.homeassistant';

function ha(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'ha.js'), ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
/** The Supervisor's host identifiers (`host logs` without -t), as journalctl filters. */
const HOST_T = HOST_LOG_IDENTIFIERS.flatMap((t) => ['-t', t]);

/** journalctl -o json's entries as field maps (byte-array values decoded). */
function jsonEntries(files: readonly string[], args: readonly string[]): Array<Record<string, string>> {
  return journalctl(files, ['-o', 'json', '--all', ...args]).trim().split('\n').filter((line) => line !== '').map((line) => {
    const raw = JSON.parse(line) as Record<string, string | number[]>;
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === 'string' ? v : Buffer.from(v).toString('utf8')]));
  });
}

/** The Supervisor's verbose lines (journal_verbose_formatter), as `host logs` prints them, from journalctl's entries. */
function verboseLines(entries: ReadonlyArray<Record<string, string>>): string {
  return entries.map((e) => {
    const ts = new Date(Math.floor(Number(e['__REALTIME_TIMESTAMP']) / 1000)).toISOString().replace('T', ' ').slice(0, 23);
    const ident = e['SYSLOG_IDENTIFIER'] ?? '_UNKNOWN_';
    return `${ts} ${e['_HOSTNAME'] ?? ''} ${e['_PID'] === undefined ? ident : `${ident}[${e['_PID']}]`}: ${(e['MESSAGE'] ?? '').replace(ANSI, '')}\n`;
  }).join('');
}

/**
 * A power cut end to end: the running appliance writes to hassos-data (a file, and a line to systemd-journald
 * with `logger`, `journalctl --sync`, `sync`: the kernel commits both to the ext4 journal), QEMU is killed; on
 * the host `ha --image` replays the kernel-written ext4 journal, reads journald's own files of the cut boot
 * (`host logs`, judged by the host's journalctl on the files `files cp` copied off) and resets a password on
 * the card; the next boot of the same disk comes up clean with the new password and the file.
 */
export function describePowerCut(context: ApplianceContext): void {
  it('survives a power cut: offline auth reset on the kernel-written journal, next boot clean with the new password', async () => {
    const marker = `power-cut-${Date.now()}`;
    // journalctl --sync returns once journald has written every message queued before it (the logger line)
    // and synced its files (systemd 252 journald-server.c vl_method_synchronize).
    const before = await rootShell(
      context.machine(),
      `echo boot-id=$(cat /proc/sys/kernel/random/boot_id); echo ${marker} >/mnt/data/power-cut-marker; logger -t ha-e2e ${marker}; journalctl --sync; sync`,
    );
    const bootId = (/^boot-id=([0-9a-f-]{36})$/m.exec(before)?.[1] ?? '').replace(/-/g, '');
    expect(bootId).toMatch(/^[0-9a-f]{32}$/);
    await context.machine().cutPower();

    const info = ha('--image', context.disk(), 'info', '--raw-json');
    expect(info.status).toBe(0);
    const data = (JSON.parse(info.stdout) as { data: { data: { needsRecovery: boolean }; journal: { pendingTransactions: number } } }).data;
    expect(data.data.needsRecovery).toBe(true);
    process.stderr.write(`power cut left ${data.journal.pendingTransactions} committed transaction(s) in the journal\n`);

    // The journal of the cut boot, read on the card (ext4 journal replayed in memory; the card is not written).
    const marked = ha('--image', context.disk(), 'host', 'logs', '-t', 'ha-e2e', '-n', '20', '--no-pager');
    expect(marked.stderr).toBe('');
    expect(marked.stdout).toMatch(new RegExp(`^${marker}$`, 'm'));
    const hostLogs = ha('--image', context.disk(), 'host', 'logs', '-n', '20', '--no-pager');
    expect(hostLogs.stderr).toBe('');
    expect(hostLogs.status).toBe(0);
    const boots = ha('--image', context.disk(), '--raw-json', 'host', 'logs', 'boots');
    expect(boots.status).toBe(0);
    const listed = (JSON.parse(boots.stdout) as { data: { boots: Record<string, string> } }).data.boots;
    expect(listed['0']).toBe(bootId);

    // The same files copied off the card, read by the host's journalctl: the judge.
    const copy = mkdtempSync(join(tmpdir(), 'e2e-journal-'));
    try {
      const cp = ha('--image', context.disk(), 'files', 'cp', '/logs', copy);
      expect(cp.stderr).toBe('');
      expect(cp.status).toBe(0);
      const dirs = readdirSync(join(copy, 'logs'));
      const files = dirs.flatMap((dir) => readdirSync(join(copy, 'logs', dir)).map((name) => join(copy, 'logs', dir, name)));
      expect(files.some((file) => file.endsWith('/system.journal'))).toBe(true);
      expect(marked.stdout).toBe(journalctl(files, ['-o', 'cat', '-t', 'ha-e2e', '-n', '20']).replace(ANSI, ''));
      const last = jsonEntries(files, [...HOST_T, '-n', '20']);
      expect(last.length).toBe(20);
      // Every one of the last 20 host lines belongs to the boot that was cut.
      expect(last.every((entry) => entry['_BOOT_ID'] === bootId)).toBe(true);
      expect(hostLogs.stdout).toBe(verboseLines(last));
      const journalBoots = JSON.parse(journalctl(files, ['--list-boots', '-o', 'json'])) as Array<{ index: number; boot_id: string }>;
      expect(listed).toEqual(Object.fromEntries(journalBoots.map((b) => [String(b.index), b.boot_id])));
      process.stderr.write(`journal of the cut boot: ${files.length} file(s), host logs -n 20 equals journalctl's (last: ${last.at(-1)?.['MESSAGE'] ?? ''})\n`);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }

    const reset = ha('--image', context.disk(), 'auth', 'reset', '--username', 'alice', '--password', NEW_PASSWORD);
    expect(reset.stderr).toBe('');
    expect(reset.status).toBe(0);

    const started = Date.now();
    const m = await context.boot();
    await m.waitFor(/Press Enter[^\n]*console/, BOOT_TIMEOUT_MS);
    process.stderr.write(`boot after the power cut: ${((Date.now() - started) / 1000).toFixed(1)} s to the console\n`);
    // ha's write replayed the journal and left the filesystem clean: e2fsck -p has nothing to fix (exit 0, no
    // recovery at the mount). After the first boot's online resize the kernel's backup superblocks still carry
    // the flags of the mounted primary, so e2fsck may run its full check once ("check forced") and rewrite them.
    expect(m.raw).toMatch(/hassos-data: (clean, )?\d+\/\d+ files/);
    expect(m.raw).toMatch(/appliance-state: hassos-data \(\/dev\/vda8\) mounted at \/mnt\/data, e2fsck 0/);
    expect(m.raw).not.toMatch(/EXT4-fs \(vda8\): recovery complete/);
    const from = m.mark() - 1;
    m.type('\r');
    await m.waitFor('ha > ', STEP_TIMEOUT_MS, from);
    const shell = await rootShell(m, `cat /mnt/data/power-cut-marker; sed 's/"/\\n/g' ${STORAGE} | grep '^JDJ'`);
    expect(shell).toMatch(new RegExp(`^${marker}$`, 'm'));
    // The stored hashes are base64 of the bcrypt string ("$2b$..." -> "JDJ..."): one must be the new password's.
    const hashes = [...shell.matchAll(/^(JDJ[A-Za-z0-9+/=]+)$/gm)].map((match) => Buffer.from(match[1] ?? '', 'base64').toString());
    expect(hashes.length).toBeGreaterThan(0);
    expect(hashes.some((hash) => bcrypt.compareSync(NEW_PASSWORD, hash))).toBe(true);
  }, 2 * BOOT_TIMEOUT_MS);
}
