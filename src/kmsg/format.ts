import { ByteWriter } from './byte-writer';
import { createDmesgScratch, DMESG_SEGFAULT_PHRASE, writeDmesgLine } from './dmesg-line';
import { parseKmsgLineBytes, type KmsgLineFields } from './parse-bytes';
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
 * Fast path: formats every record in a buffer of kmsg-format lines (separated by `\n` or NUL;
 * continuation lines and garbage skipped) into one output buffer, without per-record strings.
 */
export function formatKmsgBuffer(input: Uint8Array, options: KmsgFormatOptions): Buffer {
  const out = new ByteWriter(input.length + (input.length >> 2) + 64);
  const fields: KmsgLineFields = { level: 0, facility: 0, seq: 0, usecMonotonic: 0, textStart: 0, textEnd: 0, plain: false };
  const bufferScratch = createDmesgScratch();
  let start = 0;
  const length = input.length;
  const buffer = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  let nextNul = buffer.indexOf(0);
  // One search of the whole input spares a per-record search when no message can match.
  bufferScratch.segfaultPossible = buffer.indexOf(DMESG_SEGFAULT_PHRASE) >= 0;
  while (start < length) {
    if (nextNul >= 0 && nextNul < start) nextNul = buffer.indexOf(0, start);
    let end = buffer.indexOf(0x0a, start);
    if (end < 0) end = length;
    if (nextNul >= 0 && nextNul < end) end = nextNul;
    if (end > start && input[start] !== 0x20 && parseKmsgLineBytes(input, start, end, fields)) {
      writeDmesgLine(out, fields, input, fields.textStart, fields.textEnd, options.color, bufferScratch, fields.plain);
    }
    start = end + 1;
  }
  return out.view();
}
