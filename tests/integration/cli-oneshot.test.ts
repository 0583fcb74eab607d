import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/emulator';
import { copyDemoConfig, passwordMatches, startDemoEmulator } from '../helpers/demo-target';
import { runHa } from '../helpers/run-ha';

let emulator: Emulator;
let configDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  ({ emulator, configDir } = await startDemoEmulator());
  env = { SUPERVISOR_ENDPOINT: emulator.url, SUPERVISOR_TOKEN: emulator.token, HA_CONSOLE_HOST_CONFIG_DIR: join(mkdtempSync(join(tmpdir(), 'nohost-')), 'none') };
});
afterAll(async () => {
  await emulator.close();
});

describe('ha <command> for scripts and SSH', () => {
  it('prints --version and --help with status 0', async () => {
    expect(await runHa(['--version'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^ha-console \d+\.\d+\.\d+\n$/) });
    const help = await runHa(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('core logs');
    expect(help.stdout).toContain('--raw-json');
  });

  it('exits 2 on usage errors with one line and a hint', async () => {
    for (const args of [['nonsense'], ['core', 'logs', '--bogus'], ['core', 'logs', '-n'], ['core', 'info', 'extra'], ['--endpoint'], ['console', 'extra'], ['demo', '--bogus'], ['demo', '\x1b[2J']]) {
      const run = await runHa(args, { env });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/^Error: .+\nHint: .+\n$/);
    }
  });

  it('ha console --help and ha demo --help show how ha is called instead of starting', async () => {
    for (const mode of ['console', 'demo']) {
      const run = await runHa([mode, '--help'], { env });
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toMatch(/^Usage: ha \[global flags\] <command> \[flags\]\n {7}ha console \[--kmsg PATH\]/);
    }
    const wrong = await runHa(['demo', '\x1b[2J'], { env });
    expect(wrong.stderr).toBe("Error: 'ha demo' takes no arguments: '?[2J'.\nHint: Run 'ha demo --help' to see how it is called.\n");
  });

  it('shows data as YAML, exit 0; logs with -n N are sent as the real CLI does', async () => {
    const info = await runHa(['core', 'info'], { env });
    expect(info).toMatchObject({ code: 0, stdout: expect.stringMatching(/^version: 2026/m) });
    const logs = await runHa(['core', 'logs', '-n', '3', '--no-color'], { env });
    expect(logs.code).toBe(0);
    expect(logs.stdout.trimEnd().split('\n')).toHaveLength(3);
    expect(logs.stdout).not.toContain('\x1b[');
  });

  it('--raw-json prints the body verbatim and exits 1 when it is an error', async () => {
    const ok = await runHa(['--raw-json', 'dns', 'info'], { env });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ result: 'ok' });
    const bad = await runHa(['--raw-json', 'auth', 'reset', '--username', 'nobody', '--password', 'x'], { env });
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout.split('\n')[0] as string)).toMatchObject({ result: 'error', error_key: 'auth_password_reset_error' });
  });

  it('runs a command string as sshd passes it to a login shell (-c)', async () => {
    const run = await runHa(['-c', 'ha dns info'], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/servers:/);
  });

  it('reads the new password from stdin in scripts, never from history or argv', async () => {
    const run = await runHa(['auth', 'reset', '--username', 'bob'], { env, input: 'from-a-pipe & more\n' });
    expect(run).toMatchObject({ code: 0 });
    expect(passwordMatches(configDir, 'bob', 'from-a-pipe & more')).toBe(true);
  });

  it('a Supervisor that is down gives one honest line and exit 1, fast', async () => {
    const run = await runHa(['core', 'info'], { env: { ...env, SUPERVISOR_ENDPOINT: 'http://127.0.0.1:9' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Error: Cannot reach the Supervisor at http:\/\/127\.0\.0\.1:9.*\nHint: .+\n$/);
  });

  it('a stopped Core is reported as such when a reset fails', async () => {
    emulator.state.coreRunning = false;
    try {
      const run = await runHa(['auth', 'reset', '--username', 'alice', '--password', 'x'], { env });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/Home Assistant Core is not running/);
      expect(run.stderr).toMatch(/ha --config .* auth reset --username 'alice'/);
    } finally {
      emulator.state.coreRunning = true;
    }
  });

  it('auth list with Core stopped says so, and how to read the users offline', async () => {
    emulator.state.coreRunning = false;
    try {
      const run = await runHa(['auth', 'list'], { env });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^Error: Home Assistant Core is not running, so the Supervisor cannot list its users\.\nHint: .*ha --config .* auth list\n$/);
    } finally {
      emulator.state.coreRunning = true;
    }
  });

  it('host reboot asks the Supervisor and says so', async () => {
    const run = await runHa(['host', 'reboot'], { env });
    expect(run).toMatchObject({ code: 0, stdout: 'The machine is rebooting.\n' });
    expect(emulator.state.powerRequests).toContain('reboot');
  });
});

describe('without a Supervisor (plain Linux host)', () => {
  it('host info reads the machine itself and says so', async () => {
    const run = await runHa(['host', 'info'], { env: {} });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^kernel: \S+/m);
    expect(run.stdout).toMatch(/source: this machine \(no Supervisor configured\)/);
  });
});

describe('commands piped into ha', () => {
  it('runs each line in turn and ends at the end of input', async () => {
    const run = await runHa([], { env: { SUPERVISOR_ENDPOINT: emulator.url, SUPERVISOR_TOKEN: emulator.token }, input: 'dns info\ncore info\n' });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/servers:[\s\S]*version: 2026/);
  });
});

describe('--config on the device (the host config folder)', () => {
  it('refuses while the Supervisor reports Core running (Core would overwrite the change), and --force overrides', async () => {
    const hostDir = copyDemoConfig();
    const deviceEnv = { ...env, HA_CONSOLE_HOST_CONFIG_DIR: hostDir };
    const refused = await runHa(['--config', hostDir, 'auth', 'reset', '--username', 'alice', '--password', 'not-yet'], { env: deviceEnv });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Supervisor reports Home Assistant Core as running/);
    expect(passwordMatches(hostDir, 'alice', 'not-yet')).toBe(false);
    const forced = await runHa(['--config', hostDir, 'auth', 'reset', '--username', 'alice', '--password', 'now', '--force'], { env: deviceEnv });
    expect(forced.code).toBe(0);
    expect(passwordMatches(hostDir, 'alice', 'now')).toBe(true);
  });
});

describe('started by login(1) as a login shell', () => {
  it('argv0 with a leading dash (-ha) is the console: kernel log first, then the prompt', async () => {
    const { spawn } = await import('node:child_process');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { HA_BIN } = await import('../helpers/terminal-session');
    const kmsg = join(mkdtempSync(join(tmpdir(), 'login-shell-')), 'boot.kmsg');
    writeFileSync(kmsg, '6,1,1000000,-;Booting Linux on physical CPU 0x0\n');
    const output = await new Promise<string>((resolve) => {
      const child = spawn(process.execPath, [HA_BIN, '--kmsg', kmsg], { argv0: '-ha', env: { ...env, NO_COLOR: '1', HA_CONSOLE_HISTORY: `${kmsg}.history` }, stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        // Enter only once the kernel line is out, as a person would press it.
        if (out.includes('Booting') && child.stdin.writable) child.stdin.end('\ndns info\n');
      });
      child.on('close', () => resolve(out));
    });
    expect(output).toMatch(/Press Enter[\s\S]*\[    1\.000000\] Booting Linux[\s\S]*Welcome[\s\S]*servers:/);
  });
});
