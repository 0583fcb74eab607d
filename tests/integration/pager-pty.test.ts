// The log viewer in a real pty, read back through @xterm/headless: what a person at the console sees.
// The harness runs dist/pager/pager-demo.js (openPager on a file or FIFO), not the rest of the console.
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn as spawnPty, type IPty } from 'node-pty';
import { Terminal } from '@xterm/headless';

const DEMO = join(__dirname, '..', '..', 'dist', 'pager', 'pager-demo.js');

/** The pager demo program (dist/pager/pager-demo.js) in a real pty, rendered by @xterm/headless. */
class PagerPty {
  readonly pty: IPty;
  readonly terminal: Terminal;
  raw = '';
  exitCode: number | undefined;
  titleChanges = 0;
  private readonly exited: Promise<number>;

  constructor(args: readonly string[], cols = 80, rows = 24) {
    this.terminal = new Terminal({ cols, rows, scrollback: 100, allowProposedApi: true });
    this.terminal.onTitleChange(() => this.titleChanges++);
    const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', TERM: 'xterm-256color', LANG: 'C.UTF-8' };
    this.pty = spawnPty(process.execPath, [DEMO, ...args], { name: 'xterm-256color', cols, rows, env });
    this.pty.onData((data) => {
      this.raw += data;
      this.terminal.write(data);
    });
    this.exited = new Promise((resolve) => this.pty.onExit(({ exitCode }) => resolve((this.exitCode = exitCode))));
  }

  /** Row `index` of the visible screen, trailing spaces removed. */
  row(index: number): string {
    const buffer = this.terminal.buffer.active;
    return buffer.getLine(buffer.viewportY + index)?.translateToString(true) ?? '';
  }

  /** All visible rows. */
  rows(): string[] {
    return Array.from({ length: this.terminal.rows }, (_, i) => this.row(i));
  }

  /** The status line (the bottom row). */
  status(): string {
    return this.row(this.terminal.rows - 1);
  }

  /** The cell at (row, column) of the visible screen. */
  cell(row: number, column: number): ReturnType<NonNullable<ReturnType<Terminal['buffer']['active']['getLine']>>['getCell']> {
    const buffer = this.terminal.buffer.active;
    return buffer.getLine(buffer.viewportY + row)?.getCell(column);
  }

  type(keys: string): void {
    this.pty.write(keys);
  }

  resize(cols: number, rows: number): void {
    this.terminal.resize(cols, rows);
    this.pty.resize(cols, rows);
  }

  /** Waits until `check` holds for the parsed screen. */
  async waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await new Promise<void>((resolve) => this.terminal.write('', resolve));
      if (check()) return;
      if (Date.now() > deadline || this.exitCode !== undefined) {
        throw new Error(`waiting for ${what} (exit ${String(this.exitCode)}); screen:\n${this.rows().join('\n')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Waits until the status line contains `text`. */
  waitForStatus(text: string): Promise<void> {
    return this.waitFor(`status "${text}"`, () => this.status().includes(text));
  }

  async waitForExit(timeoutMs = 10_000): Promise<number> {
    const timer = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no exit; screen:\n${this.rows().join('\n')}`)), timeoutMs));
    return Promise.race([this.exited, timer]);
  }

  close(): void {
    if (this.exitCode === undefined) this.pty.kill('SIGKILL');
    this.terminal.dispose();
  }
}

/** `count` log lines numbered from `from` (1-based), cycling through INFO, WARNING, ERROR, DEBUG. */
function logLines(from: number, count: number): string {
  const levels = ['INFO', 'WARNING', 'ERROR', 'DEBUG'];
  let out = '';
  for (let n = from; n < from + count; n++) out += `2024-05-01 12:00:00.000 ${levels[(n - 1) % 4] ?? 'INFO'} (MainThread) [test] entry ${String(n).padStart(6, '0')}\n`;
  return out;
}

/** "entry 000042" for line 42. */
const entry = (n: number): string => `entry ${String(n).padStart(6, '0')}`;

let dir = '';
let log1000 = '';
const sessions: PagerPty[] = [];

