import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/emulator';
import { copyDemoConfig, startDemoEmulator } from '../helpers/demo-target';
import { KEYS, TerminalSession } from '../helpers/terminal-session';
import { JOURNAL_REMOTE, logEntry, writeJournal } from '../helpers/systemd-journal-fixture';

// Text from data (usernames, display names, host names, log lines) must never drive the terminal: each case runs
// the real program in a real pty and reads what @xterm/headless made of it.

const EVIL_USERNAME = 'b\x1b]0;pwned\x07\x1b[2J\u009b31m\u202eob';
const EVIL_NAME = 'Bob\x1b[H\x1b[2J\u2066x\u2069';
const EVIL_LOG = 'payload \x1b]2;owned\x07 \x1b[2J\x1b[1;1H \u009b2J \u202eevil';

/** The demo config with bob's login name and display name full of controls. */
function evilConfig(): string {
  const dir = copyDemoConfig();
  const providerFile = join(dir, '.storage', 'auth_provider.homeassistant');
  writeFileSync(providerFile, readFileSync(providerFile, 'utf8').replace('"bob"', JSON.stringify(EVIL_USERNAME)));
  const authFile = join(dir, '.storage', 'auth');
  writeFileSync(authFile, readFileSync(authFile, 'utf8').replace('"Bob"', JSON.stringify(EVIL_NAME)).replace('"bob"', JSON.stringify(EVIL_USERNAME)));
  return dir;
}

const sessions: TerminalSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.close();
});

/** Starts `ha` in a pty and records whether anything changed the window title. */
function start(args: readonly string[], env: Record<string, string> = {}, zeroSize = false): { s: TerminalSession; titles: string[] } {
  const s = new TerminalSession({ args, env, zeroSize });
  const titles: string[] = [];
  s.terminal.onTitleChange((title) => titles.push(title));
  sessions.push(s);
  return { s, titles };
}

/** Everything the program wrote holds no escape but SGR colours, no C1 control and no bidi control. */
function expectOnlyColours(raw: string): void {
  // eslint-disable-next-line no-control-regex -- looking for controls is the point
  expect(raw.replace(/\x1b\[[0-9;]*m/g, '')).not.toMatch(/[\x1b\u0080-\u009f\u202a-\u202e\u2066-\u2069]/);
}

/** A log stream with the payload line (title, clears, 8-bit CSI, bidi) and a red line ran to its end safely. */
async function expectSafeLogLines(s: TerminalSession, titles: readonly string[]): Promise<void> {
  expect(await s.waitForExit()).toBe(0);
  const screen = await s.waitFor('payload');
  expect(screen).toContain('payload \\x1b]2;owned\\x07 \\x1b[2J\\x1b[1;1H \\x9b2J \\u202eevil');
  expect(s.raw).toContain('\x1b[31mred');
  expect(titles).toEqual([]);
  expectOnlyColours(s.raw);
}

describe('text from data is shown, never obeyed', () => {
  it('auth list shows controls in login and display names visibly', async () => {
    const { s, titles } = start(['--config', evilConfig(), 'auth', 'list']);
    expect(await s.waitForExit()).toBe(0);
    const screen = await s.waitFor('USERNAME');
    expect(screen).toContain('b\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\u202eob');
    expect(screen).toContain('Bob\\x1b[H\\x1b[2J\\u2066x\\u2069');
    expect(screen).toMatch(/^alice\s+Alice/m);
    // Names are made safe before columns are measured: the table stays aligned.
    const lines = screen.split('\n');
    const header = lines.find((l) => l.startsWith('USERNAME')) ?? '';
    const bob = lines.find((l) => l.startsWith('b\\x1b')) ?? '';
    expect(bob.indexOf('  no ') + 2).toBe(header.indexOf('OWNER'));
    expect(titles).toEqual([]);
    expectOnlyColours(s.raw);
  });

  it('"Password for ... changed" and the "Known usernames" hint show the name visibly', async () => {
    const dir = evilConfig();
    const changed = start(['--config', dir, 'auth', 'reset', '--username', EVIL_USERNAME, '--password', 'n3w-secret']);
    expect(await changed.s.waitForExit()).toBe(0);
    expect(await changed.s.waitFor('changed in')).toContain("Password for 'b\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\u202eob' changed in");
    expectOnlyColours(changed.s.raw);
    const unknown = start(['--config', dir, 'auth', 'reset', '--username', 'carol', '--password', 'x']);
    expect(await unknown.s.waitForExit()).toBe(1);
    expect(await unknown.s.waitFor('Hint:')).toContain('b\\x1b]0;pwned\\x07');
    expect([...changed.titles, ...unknown.titles]).toEqual([]);
    expectOnlyColours(unknown.s.raw);
  });

  it('the auth reset -i list shows names visibly', async () => {
    const { s, titles } = start(['--config', evilConfig(), 'auth', 'reset', '-i']);
    const screen = await s.waitFor('Select a user');
    expect(screen).toContain('2. b\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\u202eob');
    s.type(KEYS.ctrlC);
    await s.waitForExit();
    expect(titles).toEqual([]);
    const listStart = s.raw.indexOf('  1. ');
    expectOnlyColours(s.raw.slice(listStart, s.raw.indexOf('\n', s.raw.indexOf('  2. '))));
  });
});

describe('YAML and log streams from the Supervisor', () => {
  let emulator: Emulator;
  let env: Record<string, string>;
  beforeAll(async () => {
    ({ emulator } = await startDemoEmulator({
      hostname: 'host\u009b2J\u202eevil\x7f',
      logGenerator: (_service, index) => ({ identifier: 'homeassistant', pid: 64, message: index % 2 === 0 ? `\x1b[31mred ${index}\x1b[0m` : `${EVIL_LOG} ${index}` }),
    }));
    env = { SUPERVISOR_ENDPOINT: emulator.url, SUPERVISOR_TOKEN: emulator.token };
  });
  afterAll(async () => {
    await emulator.close();
  });

  it("the console's banner shows a host name's controls visibly", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ha-banner-'));
    writeFileSync(join(dir, 'kmsg'), '6,1,1000000,-;Booting Linux\n');
    writeFileSync(join(dir, 'printk'), '4\t4\t1\t7\n');
    const { s, titles } = start(['console', '--kmsg', join(dir, 'kmsg')], {
      ...env,
      HA_CONSOLE_HISTORY: join(dir, 'history'),
      HA_CONSOLE_PRINTK: join(dir, 'printk'),
      HA_CONSOLE_DOCKER_SOCKET: join(dir, 'docker.sock'),
      HA_CONSOLE_VCONSOLE_CONF: join(dir, 'vconsole.conf'),
    });
    await s.waitFor('Press Enter');
    s.type(KEYS.enter);
    const screen = await s.waitFor(/ha > $/m);
    expect(screen).toContain('host\\x9b2J\\u202eevil\\x7f');
    expect(titles).toEqual([]);
    s.type(`exit${KEYS.enter}`);
    expect(await s.waitForExit()).toBe(0);
  });

  it("a failed core check's output shows controls visibly", async () => {
    emulator.state.checkLog = `Invalid config ${EVIL_LOG}\n`;
    try {
      const { s, titles } = start(['core', 'check'], env);
      expect(await s.waitForExit()).toBe(1);
      expect(await s.waitFor('Invalid config')).toContain('payload \\x1b]2;owned\\x07 \\x1b[2J');
      expect(titles).toEqual([]);
      expectOnlyColours(s.raw);
    } finally {
      emulator.state.checkLog = undefined;
    }
  });

  it('YAML escapes C1, DEL and bidi controls in values', async () => {
    const { s } = start(['host', 'info'], env);
    expect(await s.waitForExit()).toBe(0);
    expect(await s.waitFor('hostname:')).toContain('hostname: "host\\u009b2J\\u202eevil\\u007f"');
    expectOnlyColours(s.raw);
  });

  it('the log viewer shows bidi controls visibly and ignores every escape but colours', async () => {
    const { s, titles } = start(['core', 'logs', '-n', '6'], env);
    const screen = await s.waitFor('payload');
    expect(screen).toContain('<202e>evil');
    expect(screen).not.toContain('\u202e');
    expect(titles).toEqual([]);
    s.type('q');
    expect(await s.waitForExit()).toBe(0);
  });

  it.each([
    ['--no-pager', ['core', 'logs', '-n', '6', '--no-pager'], false],
    ['width 0 (serial)', ['core', 'logs', '-n', '6'], true],
  ])('log lines keep colours and lose every other escape (%s)', async (_name, args, zeroSize) => {
    const { s, titles } = start(args, env, zeroSize);
    await expectSafeLogLines(s, titles);
  });
});

