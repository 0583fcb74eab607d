import { ByteWriter } from './byte-writer';
import { createDmesgScratch, writeDmesgLine } from './dmesg-line';
import { createKmsgLineFormatter, formatKmsgLines, formatLine, type KmsgFormatterEngine } from './format-lines';
import { createSourceStats } from './source-stats';
import type { KmsgRecord } from './record';

/** How to format kernel log lines. */
export interface KmsgFormatOptions {
  /** Colour like `dmesg --color=always`; otherwise plain `dmesg` output. */
  readonly color: boolean;
}

const scratch = createDmesgScratch();
const lineWriter = new ByteWriter(4096);

/**
 * One record as `dmesg` prints it (in a UTF-8 locale), newline included:
 * `[    1.000000] text\n`, with dmesg's colours when `options.color`.
 */
export function formatKmsgRecord(record: KmsgRecord, options: KmsgFormatOptions): string {
  const text = Buffer.from(record.text, 'utf8');
  lineWriter.clear();
  writeDmesgLine(lineWriter, record, text, 0, text.length, options.color, scratch);
  return lineWriter.view().toString('utf8');
}

/**
 * Formats every record in a buffer of kmsg-format lines (separated by `\n` or NUL; continuation lines
 * and garbage skipped) into one output buffer, as {@link openFormattedKmsg} does per read batch.
 */
export function formatKmsgBuffer(input: Uint8Array, options: KmsgFormatOptions & { readonly engine?: KmsgFormatterEngine }): Buffer {
  const out = new ByteWriter(input.length + (input.length >> 2) + 64);
  const state = createKmsgLineFormatter(options.color, createSourceStats(), false, options.engine);
  const buffer = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const rest = formatKmsgLines(buffer, 0, buffer.length, out, state);
  state.scratch.segfaultPossible = options.color;
  formatLine(buffer, rest, buffer.length, out, state);
  return out.view();
}
