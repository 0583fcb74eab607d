import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { spawn as spawnPty, type IPty } from 'node-pty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HA_BIN, REPO_ROOT } from '../helpers/terminal-session';

// A machine set up like a Home Assistant OS host: the CLI plugin's token file, the Supervisor (our
// emulator) at 172.30.32.2:80 on the loopback of a network namespace made here, and nothing exported
// in the environment. `ha` runs inside the namespace and must find the Supervisor by itself.

const NS = `hac-${process.pid}-${randomBytes(3).toString('hex')}`;
const ADDRESS = '172.30.32.2';
const EMULATOR = join(REPO_ROOT, 'dist', 'emulator', 'main.js');
const CHECK_LOG = [
  'Testing configuration at /config',
  'Failed config',
  '  automation:',
  "    - Invalid config for 'automation' at automations.yaml, line 3: required key 'triggers' not provided",
  '  sensor.template:',
  "    - Platform error 'sensor' from integration 'template' - Integration 'template' not found.",
].join('\n');

/** Creates the namespace; the reason it cannot, when it cannot. */
function makeNamespace(): string | undefined {
  const steps = [
    ['netns', 'add', NS],
    ['netns', 'exec', NS, 'ip', 'link', 'set', 'lo', 'up'],
    ['netns', 'exec', NS, 'ip', 'addr', 'add', `${ADDRESS}/32`, 'dev', 'lo'],
  ];
  for (const args of steps) {
    const run = spawnSync('ip', args, { encoding: 'utf8' });
    if (run.status !== 0) return `ip ${args.join(' ')} failed: ${(run.error?.message ?? run.stderr).trim()}`;
  }
  return undefined;
}

const skipReason = makeNamespace();
if (skipReason !== undefined) spawnSync('ip', ['netns', 'del', NS]);

let work: string;
let env: Record<string, string>;
let emulator: ChildProcess | undefined;
const requests: string[] = [];
const requestWaiters: Array<() => void> = [];

/** Resolves once `count` requests matching `pattern` reached the emulator (an event, not a sleep). */
function waitForRequests(pattern: RegExp, count: number, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`saw ${requests.filter((r) => pattern.test(r)).length} of ${count} ${String(pattern)}; all: ${requests.join(', ')}`)), timeoutMs);
    const check = (): void => {
      if (requests.filter((r) => pattern.test(r)).length < count) return;
      clearTimeout(timer);
      requestWaiters.splice(requestWaiters.indexOf(check), 1);
      resolve();
    };
    requestWaiters.push(check);
    check();
  });
}