describe("this machine's journal (host logs without a Supervisor)", () => {
  // A real journal file, written by systemd-journal-remote, where the real journalctl finds this machine's
  // journal (/run/log/journal/<machine-id>/); ha runs journalctl and must not pass its bytes through raw.
  const identifier = `ha-safety-${process.pid}`;
  let file: string | undefined;
  let skip: string | undefined;
  beforeAll(() => {
    if (!existsSync(JOURNAL_REMOTE) || !existsSync('/usr/bin/journalctl')) skip = 'systemd-journal-remote or journalctl is not installed';
    else if (process.getuid?.() !== 0) skip = 'needs root to write under /run/log/journal';
    else {
      const dir = join('/run/log/journal', readFileSync('/etc/machine-id', 'utf8').trim());
      mkdirSync(dir, { recursive: true });
      file = join(dir, `${identifier}.journal`);
      const now = Date.now() * 1000;
      writeJournal(file, [
        logEntry({ realtimeUs: now, monotonicUs: 1000, bootId: '0123456789abcdef0123456789abcdef', ident: identifier, pid: 7, message: '\x1b[31mred\x1b[0m' }),
        logEntry({ realtimeUs: now + 1, monotonicUs: 1001, bootId: '0123456789abcdef0123456789abcdef', ident: identifier, pid: 7, message: EVIL_LOG }),
      ]);
    }
  });
  afterAll(() => {
    if (file !== undefined) rmSync(file, { force: true });
  });

  it.each([
    ['--no-pager', ['host', 'logs', '-t', identifier, '-n', '5', '--no-pager'], false],
    ['width 0 (serial)', ['host', 'logs', '-t', identifier, '-n', '5'], true],
  ])('host logs keeps colours and loses every other escape (%s)', async (_name, args, zeroSize) => {
    if (skip !== undefined) return void console.warn(`skipped: ${skip}`);
    const { s, titles } = start(args, {}, zeroSize);
    await expectSafeLogLines(s, titles);
  });
});
