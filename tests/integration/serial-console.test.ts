import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/emulator';
import { startDemoEmulator } from '../helpers/demo-target';
import { runHa } from '../helpers/run-ha';
import { HA_BIN, REPO_ROOT } from '../helpers/terminal-session';

// `ha console --serial DEV` driven from the far end of a socat pty pair, as a person at a serial
// terminal would: raw bytes, CR for Enter, no echo from the line.

const HAVE_SOCAT = spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;
/** The prompt at the end of the output (readline may add a cursor-column move after it). */
const PROMPT_END = /ha > (?:\x1b\[\d+G)?$/;
/** A root shell's prompt at the end of the output (`root@host:~# `, `bash-5.2# `, `# `). */
const SHELL_PROMPT_END = /[#$] $/;
const KMSG = ['6,1,1000000,-;Booting Linux on physical CPU 0x0', '3,2,2500000,-;mmc0: error -110 whilst initialising SD card'].join('\n');

let emulator: Emulator;
let workDir: string;
let kmsgFile: string;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  ({ emulator } = await startDemoEmulator());
  workDir = mkdtempSync(join(tmpdir(), 'ha-console-serial-'));
  kmsgFile = join(workDir, 'sample.kmsg');
  writeFileSync(kmsgFile, `${KMSG}\n`);
});
afterAll(async () => {
  await emulator.close();
  rmSync(workDir, { recursive: true, force: true });
});
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** Starts a socat pty pair; resolves with the two device links once both exist. */
async function ptyPair(name: string): Promise<{ console: string; far: string }> {
  const a = join(workDir, `${name}-a`);
  const b = join(workDir, `${name}-b`);
  const socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: 'ignore' });
  cleanups.push(() => socat.kill('SIGKILL'));
  const deadline = Date.now() + 10_000;
  while (!(existsSync(a) && existsSync(b))) {
    if (Date.now() > deadline) throw new Error('socat made no pty pair');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { console: a, far: b };
}

/** The far end of the line (opened with serialport, as a USB-serial adapter would be): what the console printed so far, and a way to type. */
class FarEnd {
  received = '';
  private readonly port: SerialPort;
  constructor(path: string) {
    this.port = new SerialPort({ path, baudRate: 115200 });
    this.port.on('data', (chunk: Buffer) => (this.received += chunk.toString()));
    this.port.on('error', () => undefined);
    cleanups.push(() => {
      if (this.port.isOpen) this.port.close();
    });
  }
  type(text: string): void {
    this.port.write(text);
  }
  /** Waits until the text received after `from` matches. */
  async waitFor(pattern: RegExp | string, from = 0, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = this.received.slice(from);
      if (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text)) return text;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pattern)}; got:\n${JSON.stringify(text.slice(-2000))}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