function start(args: readonly string[], cols = 80, rows = 24): PagerPty {
  const session = new PagerPty(args, cols, rows);
  sessions.push(session);
  return session;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ha-pager-'));
  log1000 = join(dir, 'core.log');
  writeFileSync(log1000, logLines(1, 1000));
});
afterEach(() => {
  for (const session of sessions.splice(0)) session.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pager in a pty', () => {
  it('shows the first screen with a status line, pages, scrolls and jumps to start and end', async () => {
    const pager = start(['--file', log1000, '--title', 'core logs']);
    await pager.waitForStatus('1-23 of 1000');
    expect(pager.row(0)).toContain(entry(1));
    expect(pager.row(22)).toContain(entry(23));
    expect(pager.status()).toContain('core logs');
    pager.type(' ');
    await pager.waitForStatus('24-46 of 1000');
    expect(pager.row(0)).toContain(entry(24));
    pager.type('\x1b[6~');
    await pager.waitForStatus('47-69 of 1000');
    pager.type('b');
    await pager.waitForStatus('24-46 of 1000');
    pager.type('j\x1b[B');
    await pager.waitForStatus('26-48 of 1000');
    pager.type('k');
    await pager.waitForStatus('25-47 of 1000');
    expect(pager.row(0)).toContain(entry(25));
    pager.type('G');
    await pager.waitForStatus('978-1000 of 1000');
    expect(pager.row(22)).toContain(entry(1000));
    expect(pager.status()).toContain('(END)');
    pager.type('g');
    await pager.waitForStatus('1-23 of 1000');
    pager.type('\x1b[F');
    await pager.waitForStatus('978-1000');
    pager.type('\x1b[H');
    await pager.waitForStatus('1-23 of 1000');
  });

  it('searches forward and back, highlights matches in the cells, and says when nothing is found', async () => {
    const pager = start(['--file', log1000]);
    await pager.waitForStatus('1-23 of 1000');
    pager.type('/entry 0005\r');
    await pager.waitFor('line 500 on top', () => pager.row(0).includes(entry(500)));
    const column = pager.row(0).indexOf('entry 0005');
    for (let c = column; c < column + 'entry 0005'.length; c++) expect(pager.cell(0, c)?.isInverse()).toBeTruthy();
    expect(pager.cell(0, column - 2)?.isInverse()).toBeFalsy();
    expect(pager.cell(0, column + 'entry 0005'.length)?.isInverse()).toBeFalsy();
    // Every match on screen is highlighted, not only the first.
    const second = pager.row(1).indexOf('entry 0005');
    expect(pager.cell(1, second)?.isInverse()).toBeTruthy();
    expect(pager.status()).toContain('/entry 0005');
    pager.type('n');
    await pager.waitFor('line 501 on top', () => pager.row(0).includes(entry(501)));
    pager.type('N');
    await pager.waitFor('line 500 on top again', () => pager.row(0).includes(entry(500)));
    pager.type('?entry 000100\r');
    await pager.waitFor('line 100 on top', () => pager.row(0).includes(entry(100)));
    pager.type('/no such text\r');
    await pager.waitForStatus('Pattern not found: no such text');
    expect(pager.row(0)).toContain(entry(100));
  });

  it('backward search: ? finds the nearest match above, n goes on upward, N back down, and says when nothing is above', async () => {
    const pager = start(['--file', log1000]);
    await pager.waitForStatus('1-23 of 1000');
    pager.type('/entry 000500\r');
    await pager.waitFor('line 500 on top', () => pager.row(0).includes(entry(500)));
    // Lines 100-199 match; the nearest one above line 500 is 199.
    pager.type('?entry 0001\r');
    await pager.waitFor('line 199 on top', () => pager.row(0).includes(entry(199)));
    expect(pager.status()).toContain('entry 0001');
    pager.type('n');
    await pager.waitFor('n after ?: line 198 on top', () => pager.row(0).includes(entry(198)));
    pager.type('n');
    await pager.waitFor('n again: line 197 on top', () => pager.row(0).includes(entry(197)));
    pager.type('N');
    await pager.waitFor('N after ?: line 198 on top', () => pager.row(0).includes(entry(198)));
    pager.type('g');
    await pager.waitForStatus('1-23 of 1000');
    pager.type('?entry 0009\r');
    await pager.waitForStatus('Pattern not found: entry 0009 (above)');
    expect(pager.row(0)).toContain(entry(1));
    // A forward search after it goes down again, and n follows the new direction.
    pager.type('/entry 0009\r');
    await pager.waitFor('line 900 on top', () => pager.row(0).includes(entry(900)));
    pager.type('n');
    await pager.waitFor('line 901 on top', () => pager.row(0).includes(entry(901)));
  });

  it('filters by level and back to all lines', async () => {
    const pager = start(['--file', log1000]);
    await pager.waitForStatus('1-23 of 1000');
    pager.type('l');
    await pager.waitForStatus('level warning+ (500 lines)');
    const text = pager.rows().slice(0, 23);
    expect(text.every((row) => row.includes(' WARNING (') || row.includes(' ERROR ('))).toBe(true);
    pager.type('l');
    await pager.waitForStatus('level error+ (250 lines)');
    expect(pager.rows().slice(0, 23).every((row) => row.includes(' ERROR ('))).toBe(true);
    pager.type('l');
    // The place is kept across filters: the top line stays the first error shown (line 3).
    await pager.waitFor('all lines', () => !pager.status().includes('level') && pager.row(0).includes(entry(3)));
    expect(pager.row(1)).toContain(entry(4));
  });

  it('keeps a ring of the newest lines and says how many were dropped', async () => {
    const pager = start(['--file', log1000, '--max-lines', '100']);
    await pager.waitForStatus('900 oldest dropped (keeps 100 lines, 5 MiB)');
    expect(pager.row(0)).toContain(entry(901));
    pager.type('G');
    await pager.waitFor('last line', () => pager.row(22).includes(entry(1000)));
  });

  it('keeps at most its byte budget of line text: long lines drop the oldest sooner', async () => {
    // The same 1000 lines with at most 16 KiB of their text kept: the newest lines that fit.
    const lengths = readFileSync(log1000, 'utf8').split('\n').slice(0, 1000).map((line) => Buffer.byteLength(line));
    let kept = 0;
    for (let bytes = 0; kept < lengths.length && bytes + (lengths[999 - kept] ?? 0) <= 16 * 1024; kept++) bytes += lengths[999 - kept] ?? 0;
    const pager = start(['--file', log1000, '--max-bytes', String(16 * 1024)]);
    await pager.waitForStatus(`${1000 - kept} oldest dropped (keeps 100000 lines, 16 KiB)`);
    expect(pager.row(0)).toContain(entry(1000 - kept + 1));
    pager.type('G');
    await pager.waitFor('last line', () => pager.row(22).includes(entry(1000)));
  });

  it('shows the first screen while the log is still arriving, and follows until scrolled up', async () => {
    const fifo = join(dir, 'follow.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const pager = start(['--file', fifo, '--follow']);
    const writer: FileHandle = await open(fifo, 'w');
    try {
      await writer.write(logLines(1, 100));
      await pager.waitFor('last line 100', () => pager.row(22).includes(entry(100)));
      expect(pager.status()).toContain('FOLLOW');
      await writer.write(logLines(101, 5));
      await pager.waitFor('last line 105', () => pager.row(22).includes(entry(105)));
      pager.type('k');
      await pager.waitForStatus('PAUSED (F follows)');
      expect(pager.row(22)).toContain(entry(104));
      await writer.write(logLines(106, 5));
      await pager.waitForStatus('of 110');
      expect(pager.row(22)).toContain(entry(104));
      pager.type('F');
      await pager.waitFor('following again', () => pager.row(22).includes(entry(110)) && pager.status().includes('FOLLOW'));
      await writer.write(logLines(111, 1));
      await pager.waitFor('last line 111', () => pager.row(22).includes(entry(111)));
    } finally {
      await writer.close();
    }
  });

  it('starts at the top of a log still arriving, without following', async () => {
    const fifo = join(dir, 'slow.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const pager = start(['--file', fifo]);
    const writer = await open(fifo, 'w');
    await writer.write(logLines(1, 30));
    await pager.waitForStatus('1-23 of 30');
    expect(pager.row(0)).toContain(entry(1));
    expect(pager.row(22)).toContain(entry(23));
    expect(pager.status()).toContain('reading…');
    await writer.write(logLines(31, 10));
    await pager.waitForStatus('1-23 of 40');
    await writer.close();
    await pager.waitFor('end of stream', () => !pager.status().includes('reading'));
    expect(pager.row(0)).toContain(entry(1));
  });

  it('shows its screen and status before any line arrives', async () => {
    const fifo = join(dir, 'silent.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const pager = start(['--file', fifo, '--title', 'quiet']);
    const writer = await open(fifo, 'w');
    try {
      await pager.waitForStatus('quiet | no lines');
      expect(pager.row(0)).toBe('~');
      expect(pager.row(22)).toBe('~');
      await writer.write(logLines(1, 2));
      await pager.waitForStatus('1-2 of 2');
      expect(pager.row(1)).toContain(entry(2));
      expect(pager.row(2)).toBe('~');
    } finally {
      await writer.close();
    }
  });

  it('redraws on resize', async () => {
    const pager = start(['--file', log1000]);
    await pager.waitForStatus('1-23 of 1000');
    pager.resize(50, 10);
    await pager.waitFor('status on the new last row', () => pager.row(9).includes('1-9 of 1000'));
    expect(pager.row(0)).toContain('2024-05-01');
    expect(pager.row(0).endsWith('>')).toBe(true);
    for (let r = 0; r < 10; r++) expect(pager.row(r).length).toBeLessThanOrEqual(50);
    pager.resize(120, 30);
    await pager.waitFor('wider status', () => pager.row(29).includes('1-29 of 1000'));
    expect(pager.row(0)).toContain(entry(1));
    expect(pager.row(0).endsWith('>')).toBe(false);
  });

  it('keeps colours, neutralises escape sequences and binary bytes, and cuts long lines', async () => {
    const file = join(dir, 'garbage.log');
    const garbage = Buffer.concat([
      Buffer.from('\x1b[31mred line\x1b[0m\n'),
      Buffer.from('bin:\x1b[2J\x1b[H\x1b]0;stolen title\x07\x1b[?1049l\x00'),
      Buffer.from([0xff, 0xfe, 0x9b, 0x07, 0x08]),
      Buffer.from(':end\n'),
      Buffer.from(`${'日本語'.repeat(40)}\n`),
      Buffer.from('after\n'),
    ]);
    writeFileSync(file, garbage);
    const pager = start(['--file', file]);
    await pager.waitForStatus('1-4 of 4');
    expect(pager.row(0)).toBe('red line');
    expect(pager.cell(0, 0)?.isFgPalette()).toBeTruthy();
    expect(pager.cell(0, 0)?.getFgColor()).toBe(1);
    expect(pager.row(1)).toMatch(/^bin:\^@.*:end$/);
    expect(pager.row(2).endsWith('>')).toBe(true);
    expect(pager.row(3)).toBe('after');
    expect(pager.row(4)).toBe('~');
    expect(pager.terminal.buffer.active.type).toBe('alternate');
    expect(pager.titleChanges).toBe(0);
  });

  it('q leaves the terminal as it was: normal screen, cursor shown, raw mode off, input paused, no listeners', async () => {
    const pager = start(['--file', log1000]);
    await pager.waitForStatus('1-23 of 1000');
    expect(pager.terminal.buffer.active.type).toBe('alternate');
    pager.type('q');
    expect(await pager.waitForExit()).toBe(0);
    await new Promise<void>((resolve) => pager.terminal.write('', resolve));
    expect(pager.terminal.buffer.active.type).toBe('normal');
    expect(pager.raw.lastIndexOf('\x1b[?25h')).toBeGreaterThan(pager.raw.lastIndexOf('\x1b[?25l'));
    expect(pager.raw.lastIndexOf('\x1b[?7h')).toBeGreaterThan(pager.raw.lastIndexOf('\x1b[?7l'));
    expect(pager.rows().join('\n')).toContain('pager closed: raw=false paused=true dataListeners=0 resizeListeners=0');
    expect(pager.rows().join('\n')).not.toContain(entry(1));
  });

  it('closes at once when its signal aborts', async () => {
    const fifo = join(dir, 'abort.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const pager = start(['--file', fifo, '--follow']);
    const writer = await open(fifo, 'w');
    try {
      await writer.write(logLines(1, 3));
      await pager.waitForStatus('FOLLOW');
      pager.pty.kill('SIGTERM');
      await pager.waitFor('closed', () => pager.rows().join('\n').includes('pager closed: raw=false paused=true dataListeners=0'));
      expect(pager.terminal.buffer.active.type).toBe('normal');
    } finally {
      // The demo's FIFO read blocks a libuv thread until the writer closes; only then can it exit.
      await writer.close();
    }
    expect(await pager.waitForExit()).toBe(0);
  });
});
