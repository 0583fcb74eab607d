import type { ByteWriter } from './byte-writer';
import { DMESG_WASM_BASE64 } from './dmesg-wasm-binary';
import type { KmsgSourceStats } from './source-stats';
import { isPrintableCodePoint } from './utf8';

/** What the WebAssembly formatter needs of a formatter's state (see format-lines.ts). */
export interface WasmFormatState {
  readonly color: boolean;
  readonly stats: KmsgSourceStats;
  readonly trackSequence: boolean;
  lastSeq: number;
  lostNote?: ((count: number) => string) | undefined;
}

interface DmesgExports {
  readonly memory: WebAssembly.Memory;
  readonly __heap_base: WebAssembly.Global;
  format(input: number, length: number, out: number, outCap: number, scratch: number, final: number): number;
  set_state(color: number, track: number, lastSeq: number): void;
  get_last_seq(): number;
  get_lost_records(): number;
  take_skipped_lines(): number;
  get_out_used(): number;
  get_stop_reason(): number;
}

// Why format() stopped (dmesg-format.c).
const STOP_FULL = 1;
const STOP_GAP = 2;
const PAGE_BYTES = 65536;

/**
 * Output room for `length` input bytes: more than the C side's room_for() of one line that long, and more
 * than any lines of that many bytes print (at most about 5.3 bytes per input byte plus 60 per line).
 */
export const defaultOutputRoom = (length: number): number => length * 8 + 4096;

/**
 * util-linux `dmesg` formatting of kmsg lines in WebAssembly (src/kmsg/wasm/dmesg-format.c): the same
 * rules as the TypeScript formatter, several times faster from the first record (no warm-up of a JIT).
 * The input is copied into the module's memory; the output is copied out into a ByteWriter.
 */
export class WasmDmesgFormatter {
  private bytes: Uint8Array;
  private readonly base: number;
  /**
   * Set when a call failed (a trap, memory that could not grow): the module's state is then unknown and it
   * is not used again; its callers go on with the TypeScript formatter from where it stopped.
   */
  failed = false;

  constructor(
    private readonly exports: DmesgExports,
    private readonly outputRoom: (length: number) => number,
  ) {
    this.base = (Number(exports.__heap_base.value) + 15) & ~15;
    this.bytes = new Uint8Array(exports.memory.buffer);
  }

  /**
   * Formats the lines of `input[start, end)` into `out`; with `final`, an unterminated last line too.
   * Returns where the unfinished last line starts (`end` when none). When it fails ({@link failed}), returns
   * where it stopped: everything before was written to `out` and counted, nothing after.
   */
  format(input: Uint8Array, start: number, end: number, out: ByteWriter, state: WasmFormatState, final: boolean): number {
    this.handled = start;
    try {
      return this.formatOrThrow(input, start, end, out, state, final);
    } catch {
      this.failed = true;
      return this.handled;
    }
  }

  /** Where the current call's input has been formatted to (output written, counts taken). */
  private handled = 0;

  private formatOrThrow(input: Uint8Array, start: number, end: number, out: ByteWriter, state: WasmFormatState, final: boolean): number {
    const length = end - start;
    if (length <= 0) return end;
    const inputAt = this.base;
    const scratchAt = inputAt + length;
    const outAt = scratchAt + length;
    const outCap = this.outputRoom(length);
    // The C side reads and writes up to 15 bytes past a region's end (16-byte copies).
    this.ensureMemory(outAt + outCap + 16);
    this.bytes.set(input.subarray(start, end), inputAt);
    const wasm = this.exports;
    let done = 0;
    for (;;) {
      wasm.set_state(state.color ? 1 : 0, state.trackSequence ? 1 : 0, state.lastSeq);
      const consumed = wasm.format(inputAt + done, length - done, outAt, outCap, scratchAt, final ? 1 : 0);
      const used = wasm.get_out_used();
      if (used > 0) out.bytes(this.bytes, outAt, outAt + used);
      state.lastSeq = wasm.get_last_seq();
      state.stats.skippedLines += wasm.take_skipped_lines();
      done += consumed;
      this.handled = start + done;
      const reason = wasm.get_stop_reason();
      if (reason === STOP_GAP) {
        const lost = wasm.get_lost_records();
        state.stats.lostRecords += lost;
        if (state.lostNote !== undefined) out.ascii(state.lostNote(lost));
      } else if (reason === STOP_FULL) {
        // The output region holds any one line of this input: a full stop always made progress.
        if (used === 0) throw new Error('kernel log formatter: no room for a line');
      } else {
        return start + done;
      }
    }
  }

  private ensureMemory(bytes: number): void {
    const memory = this.exports.memory;
    if (memory.buffer.byteLength < bytes) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE_BYTES));
    if (this.bytes.buffer !== memory.buffer) this.bytes = new Uint8Array(memory.buffer);
  }
}

/**
 * A new instance of the WebAssembly formatter (a 4.5 KiB module: compiled in well under a millisecond);
 * `outputRoom` sizes its output region for an input (tests give less, to make it flush between lines).
 * Throws where WebAssembly is not available (node --jitless).
 */
export function loadWasmDmesgFormatter(outputRoom = defaultOutputRoom): WasmDmesgFormatter {
  const module = new WebAssembly.Module(Buffer.from(DMESG_WASM_BASE64, 'base64'));
  const printable = (codePoint: number): number => (isPrintableCodePoint(codePoint) ? 1 : 0);
  const instance = new WebAssembly.Instance(module, { env: { printable } });
  return new WasmDmesgFormatter(instance.exports as unknown as DmesgExports, outputRoom);
}

let shared: WasmDmesgFormatter | null | undefined;

/**
 * The process's WebAssembly formatter, loaded on first use, or undefined where WebAssembly is not
 * available (node --jitless): the TypeScript formatter then serves.
 */
export function wasmDmesgFormatter(): WasmDmesgFormatter | undefined {
  if (shared === undefined) {
    try {
      shared = loadWasmDmesgFormatter();
    } catch {
      shared = null;
    }
  }
  return shared === null || shared.failed ? undefined : shared;
}
