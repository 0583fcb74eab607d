import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { Terminal } from '@xterm/headless';

/** Time QEMU gets to create its sockets after start. */
const SOCKET_WAIT_MS = 20_000;

/** A booted appliance image: its first serial console read through a real terminal emulator, and its QEMU monitor. */
export class QemuMachine {
  readonly terminal = new Terminal({ cols: 120, rows: 40, scrollback: 20_000, allowProposedApi: true });
  /** Every byte the serial console sent. */
  raw = '';
  exitCode: number | null | undefined;
  private readonly exited: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly serial: Socket,
    private readonly monitorPath: string,
  ) {
    serial.on('data', (data: Buffer) => {
      const text = data.toString('utf8');
      this.raw += text;
      this.terminal.write(text);
    });
    // Answers to terminal queries (cursor position...) go back to the machine, as a real terminal's do.
    this.terminal.onData((data) => serial.write(data));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    void this.exited.then((code) => (this.exitCode = code));
  }

  /**
   * Starts `out/BOARD/boot.sh` with the serial console and the monitor on unix sockets in `dir`, on `disk`
   * (written by the machine), else on the board's disk.img with writes discarded (--snapshot); `bootArgs` go
   * to boot.sh (--config-image, --ssh-port).
   */
  static async start(boardDir: string, dir: string, disk?: string, bootArgs: string[] = []): Promise<QemuMachine> {
    const serialPath = join(dir, 'serial.sock');
    const monitorPath = join(dir, 'monitor.sock');
    rmSync(serialPath, { force: true });
    rmSync(monitorPath, { force: true });
    const diskArgs = [...(disk === undefined ? ['--snapshot'] : ['--disk', disk]), ...bootArgs];
    const child = spawn(join(boardDir, 'boot.sh'), ['--serial-socket', serialPath, '--monitor-socket', monitorPath, ...diskArgs], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (data: Buffer) => (stderr += data.toString()));
    const deadline = Date.now() + SOCKET_WAIT_MS;
    while (!existsSync(serialPath)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`QEMU did not start: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const serial = await new Promise<Socket>((resolve, reject) => {
      const socket = connect(serialPath, () => resolve(socket));
      socket.once('error', reject);
    });
    return new QemuMachine(child, serial, monitorPath);
  }

  /** Types keys on the serial console (Enter is `\r`, as a terminal sends it). */
  type(text: string): void {
    this.serial.write(text);
  }

  /** Number of lines rendered so far: pass it to waitFor to look only at what came after. */
  mark(): number {
    return this.terminal.buffer.active.length;
  }

  /** Rendered text from line `from` on, trailing spaces removed. */
  screen(from = 0): string {
    const buffer = this.terminal.buffer.active;
    const lines: string[] = [];
    for (let i = from; i < buffer.length; i++) lines.push(buffer.getLine(i)?.translateToString(true) ?? '');
    return lines.join('\n');
  }

  /** Waits until the text rendered from line `from` on matches. */
  async waitFor(pattern: RegExp | string, timeoutMs: number, from = 0): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await new Promise<void>((resolve) => this.terminal.write('', resolve));
      const text = this.screen(from);
      if (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text)) return text;
      if (this.exitCode !== undefined) throw new Error(`QEMU exited (${String(this.exitCode)}) while waiting for ${String(pattern)}; serial:\n${tail(text)}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pattern)}; serial:\n${tail(text)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Runs one QEMU monitor command and returns what it printed. */
  monitor(command: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(this.monitorPath);
      let out = '';
      let sent = false;
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`monitor command timed out: ${command}; got ${out}`));
      }, 15_000);
      socket.on('data', (data: Buffer) => {
        out += data.toString();
        if (!out.endsWith('(qemu) ')) return;
        if (!sent) {
          sent = true;
          out = '';
          socket.write(`${command}\n`);
        } else {
          clearTimeout(timer);
          socket.end();
          resolve(out);
        }
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  /** Waits for QEMU to end (with -no-reboot a reboot of the machine ends it). */
  waitForExit(timeoutMs: number): Promise<number | null> {
    const timer = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`QEMU still runs; serial:\n${tail(this.screen())}`)), timeoutMs));
    return Promise.race([this.exited, timer]);
  }

  /** A power cut: SIGKILL to QEMU (nothing the guest's kernel has not written reaches the disk), then waits for it to end. */
  async cutPower(): Promise<void> {
    if (this.exitCode === undefined) this.child.kill('SIGKILL');
    await this.exited;
    this.stop();
  }

  /** Ends QEMU if it still runs. */
  stop(): void {
    this.serial.destroy();
    if (this.exitCode === undefined) this.child.kill('SIGKILL');
    this.terminal.dispose();
  }
}

function tail(text: string): string {
  return text.split('\n').slice(-40).join('\n');
}