function startConsole(device: string): { child: ChildProcess; exited: Promise<number | null>; stderr: () => string } {
  const child = spawn(process.execPath, [HA_BIN, 'console', '--serial', device, '--kmsg', kmsgFile], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: workDir, SUPERVISOR_ENDPOINT: emulator.url, SUPERVISOR_TOKEN: emulator.token, HA_CONSOLE_HISTORY: join(workDir, 'history') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  cleanups.push(() => child.kill('SIGKILL'));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

describe.skipIf(!HAVE_SOCAT)('ha console --serial on a socat pty pair', () => {
  it('streams the kernel log, Enter gives the prompt, help answers, exit ends with 0', async () => {
    const pair = await ptyPair('session');
    const far = new FarEnd(pair.far);
    const ha = startConsole(pair.console);
    const before = await far.waitFor('Press Enter for the Home Assistant console');
    await far.waitFor('mmc0: error -110');
    expect(far.received).toContain('[    1.000000] Booting Linux on physical CPU 0x0\r\n');
    expect(before).not.toContain('ha > ');
    far.type('\r');
    await far.waitFor(PROMPT_END);
    // A raw line has no ONLCR: the console must send CRLF itself, or a serial terminal staircases.
    expect(far.received).not.toMatch(/[^\r]\n/);
    const mark = far.received.length;
    far.type('help\r');
    // No echo from a raw UART: what we typed comes back only because the console echoes it.
    const help = await far.waitFor(/auth reset[\s\S]*ha > (?:\x1b\[\d+G)?$/, mark);
    expect(help).toContain('help');
    expect(help).toContain('core logs');
    far.type('exit\r');
    expect(await ha.exited).toBe(0);
    expect(ha.stderr()).toBe('');
  });

  it('login runs a root shell on the serial line itself, and exit comes back to the console', async () => {
    const pair = await ptyPair('login');
    const far = new FarEnd(pair.far);
    const ha = startConsole(pair.console);
    await far.waitFor('mmc0: error -110');
    far.type('\r');
    await far.waitFor(PROMPT_END);
    let mark = far.received.length;
    far.type('login\r');
    await far.waitFor('Starting a root shell', mark);
    await far.waitFor(SHELL_PROMPT_END, mark);
    mark = far.received.length;
    far.type('echo "on-the-line-$((20+22))"\r');
    // The shell's output comes back over the serial line with CR/LF (stty sane for the shell).
    await far.waitFor('on-the-line-42\r\n', mark);
    mark = far.received.length;
    far.type('exit\r');
    await far.waitFor(PROMPT_END, mark);
    // The tail of a terminal's answer to the shell's cursor query (busybox ash asks at each prompt), which
    // the port's reopen did not flush, is not taken for the first key of a command ("Unknown command 'Rlogin'").
    mark = far.received.length;
    far.type(';80R');
    far.type('dns info\r');
    const info = await far.waitFor(/servers:[\s\S]*ha > (?:\x1b\[\d+G)?$/, mark);
    console.log(JSON.stringify(info));
    expect(info).not.toContain('Unknown');
    expect(info).not.toContain('80R');
    far.type('exit\r');
    expect(await ha.exited).toBe(0);
  });

  it('login gives the shell every key (the console stops reading the port), the line as its controlling terminal, and comes back each time', async () => {
    const pair = await ptyPair('rounds');
    const far = new FarEnd(pair.far);
    const ha = startConsole(pair.console);
    await far.waitFor('Press Enter');
    far.type('\r');
    await far.waitFor(PROMPT_END);
    for (let login = 1; login <= 2; login++) {
      let mark = far.received.length;
      far.type('login\r');
      await far.waitFor('Starting a root shell', mark);
      const shellStart = await far.waitFor(SHELL_PROMPT_END, mark);
      expect(shellStart).not.toContain('no job control');
      // Typed without waiting between lines, as a paste: not one byte may go to the console instead.
      mark = far.received.length;
      far.type(Array.from({ length: 20 }, (_, i) => `echo "round-$((${login * 100 + i}+1000))-ok"\r`).join(''));
      const rounds = await far.waitFor(`\nround-${login * 100 + 19 + 1000}-ok\r\n`, mark, 60_000);
      for (let i = 0; i < 20; i++) expect(rounds).toContain(`\nround-${login * 100 + i + 1000}-ok\r\n`);
      // Ctrl-C reaches the shell's foreground job (the line is its controlling terminal), not the console.
      mark = far.received.length;
      far.type('sleep 60\r');
      await far.waitFor('sleep 60\r\n', mark);
      far.type('\x03');
      await far.waitFor(SHELL_PROMPT_END, mark);
      mark = far.received.length;
      far.type('exit\r');
      await far.waitFor(PROMPT_END, mark);
    }
    const mark = far.received.length;
    far.type('dns info\r');
    await far.waitFor(/servers:[\s\S]*ha > (?:\x1b\[\d+G)?$/, mark);
    far.type('exit\r');
    expect(await ha.exited).toBe(0);
    expect(ha.stderr()).toBe('');
  });

  it('line editing happens in the console: backspace removes a typed character', async () => {
    const pair = await ptyPair('edit');
    const far = new FarEnd(pair.far);
    const ha = startConsole(pair.console);
    await far.waitFor('Press Enter');
    far.type('\r');
    await far.waitFor(PROMPT_END);
    const mark = far.received.length;
    far.type('helpx\x7f core logs\r');
    const help = await far.waitFor(/--lines[\s\S]*ha > (?:\x1b\[\d+G)?$/, mark);
    expect(help).not.toContain('Unknown');
    far.type('\x04');
    expect(await ha.exited).toBe(0);
  });
});

describe('ha console --serial refusals', () => {
  it('says in one line when the port cannot be opened, exit 1', async () => {
    const missing = join(workDir, 'no-such-tty');
    const run = await runHa(['console', '--serial', missing, '--kmsg', kmsgFile]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Cannot open serial port ${missing}`);
    expect(run.stderr).toContain('Hint:');
    expect(run.stdout).toBe('');
  });

  it('refuses an unsupported baud rate as a usage error, exit 2', async () => {
    const run = await runHa(['console', '--serial', join(workDir, 'x'), '--baud', '12345']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Unsupported baud rate: 12345');
  });
});
