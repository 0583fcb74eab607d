import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { Terminal } from '@xterm/headless';
import { spawn as spawnPty } from 'node-pty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/emulator';
import { startDemoEmulator } from '../helpers/demo-target';
import { HA_BIN, REPO_ROOT } from '../helpers/terminal-session';

// The SSH path for real: Debian's OpenSSH server on a random loopback port with the overlay's sshd
// config fragment (adapted: port, host key, authorized keys, user), its ForceCommand the overlay's
// ha-shell, which runs `node bin/ha.js` against a Supervisor emulator.

const SSHD = '/usr/sbin/sshd';
const OVERLAY = join(REPO_ROOT, 'rootfs-overlay');
const HAVE_SSH = existsSync(SSHD) && spawnSync('ssh', ['-V'], { stdio: 'ignore' }).status === 0 && spawnSync('ssh-keygen', ['-?'], { stdio: 'ignore' }).status !== null;
const PRIVSEP_DIR = '/run/sshd';

let emulator: Emulator;
let work: string;
let port: number;
let sshd: ChildProcess | undefined;
let sshdLog = '';
let skipReason: string | undefined = HAVE_SSH ? undefined : 'openssh-server / openssh-client not installed';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForPort(p: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port: p, host: '127.0.0.1' }, () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`sshd did not listen on ${p}:\n${sshdLog}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The overlay's sshd fragment with this test's port, keys and user; everything else as shipped. */
function adaptConfig(fragment: string): string {
  const user = userInfo().username;
  const replaced = fragment
    .replace(/^Port 22222$/m, `Port ${port}`)
    .replace(/^AuthorizedKeysFile .*$/m, `AuthorizedKeysFile ${join(work, 'authorized_keys')}`)
    .replace(/^AllowUsers root$/m, `AllowUsers ${user}`)
    .replace(/^ForceCommand \/usr\/libexec\/ha-console\/ha-shell$/m, `ForceCommand ${join(OVERLAY, 'usr', 'libexec', 'ha-console', 'ha-shell')}`);
  for (const needed of [`Port ${port}`, 'AuthorizedKeysFile ', `AllowUsers ${user}`, `ForceCommand ${OVERLAY}`]) {
    if (!replaced.includes(needed)) throw new Error(`overlay sshd fragment changed shape: no ${needed}`);
  }
  const env = [`HA_CONSOLE_BIN=${join(work, 'ha')}`, `SUPERVISOR_ENDPOINT=${emulator.url}`, `SUPERVISOR_TOKEN=${emulator.token}`, `HA_CONSOLE_HISTORY=${join(work, 'history')}`];
  return [
    replaced,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(work, 'host_key')}`,
    `PidFile ${join(work, 'sshd.pid')}`,
    'UsePAM no',
    'StrictModes no',
    `SetEnv ${env.join(' ')}`,
    '',
  ].join('\n');
}

beforeAll(async () => {
  if (skipReason !== undefined) return;
  try {
    mkdirSync(PRIVSEP_DIR, { recursive: true });
  } catch {
    skipReason = `${PRIVSEP_DIR} cannot be created (not root)`;
    return;
  }
  ({ emulator } = await startDemoEmulator());
  work = mkdtempSync(join(tmpdir(), 'ha-console-ssh-'));
  for (const key of ['host_key', 'client_key']) spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(work, key)], { stdio: 'ignore' });
  writeFileSync(join(work, 'authorized_keys'), readFileSync(join(work, 'client_key.pub')));
  writeFileSync(join(work, 'ha'), `#!/bin/sh\nexec '${process.execPath}' '${HA_BIN}' "$@"\n`);
  chmodSync(join(work, 'ha'), 0o755);
  port = await freePort();
  const config = join(work, 'sshd_config');
  writeFileSync(config, adaptConfig(readFileSync(join(OVERLAY, 'etc', 'ssh', 'sshd_config.d', 'ha-console.conf'), 'utf8')));
  const check = spawnSync(SSHD, ['-t', '-f', config], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`sshd -t refused the config:\n${check.stderr}`);
  sshd = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  sshd.stderr?.on('data', (d: Buffer) => (sshdLog += d.toString()));
  await waitForPort(port);
}, 60_000);

afterAll(async () => {
  sshd?.kill('SIGTERM');
  await emulator?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

function sshArgs(extra: string[]): string[] {
  return ['-F', '/dev/null', '-p', String(port), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', ...(process.env['HA_SSH_DEBUG'] ? ['-v'] : []), ...extra, `${userInfo().username}@127.0.0.1`];
}
/** Runs ssh asynchronously: the emulator lives in this process, so a blocking spawnSync would starve it. */
function runSsh(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
const withKey = ['-i', 'KEY', '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes'];
const keyArgs = (): string[] => withKey.map((a) => (a === 'KEY' ? join(work, 'client_key') : a));

describe.skipIf(!HAVE_SSH)('ssh into the console (OpenSSH with the overlay config)', () => {
  it('ssh host ha core logs -n 5 runs one command and exits 0', async (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    const run = await runSsh([...sshArgs(keyArgs()), 'ha', 'core', 'logs', '-n', '5']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(5);
  });

  it('a failing command passes its exit code through', async (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    const run = await runSsh([...sshArgs(keyArgs()), 'core', 'no-such-command']);
    expect(run.status).toBe(2);
  });

  it('a password login is refused: the server offers publickey only', async (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    const run = await runSsh([...sshArgs(['-o', 'PubkeyAuthentication=no', '-o', 'PreferredAuthentications=password,keyboard-interactive', '-o', 'BatchMode=yes']), 'ha', 'info']);
    expect(run.status).toBe(255);
    expect(run.stderr).toContain('Permission denied (publickey)');
  });

  it('a key login with a terminal lands at ha > ; help answers; exit ends the session', async (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    const terminal = new Terminal({ cols: 100, rows: 40, scrollback: 2000, allowProposedApi: true });
    const pty = spawnPty('ssh', ['-tt', ...sshArgs(keyArgs())], { name: 'xterm-256color', cols: 100, rows: 40, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: work, TERM: 'xterm-256color' } });
    const exited = new Promise<number>((resolve) => pty.onExit(({ exitCode }) => resolve(exitCode)));
    pty.onData((data) => terminal.write(data));
    const screen = (): string => {
      const buffer = terminal.buffer.active;
      const lines: string[] = [];
      for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i)?.translateToString(true) ?? '');
      return lines.join('\n').trimEnd();
    };
    const waitFor = async (pattern: RegExp): Promise<string> => {
      const deadline = Date.now() + 20_000;
      for (;;) {
        await new Promise<void>((resolve) => terminal.write('', resolve));
        if (pattern.test(screen())) return screen();
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pattern)}; screen:\n${screen()}\nsshd:\n${sshdLog}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    try {
      await waitFor(/ha >\s*$/m);
      pty.write('help\r');
      const help = await waitFor(/auth reset[\s\S]*ha >\s*$/m);
      expect(help).toContain('core logs');
      pty.write('exit\r');
      expect(await exited).toBe(0);
    } finally {
      try {
        pty.kill();
      } catch {
        // already gone
      }
      terminal.dispose();
    }
  });
});