/** `ha ...` inside the namespace, without a terminal. */
function ha(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', NS, process.execPath, HA_BIN, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(skipReason !== undefined)(`on a HAOS-like host (${skipReason ?? `namespace ${NS}`})`, () => {
  const token = randomBytes(56).toString('hex');
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'ha-haos-host-'));
    const data = join(work, 'supervisor');
    mkdirSync(data);
    writeFileSync(join(data, 'cli.json'), JSON.stringify({ access_token: token }), { mode: 0o600 });
    writeFileSync(join(work, 'check.log'), CHECK_LOG);
    // Nothing exported: only where this host's files are (the defaults are /mnt/data/supervisor/...).
    env = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: work,
      HA_CONSOLE_CLI_TOKEN_FILE: join(data, 'cli.json'),
      HA_CONSOLE_SUPERVISOR_DATA: data,
      HA_CONSOLE_DOCKER_SOCKET: join(work, 'no-docker.sock'),
      HA_CONSOLE_HISTORY: join(work, 'history'),
      HA_CONSOLE_PRINTK: join(work, 'printk'),
      HA_CONSOLE_VCONSOLE_CONF: join(work, 'vconsole.conf'),
    };
    writeFileSync(env['HA_CONSOLE_PRINTK'] ?? '', '4 4 1 7\n');
    const child = spawn('ip', ['netns', 'exec', NS, process.execPath, EMULATOR, '--host', ADDRESS, '--port', '80', '--core-stopped', '--check-log', join(work, 'check.log'), '--log-requests'], {
      env: { PATH: env['PATH'] ?? '', SUPERVISOR_TOKEN: token },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    emulator = child;
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (line === `listening http://${ADDRESS}`) resolve();
        if (line.startsWith('request ')) {
          requests.push(line.slice('request '.length));
          for (const waiter of [...requestWaiters]) waiter();
        }
      });
      child.once('exit', (code) => reject(new Error(`emulator exited with ${String(code)}`)));
    });
  });
  afterAll(() => {
    emulator?.kill('SIGTERM');
    spawnSync('ip', ['netns', 'del', NS]);
    rmSync(work, { recursive: true, force: true });
  });

  it('core info and host info go to the Supervisor at 172.30.32.2 with the plugin token', async () => {
    const core = await ha(['core', 'info']);
    expect(core.stderr).toBe('');
    expect(core.code).toBe(0);
    expect(core.stdout).toMatch(/^version: 2026\.8\.2$/m);
    const host = await ha(['host', 'info']);
    expect(host.code).toBe(0);
    expect(host.stdout).toMatch(/^operating_system: Home Assistant OS /m);
    expect(host.stdout).not.toContain('this machine');
    expect(requests).toEqual(expect.arrayContaining(['GET /core/info', 'GET /host/info']));
  });

  it('a failing core check shows every line of the check', async () => {
    const run = await ha(['core', 'chk']);
    expect(run.code).toBe(1);
    for (const line of CHECK_LOG.split('\n')) expect(run.stderr).toContain(line);
    expect(run.stderr).toMatch(/Error: The Home Assistant configuration check failed/);
  });

  it('host logs boots lists the boots', async () => {
    const run = await ha(['host', 'logs', 'boots']);
    expect(run.code).toBe(0);
    // Keys sorted as the Go CLI's YAML prints them (ghodss/yaml): offsets -1, -2, 0.
    expect(run.stdout).toMatch(/^boots:\n {2}"-1": [0-9a-f]{32}\n {2}"-2": [0-9a-f]{32}\n {2}"0": [0-9a-f]{32}\n$/);
  });

  it('the console works through the Supervisor, and idle with Core stopped it never asks /core/stats', async () => {
    const kmsg = join(work, 'kmsg');
    writeFileSync(kmsg, '6,1,1000000,-;Booting Linux on physical CPU 0x0\n');
    const pty: IPty = spawnPty('ip', ['netns', 'exec', NS, process.execPath, HA_BIN, 'console', '--kmsg', kmsg], {
      name: 'xterm',
      cols: 100,
      rows: 40,
      cwd: REPO_ROOT,
      env: { ...env, TERM: 'xterm', HA_CONSOLE_STATUS_POLL_MS: '200' },
    });
    let screen = '';
    const seen = (text: string): Promise<void> =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${text} in: ${screen.slice(-800)}`)), 15_000);
        const check = (): void => {
          if (!screen.includes(text)) return;
          clearTimeout(timer);
          listener.dispose();
          resolve();
        };
        const listener = pty.onData(check);
        check();
      });
    pty.onData((d) => (screen += d));
    try {
      await seen('Press Enter');
      pty.write('\r');
      await seen('ha > ');
      expect(screen).toMatch(/Home Assistant Core:\s+2026\.8\.2/);
      expect(screen).toMatch(/Supervisor:\s+running/);
      const before = requests.length;
      // Five state polls at the test's 200 ms interval: the console has been idle through them.
      await waitForRequests(/^GET \/info$/, requests.filter((r) => r === 'GET /info').length + 5);
      expect(requests.slice(before).every((r) => r === 'GET /info')).toBe(true);
      expect(requests).not.toContain('GET /core/stats');
    } finally {
      pty.kill();
    }
  });
});
