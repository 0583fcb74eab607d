import type { ByteWriter } from './byte-writer';
import { createDmesgScratch, DMESG_SEGFAULT_PHRASE, writeDmesgLine, type DmesgScratch } from './dmesg-line';
import { wasmDmesgFormatter, type WasmDmesgFormatter } from './dmesg-wasm';
import { parseKmsgLineBytes, type KmsgLineFields } from './parse-bytes';
import type { KmsgSourceStats } from './source-stats';

/** Longest line kept; the rest of a longer line is dropped (a FIFO must not eat all memory). */
export const KMSG_MAX_LINE_BYTES = 1024 * 1024;

/** What formatting keeps between batches: options, reused scratch memory, sequence tracking. */
export interface KmsgLineFormatter {
  readonly color: boolean;
  readonly stats: KmsgSourceStats;
  /** Count sequence gaps as lost records (only /dev/kmsg overwrites records). */
  readonly trackSequence: boolean;
  readonly fields: KmsgLineFields;
  readonly scratch: DmesgScratch;
  lastSeq: number;
  /** Text put in the output where records were lost (the console's note); none when undefined. */
  lostNote?: ((count: number) => string) | undefined;
  /** The WebAssembly formatter; undefined: the TypeScript one below (no WebAssembly, asked for, or it failed). */
  wasm: WasmDmesgFormatter | undefined;
}

/** Which formatter formats: WebAssembly where the runtime has it (the default), or the TypeScript one. */
export type KmsgFormatterEngine = 'wasm' | 'typescript';

/** Creates the state of {@link formatKmsgLines}. */
export function createKmsgLineFormatter(color: boolean, stats: KmsgSourceStats, trackSequence: boolean, engine: KmsgFormatterEngine = 'wasm'): KmsgLineFormatter {
  const fields = { level: 0, facility: 0, seq: 0, usecMonotonic: 0, textStart: 0, textEnd: 0, plain: false };
  const wasm = engine === 'wasm' ? wasmDmesgFormatter() : undefined;
  return { color, stats, trackSequence, fields, scratch: createDmesgScratch(), lastSeq: -1, wasm };
}

/**
 * Formats the complete lines of `input[start, end)` (ended by `\n` or NUL) into `out` as `dmesg` prints
 * them, skipping continuation lines (` KEY=value`) and counting garbage in `stats.skippedLines`.
 * Returns where the unfinished last line starts (`end` when every line was complete).
 */
export function formatKmsgLines(input: Buffer, start: number, end: number, out: ByteWriter, state: KmsgLineFormatter): number {
  if (state.wasm !== undefined) {
    const stopped = state.wasm.format(input, start, end, out, state, false);
    if (!state.wasm.failed) return stopped;
    // The rest in TypeScript: the same bytes, nothing lost or printed twice.
    state.wasm = undefined;
    start = stopped;
  }
  const { scratch } = state;
  scratch.segfaultPossible = state.color && input.indexOf(DMESG_SEGFAULT_PHRASE) >= 0;
  let nextNul = input.indexOf(0, start);
  while (start < end) {
    if (nextNul >= 0 && nextNul < start) nextNul = input.indexOf(0, start);
    let lineEnd = input.indexOf(0x0a, start);
    if (lineEnd < 0 || lineEnd >= end) lineEnd = -1;
    if (nextNul >= 0 && nextNul < end && (lineEnd < 0 || nextNul < lineEnd)) lineEnd = nextNul;
    if (lineEnd < 0) return start;
    formatLine(input, start, lineEnd, out, state);
    start = lineEnd + 1;
  }
  return end;
}

/** Formats one line `input[start, end)` (no terminator inside). */
export function formatLine(input: Uint8Array, start: number, end: number, out: ByteWriter, state: KmsgLineFormatter): void {
  if (end <= start || input[start] === 0x20) return;
  if (state.wasm !== undefined) {
    const stopped = state.wasm.format(input, start, end, out, state, true);
    if (!state.wasm.failed || stopped >= end) return;
    state.wasm = undefined;
  }
  const { fields } = state;
  if (!parseKmsgLineBytes(input, start, end, fields)) {
    state.stats.skippedLines++;
    return;
  }
  if (state.trackSequence) {
    if (state.lastSeq >= 0 && fields.seq > state.lastSeq + 1) {
      const lost = fields.seq - state.lastSeq - 1;
      state.stats.lostRecords += lost;
      if (state.lostNote !== undefined) out.ascii(state.lostNote(lost));
    }
    state.lastSeq = fields.seq;
  }
  writeDmesgLine(out, fields, input, fields.textStart, fields.textEnd, state.color, state.scratch, fields.plain);
}
