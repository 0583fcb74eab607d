import { PassThrough, Writable } from 'node:stream';
import type { SerialPort } from 'serialport';
import type { Io } from '../commands/types';
import { HaError } from '../errors/ha-error';
import { UsageError } from '../errors/usage-error';

/** Speed of `ha console --serial` when `--baud` is not given (what Pi and most boards use). */
export const DEFAULT_BAUD = 115200;

/** Rates a UART can be set to (termios speeds); anything else is a typo. */
const BAUD_RATES = new Set([1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 500000, 576000, 921600, 1000000, 1500000, 2000000, 3000000]);

/** The serialport package's surface we use (loaded lazily: ~45 ms, and it is optional). */
export type SerialPortModule = { readonly SerialPort: typeof SerialPort };

/** `--baud` text → a supported rate; undefined gives DEFAULT_BAUD (pure). */
export function parseBaud(text: string | undefined): number {
  if (text === undefined) return DEFAULT_BAUD;
  const rate = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!BAUD_RATES.has(rate)) throw new UsageError(`Unsupported baud rate: ${text}.`, 'Common rates: 9600, 57600, 115200 (default), 921600.');
  return rate;
}

/** Colours on a serial console only when asked for (FORCE_COLOR): the far end's terminal is unknown (pure). */
export function serialColor(env: NodeJS.ProcessEnv, disabled: boolean): boolean {
  return !disabled && env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0';
}

/** Adds CR before each LF not already preceded by one, as a tty's ONLCR does (pure; `previous` = last byte sent). */
export function addCarriageReturns(chunk: Buffer, previous: number | undefined): Buffer {
  const out: number[] = [];
  let last = previous;
  for (const byte of chunk) {
    if (byte === 0x0a && last !== 0x0d) out.push(0x0d);
    out.push(byte);
    last = byte;
  }
  return out.length === chunk.length ? chunk : Buffer.from(out);
}

/**
 * Keyboard side of a serial console. A raw UART echoes nothing and has no line discipline, so readline
 * must do echo and line editing itself: that is its `terminal: true` mode, which the console picks when
 * `isTTY` is true. `setRawMode` is a no-op because the port is opened raw already (serialport sets raw
 * termios); there is no cooked mode to return to.
 */
export class SerialInput extends PassThrough {
  readonly isTTY = true;
  isRaw = true;

  /** No-op: the port is raw for its whole life (see the class comment). */
  setRawMode(mode: boolean): this {
    this.isRaw = mode;
    return this;
  }
}

/**
 * Screen side of a serial console: LF becomes CRLF (no ONLCR on a raw port); width unknown (0). While the port is
 * closed (a login shell owns the line) writes wait, in order, until it is open again.
 */
export class SerialOutput extends Writable {
  readonly isTTY = false;
  private last: number | undefined;

  constructor(private readonly port: Pick<SerialPort, 'write' | 'isOpen' | 'once'>) {
    super();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (!this.port.isOpen) {
      this.port.once('open', () => this._write(chunk, encoding, callback));
      return;
    }
    const data = addCarriageReturns(chunk, this.last);
    this.last = chunk[chunk.length - 1] ?? this.last;
    this.port.write(data, (error: Error | null | undefined) => callback(error ?? null));
  }
}

/** An open serial console: the Io to run the console on, and how to close the port. */
export interface SerialIo {
  readonly io: Io;
  /** The device path (a login shell runs on it while the console steps aside). */
  readonly device: string;
  /** Closes the port (a paused stream would still read it), so every key reaches the program that runs on the line meanwhile. */
  suspend(): Promise<void>;
  /** Opens the port again and reads it. */
  resume(): Promise<void>;
  close(): Promise<void>;
}

function loadSerialPort(): SerialPortModule {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('serialport') as SerialPortModule;
  } catch (error) {
    const missing = (error as { code?: unknown }).code === 'MODULE_NOT_FOUND';
    throw new HaError(
      missing ? 'Serial port support is not installed (the optional serialport package is missing).' : `Serial port support cannot be loaded: ${(error as Error).message}`,
      { hint: missing ? 'Install it with: npm install serialport' : 'The executable needs serialport.node beside it.' },
    );
  }
}

/** Opens `path` at `baud` and makes an Io on it (colours only if `color`). Throws HaError when it cannot. */
export async function openSerialIo(options: { path: string; baud: number; color: boolean; load?: () => SerialPortModule }): Promise<SerialIo> {
  const { SerialPort: Port } = (options.load ?? loadSerialPort)();
  const port = new Port({ path: options.path, baudRate: options.baud, autoOpen: false });
  await new Promise<void>((resolve, reject) => {
    port.open((error) => {
      if (!error) resolve();
      else reject(new HaError(`Cannot open serial port ${options.path}: ${error.message.replace(/^Error: /, '')}`, { hint: 'Check the device name (ls /dev/tty*) and that nothing else holds the port.' }));
    });
  });
  const input = new SerialInput();
  port.pipe(input);
  port.on('error', () => input.end());
  const output = new SerialOutput(port);
  const io: Io = { stdin: input, stdout: output, stderr: output, color: options.color, interactive: true };
  return {
    io,
    device: options.path,
    suspend: async () => {
      port.unpipe(input);
      if (port.isOpen) await new Promise<void>((resolve) => port.drain(() => port.close(() => resolve())));
    },
    resume: async () => {
      if (!port.isOpen) {
        await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(new HaError(`Cannot open serial port ${options.path} again: ${error.message}`)) : resolve())));
      }
      port.pipe(input);
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (!port.isOpen) return resolve();
        port.drain(() => port.close(() => resolve()));
      }),
  };
}
