import { spawn, spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import type { ApplianceContext } from './appliance-suite';

const STEP_TIMEOUT_MS = 30_000;

function sshArgs(context: ApplianceContext, ...extra: string[]): string[] {
  const { port, key } = context.ssh();
  return [
    '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR',
    '-o', 'ConnectTimeout=20', '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes',
    '-i', key, '-p', String(port), ...extra, 'root@127.0.0.1',
  ];
}

/**
 * SSH like HAOS, into the console: the key came from the CONFIG stick at boot, dropbear listens on 22222
 * (forwarded from a loopback port), keys only, and every session lands in `ha`.
 */
export function describeSsh(context: ApplianceContext): void {
  it('imports authorized_keys from the CONFIG stick and starts SSH on 22222', () => {
    const raw = context.machine().raw;
    expect(raw).toMatch(/appliance-state: configuration imported from \/dev\/vdb \(CONFIG\)/);
    expect(raw).toMatch(/appliance-state: SSH on port 22222 \(keys only\)/);
  });

  it('ssh -p 22222 with the key runs a console command (ha -c)', () => {
    const result = spawnSync('ssh', [...sshArgs(context), 'help'], { encoding: 'utf8', timeout: STEP_TIMEOUT_MS });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^ {2}host reboot +\S/m);
  }, STEP_TIMEOUT_MS + 5_000);

  it('an interactive ssh session lands at ha > and exit ends it', async () => {
    const child = spawn('ssh', sshArgs(context, '-tt'), { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (data: Buffer) => (out += data.toString()));
    child.stderr.on('data', (data: Buffer) => (out += data.toString()));
    const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
    for (const deadline = Date.now() + STEP_TIMEOUT_MS; !out.includes('ha > '); ) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill();
        throw new Error(`no ha > prompt over ssh; got:\n${out}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.stdin.write('exit\r');
    expect(await closed).toBe(0);
  }, STEP_TIMEOUT_MS + 5_000);

  it('refuses passwords (keys only)', () => {
    const result = spawnSync('ssh', sshArgs(context, '-o', 'PubkeyAuthentication=no', '-o', 'PreferredAuthentications=password,keyboard-interactive'), {
      encoding: 'utf8',
      timeout: STEP_TIMEOUT_MS,
    });
    expect(result.status).toBe(255);
    expect(result.stderr).toMatch(/Permission denied/);
  }, STEP_TIMEOUT_MS + 5_000);
}
