import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { expect, it } from 'vitest';
import { REPO_ROOT } from './qemu-env';
import { rootShell, type ApplianceContext } from './appliance-suite';

const BOOT_TIMEOUT_MS = 120_000;
const STEP_TIMEOUT_MS = 30_000;
const NEW_PASSWORD = 'after the power cut';
const STORAGE = '/mnt/data/supervisor/homeassistant/.storage/auth_provider.homeassistant';

function ha(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'ha.js'), ...args], { encoding: 'utf8' });
}

/**
 * A power cut end to end: the running appliance writes to hassos-data (a file, `sync`: the kernel commits it
 * to the ext4 journal), QEMU is killed; on the host `ha --image` replays the kernel-written journal and resets
 * a password on the card; the next boot of the same disk comes up clean with the new password and the file.
 */
export function describePowerCut(context: ApplianceContext): void {
  it('survives a power cut: offline auth reset on the kernel-written journal, next boot clean with the new password', async () => {
    const marker = `power-cut-${Date.now()}`;
    await rootShell(context.machine(), `echo ${marker} >/mnt/data/power-cut-marker; sync`);
    await context.machine().cutPower();

    const info = ha('--image', context.disk(), 'info', '--raw-json');
    expect(info.status).toBe(0);
    const data = (JSON.parse(info.stdout) as { data: { data: { needsRecovery: boolean }; journal: { pendingTransactions: number } } }).data;
    expect(data.data.needsRecovery).toBe(true);
    process.stderr.write(`power cut left ${data.journal.pendingTransactions} committed transaction(s) in the journal\n`);

    const reset = ha('--image', context.disk(), 'auth', 'reset', '--username', 'alice', '--password', NEW_PASSWORD);
    expect(reset.stderr).toBe('');
    expect(reset.status).toBe(0);

    const started = Date.now();
    const m = await context.boot();
    await m.waitFor(/Press Enter[^\n]*console/, BOOT_TIMEOUT_MS);
    process.stderr.write(`boot after the power cut: ${((Date.now() - started) / 1000).toFixed(1)} s to the console\n`);
    // ha's write replayed the journal and left the filesystem clean: e2fsck -p has nothing to fix.
    expect(m.raw).toMatch(/hassos-data: clean, \d+\/\d+ files/);
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
