import { join } from 'node:path';
import { spawn as spawnPty, type IPty } from 'node-pty';
import { Terminal } from '@xterm/headless';

/** Root of the repository (bin/ha.js lives there). */
export const REPO_ROOT = join(__dirname, '..', '..');
export const HA_BIN = join(REPO_ROOT, 'bin', 'ha.js');

/** Keys as a terminal sends them. */
export const KEYS = { enter: '\r', ctrlC: '\x03', ctrlD: '\x04', tab: '\t', up: '\x1b[A', backspace: '\x7f' } as const;

export interface SessionOptions {
  readonly args: readonly string[];
  readonly env?: Record<string, string>;
  readonly cols?: number;
  readonly rows?: number;
  /** Make the pty report a size of 0x0, as a serial console does. */
  readonly zeroSize?: boolean;
  readonly term?: string;
}

/**
 * `ha` running in a real pty, its output rendered by a real terminal emulator (@xterm/headless),
 * so tests read the screen a person would see.
 */
export class TerminalSession {
  readonly pty: IPty;
  readonly terminal: Terminal;
  /** Every byte the program wrote, for assertions on raw output. */
  raw = '';
  exitCode: number | undefined;
  private readonly exited: Promise<number>;

  constructor(options: SessionOptions) {
    const cols = options.cols ?? 100;
    const rows = options.rows ?? 40;
    this.terminal = new Terminal({ cols, rows, scrollback: 5000, allowProposedApi: true });
    const command = options.zeroSize
      ? { file: '/bin/sh', args: ['-c', 'stty rows 0 cols 0; exec "$0" "$@"', process.execPath, HA_BIN, ...options.args] }
      : { file: process.execPath, args: [HA_BIN, ...options.args] };
    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: process.env['HOME'] ?? '/root',
      TERM: options.term ?? 'xterm-256color',
      LANG: 'C.UTF-8',
      ...options.env,
    };
    this.pty = spawnPty(command.file, command.args, { name: env['TERM'] ?? 'xterm', cols, rows, cwd: REPO_ROOT, env });
    this.pty.onData((data) => {
      this.raw += data;
      this.terminal.write(data);
    });
    this.exited = new Promise((resolve) => {
      this.pty.onExit(({ exitCode }) => {
        this.exitCode = exitCode;
        resolve(exitCode);
      });
    });
  }

  /** Types text (keys) into the program. */
  type(text: string): void {
    this.pty.write(text);
  }

  /** The screen and scrollback as plain text lines, trailing spaces removed. */
  screen(): string {
    const buffer = this.terminal.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i)?.translateToString(true) ?? '');
    return lines.join('\n').replace(/\n+$/, '');
  }

  /** The line the cursor is on. */
  cursorLine(): string {
    const buffer = this.terminal.buffer.active;
    return buffer.getLine(buffer.baseY + buffer.cursorY)?.translateToString(true) ?? '';
  }

  /** Waits until the screen matches, or a condition holds (the terminal has parsed everything written so far). */
  async waitFor(pattern: RegExp | string | ((screen: string) => boolean), timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await new Promise<void>((resolve) => this.terminal.write('', resolve));
      const screen = this.screen();
      if (typeof pattern === 'string' ? screen.includes(pattern) : typeof pattern === 'function' ? pattern(screen) : pattern.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pattern)}; screen:\n${screen}`);
      if (this.exitCode !== undefined) throw new Error(`program exited (${this.exitCode}) while waiting for ${String(pattern)}; screen:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Waits for the program to end and returns its exit status. */
  async waitForExit(timeoutMs = 10_000): Promise<number> {
    const timer = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`did not exit; screen:\n${this.screen()}`)), timeoutMs));
    return Promise.race([this.exited, timer]);
  }

  /** Ends the program if it still runs. */
  close(): void {
    if (this.exitCode === undefined) {
      try {
        this.pty.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
    this.terminal.dispose();
  }
}
