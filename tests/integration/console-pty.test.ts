import { accessSync, constants, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/emulator';
import { createDockerSocket, type DockerSocket } from '../../src/emulator/docker-socket';
import { copyDemoConfig, startDemoEmulator, passwordMatches } from '../helpers/demo-target';
import { KEYS, TerminalSession, type SessionOptions } from '../helpers/terminal-session';

const KMSG_SAMPLE = [
  '6,1,1000000,-;Booting Linux on physical CPU 0x0',
  ' SUBSYSTEM=cpu',
  '3,2,2500000,-;mmc0: error -110 whilst initialising SD card',
  '4,3,12345678,-;usb 1-1: device descriptor read/64, error -71',
].join('\n');

let emulator: Emulator;
let configDir: string;
let kmsgFile: string;
let workDir: string;
let printkFile: string;
let docker: DockerSocket;
const sessions: TerminalSession[] = [];

beforeAll(async () => {
  ({ emulator, configDir } = await startDemoEmulator());
  workDir = mkdtempSync(join(tmpdir(), 'ha-console-pty-'));
  kmsgFile = join(workDir, 'sample.kmsg');
  printkFile = join(workDir, 'printk');
  writeFileSync(printkFile, '4\t4\t1\t7\n');
  writeFileSync(kmsgFile, `${KMSG_SAMPLE}\n`);
  // Core's state comes from Docker's socket on a host, as on HAOS.
  docker = await createDockerSocket(join(workDir, 'docker.sock'), emulator.state);
});
afterAll(async () => {
  await docker.close();
  await emulator.close();
});
afterEach(() => {
  for (const s of sessions.splice(0)) s.close();
});

function start(args: string[], extra: Partial<SessionOptions> = {}): TerminalSession {
  const session = new TerminalSession({
    args,
    ...extra,
    env: {
      SUPERVISOR_ENDPOINT: emulator.url,
      SUPERVISOR_TOKEN: emulator.token,
      HA_CONSOLE_HISTORY: join(workDir, `history-${sessions.length}`),
      HA_CONSOLE_PRINTK: printkFile,
      HA_CONSOLE_VCONSOLE_CONF: join(workDir, 'vconsole.conf'),
      HA_CONSOLE_DOCKER_SOCKET: join(workDir, 'docker.sock'),
      ...extra.env,
    },
  });
  sessions.push(session);
  return session;
}

/** Starts `ha console` on the sample kernel log and presses Enter once the hint shows. */
async function startAtPrompt(extra: Partial<SessionOptions> = {}): Promise<TerminalSession> {
  const s = start(['console', '--kmsg', kmsgFile], extra);
  await s.waitFor('Press Enter');
  await s.waitFor('[   12.345678] usb 1-1');
  s.type(KEYS.enter);
  await s.waitFor(/ha > $/m);
  return s;
}

describe('ha console in a real terminal', () => {
  it('streams the kernel log like dmesg until Enter, then shows the banner and the prompt', async () => {
    const s = start(['console', '--kmsg', kmsgFile]);
    await s.waitFor('Press Enter for the Home Assistant console');
    const before = await s.waitFor('[   12.345678] usb 1-1');
    expect(before).toContain('[    1.000000] Booting Linux on physical CPU 0x0');
    expect(before).toContain('[   12.345678] usb 1-1: device descriptor read/64, error -71');
    expect(before).not.toContain('SUBSYSTEM=cpu');
    expect(before).not.toContain('ha > ');
    s.type(KEYS.enter);
    const after = await s.waitFor(/ha > $/m);
    expect(after).toContain('Welcome to the Home Assistant command line');
    expect(after).toMatch(/Home Assistant Core:\s+2026/);
  });

  const kmsgWritable = ((): boolean => {
    try {
      accessSync('/dev/kmsg', constants.R_OK | constants.W_OK);
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(!kmsgWritable)('shows a line injected into the real /dev/kmsg (needs root)', async () => {
    const s = start(['console']);
    await s.waitFor('Press Enter');
    const marker = `ha-console-pty-${randomBytes(6).toString('hex')}`;
    writeFileSync('/dev/kmsg', `<6>${marker}\n`);
    const screen = await s.waitFor(marker);
    expect(screen).toMatch(new RegExp(`\\[\\s*\\d+\\.\\d{6}\\] ${marker}`));
    expect(screen).not.toContain('ha > ');
    s.type(KEYS.enter);
    await s.waitFor(/ha > $/m);
    // While the console runs it owns the console log level, so the kernel does not print over the prompt.
    expect(readFileSync(printkFile, 'utf8')).toBe('1 4 1 7');
    s.type('core inf');
    const error = `ha-console-error-${randomBytes(6).toString('hex')}`;
    writeFileSync('/dev/kmsg', `<3>${error}\n`);
    writeFileSync('/dev/kmsg', `<6>too-chatty-for-the-prompt-${error}\n`);
    const above = await s.waitFor(new RegExp(`\\] ${error}\\n(.*\\n)*ha > core inf$`, 'm'));
    expect(above).not.toContain(`too-chatty-for-the-prompt-${error}`);
    expect(s.cursorLine()).toBe('ha > core inf');
    s.type(`o${KEYS.enter}`);
    await s.waitFor(/^version: 2026/m);
    s.type(`exit${KEYS.enter}`);
    expect(await s.waitForExit()).toBe(0);
    expect(readFileSync(printkFile, 'utf8').trim()).toBe('4\t4\t1\t7');
  });

  it('passes passwords with spaces, quotes, & and $ through exactly', async () => {
    const s = await startAtPrompt();
    const password = `s3cret & "quoted" $HOME 'x'`;
    s.type(`auth reset --username alice --password 's3cret & "quoted" $HOME '\\''x'\\'''${KEYS.enter}`);
    await s.waitFor("Password for 'alice' changed.");
    expect(passwordMatches(configDir, 'alice', password)).toBe(true);
    expect(emulator.state.authCacheClears).toBeGreaterThan(0);
  });

  it('asks for a password twice without echo when none is given', async () => {
    const s = await startAtPrompt();
    s.type(`auth reset --username bob${KEYS.enter}`);
    await s.waitFor('New password: ');
    s.type(`hidden-words-42${KEYS.enter}`);
    await s.waitFor('New password (again): ');
    s.type(`hidden-words-42${KEYS.enter}`);
    const screen = await s.waitFor("Password for 'bob' changed.");
    expect(screen).not.toContain('hidden-words-42');
    expect(passwordMatches(configDir, 'bob', 'hidden-words-42')).toBe(true);
  });

  it('Ctrl-C stops core logs -f and returns to a working prompt', async () => {
    const s = await startAtPrompt();
    s.type(`core logs -f -n 5${KEYS.enter}`);
    await s.waitFor(/homeassistant|INFO|WARNING|ERROR/);
    s.type(KEYS.ctrlC);
    await s.waitFor(/ha > $/m);
    s.type(`dns info${KEYS.enter}`);
    await s.waitFor(/servers:/);
    expect(s.exitCode).toBeUndefined();
  });

  it('Ctrl-C at the prompt clears the line instead of ending the console', async () => {
    const s = await startAtPrompt();
    s.type('core inf');
    s.type(KEYS.ctrlC);
    await s.waitFor('^C');
    s.type(`help${KEYS.enter}`);
    await s.waitFor('login');
    expect(s.screen()).not.toContain('core infhelp');
    expect(s.exitCode).toBeUndefined();
  });

  it('survives unknown commands, unbalanced quotes, binary garbage and a huge line', async () => {
    const s = await startAtPrompt();
    s.type(`frobnicate${KEYS.enter}`);
    await s.waitFor("Error: Unknown command 'frobnicate'.");
    s.type(`auth reset --password 'open${KEYS.enter}`);
    await s.waitFor('Unbalanced single quote');
    s.type(`\x01\x02\x1b[999;999H\xff\xfe garbage${KEYS.enter}`);
    s.type(`${'x'.repeat(20_000)}${KEYS.enter}`);
    s.type(`core logs --lines many${KEYS.enter}`);
    await s.waitFor('Flag --lines needs a whole number');
    s.type(`banner${KEYS.enter}`);
    await s.waitFor(/Welcome[\s\S]*Welcome/);
    expect(s.exitCode).toBeUndefined();
    expect(s.raw).not.toMatch(/\n\s+at .*\.js:\d+/);
  });

  it('completes commands and flags with Tab', async () => {
    const s = await startAtPrompt();
    s.type(`supervis${KEYS.tab}`);
    await s.waitFor(/ha > supervisor $/m);
    s.type(`inf${KEYS.tab}${KEYS.enter}`);
    await s.waitFor(/channel:/);
  });

  it('keeps history across restarts, without passwords', async () => {
    const history = join(workDir, 'kept-history');
    const first = await startAtPrompt({ env: { HA_CONSOLE_HISTORY: history } });
    first.type(`dns info${KEYS.enter}`);
    await first.waitFor(/servers:/);
    first.type(`auth reset --username nobody --password 'never-stored'${KEYS.enter}`);
    await first.waitFor(/Error:/);
    first.type(`exit${KEYS.enter}`);
    expect(await first.waitForExit()).toBe(0);
    const second = await startAtPrompt({ env: { HA_CONSOLE_HISTORY: history } });
    second.type(KEYS.up);
    await second.waitFor(/ha > exit$/m);
    second.type(KEYS.up);
    await second.waitFor(/ha > auth reset --username nobody --password \*\*\*$/m);
    second.type(KEYS.up);
    await second.waitFor(/ha > dns info$/m);
  });

  it('Ctrl-D ends the console with status 0', async () => {
    const s = await startAtPrompt();
    s.type(KEYS.ctrlD);
    expect(await s.waitForExit()).toBe(0);
  });

  it('works on a terminal of width 0 (serial console)', async () => {
    const s = await startAtPrompt({ zeroSize: true, term: 'vt100' });
    s.type(`core info${KEYS.enter}`);
    await s.waitFor(/version: 2026/);
    s.type(`exit${KEYS.enter}`);
    expect(await s.waitForExit()).toBe(0);
  });

  it('login starts a real root shell, never the console itself, and exit returns to the console', async () => {
    const s = await startAtPrompt({ env: { SHELL: join(__dirname, '..', '..', 'bin', 'ha.js') } });
    s.type(`login${KEYS.enter}`);
    await s.waitFor('Starting a root shell');
    s.type(`echo "shell=$0 pid=$$"${KEYS.enter}`);
    await s.waitFor(/shell=-(ba)?sh pid=\d+/);
    // Pasted lines reach the shell whole: the console reads nothing while the shell runs.
    s.type(Array.from({ length: 20 }, (_, i) => `echo "round-$((${i}+1000))-ok"${KEYS.enter}`).join(''));
    const rounds = await s.waitFor(/^round-1019-ok$/m, 60_000);
    for (let i = 0; i < 20; i++) expect(rounds).toMatch(new RegExp(`^round-${i + 1000}-ok$`, 'm'));
    s.type(`exit${KEYS.enter}`);
    await s.waitFor(/ha > $/m);
    s.type(`dns info${KEYS.enter}`);
    await s.waitFor(/servers:/);
  });

  it('tells the truth when Core is stopped instead of "user does not exist"', async () => {
    emulator.state.coreRunning = false;
    try {
      const s = await startAtPrompt({ env: { HA_CONSOLE_HOST_CONFIG_DIR: join(workDir, 'no-such-dir') } });
      s.type(`auth reset --username alice --password whatever${KEYS.enter}`);
      const screen = await s.waitFor(/Error: Home Assistant Core is not running/);
      expect(screen).toMatch(/Hint: Start Core with 'core start'/);
    } finally {
      emulator.state.coreRunning = true;
    }
  });

  it('offers the local reset on the device when Core is stopped, and it works', async () => {
    const hostConfig = copyDemoConfig();
    emulator.state.coreRunning = false;
    try {
      const s = await startAtPrompt({ env: { HA_CONSOLE_HOST_CONFIG_DIR: hostConfig } });
      s.type(`auth reset --username alice --password 'offline & fine'${KEYS.enter}`);
      await s.waitFor(/Change the password directly in [\s\S]*\[y\/N\]/);
      s.type(`y${KEYS.enter}`);
      await s.waitFor(/Password for 'alice' changed in config folder/);
      expect(passwordMatches(hostConfig, 'alice', 'offline & fine')).toBe(true);
    } finally {
      emulator.state.coreRunning = true;
    }
  });

  it('opens logs and dmesg in the viewer; q returns to a clean prompt, and no viewer key leaks into it', async () => {
    const s = await startAtPrompt();
    s.type(`core logs -n 30${KEYS.enter}`);
    await s.waitFor(/Home Assistant Core logs/);
    await s.waitFor(/\(END\)/);
    s.type('gjjk/zeroconf\r');
    await s.waitFor(/zeroconf/);
    s.type('q');
    await s.waitFor(/ha > $/m);
    expect(s.cursorLine()).toBe('ha > ');
    s.type(`dmesg${KEYS.enter}`);
    await s.waitFor(/Kernel log/);
    await s.waitFor(/\[   12\.345678\] usb 1-1/);
    s.type('q');
    await s.waitFor(/ha > $/m);
    expect(s.cursorLine()).toBe('ha > ');
  });

  it('streams plain text on a dumb terminal and with --no-pager', async () => {
    const s = await startAtPrompt({ term: 'dumb' });
    s.type(`core logs -n 3${KEYS.enter}`);
    await s.waitFor(/\(#199\)\nha > $/m);
    expect(s.screen()).not.toContain('Home Assistant Core logs');
    const t = await startAtPrompt();
    t.type(`dmesg --no-pager${KEYS.enter}`);
    await t.waitFor(/\[   12\.345678\] usb 1-1[^\n]*\nha > $/m);
  });

  it('auth reset --interactive lists the users, takes a number, then the password twice', async () => {
    const s = await startAtPrompt();
    s.type(`auth reset --interactive${KEYS.enter}`);
    await s.waitFor(/1\. alice\n\s+2\. bob\n/);
    await s.waitFor('Select a user to reset the password for [1-2]: ');
    s.type(`7${KEYS.enter}`);
    await s.waitFor('Please type a number from 1 to 2.');
    s.type(`2${KEYS.enter}`);
    await s.waitFor('New password: ');
    s.type(`picked-from-a-list${KEYS.enter}`);
    await s.waitFor('New password (again): ');
    s.type(`picked-from-a-list${KEYS.enter}`);
    await s.waitFor("Password for 'bob' changed.");
    expect(passwordMatches(configDir, 'bob', 'picked-from-a-list')).toBe(true);
  });

  it('announces above the prompt when Home Assistant Core stops and starts', async () => {
    const seen = docker.requests.length;
    const s = await startAtPrompt({ env: { HA_CONSOLE_STATUS_POLL_MS: '300' } });
    // The console has read Core's state once (running) before it changes: an event, not a fixed wait.
    await s.waitFor(() => docker.requests.slice(seen).some((r) => r.includes('/containers/homeassistant/json')));
    s.type('dns in');
    emulator.state.coreRunning = false;
    try {
      await s.waitFor(/Home Assistant Core is now stopped \(was running\)\.\n(.*\n)*ha > dns in$/m);
    } finally {
      emulator.state.coreRunning = true;
    }
    await s.waitFor(/Home Assistant Core is now running \(was stopped\)\./);
    expect(s.cursorLine()).toBe('ha > dns in');
    expect(docker.requests.filter((r) => r.includes('/containers/homeassistant/json')).length).toBeGreaterThan(1);
    expect(emulator.state.requests).not.toContain('GET /core/stats');
  });
});
