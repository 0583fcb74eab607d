import { ByteWriter } from './byte-writer';
import { createKmsgLineFormatter, formatKmsgLines, formatLine, KMSG_MAX_LINE_BYTES, type KmsgLineFormatter } from './format-lines';
import { openKmsgBytes } from './read-bytes';
import { createSourceStats, type KmsgSourceStats } from './source-stats';

/** How to read and format a kernel log source. */
export interface FormattedKmsgOptions {
  /** Keep waiting for new records on /dev/kmsg (a file ends at EOF, a FIFO when its writer closes). */
  readonly follow: boolean;
  /** Colour like `dmesg --color=always`. */
  readonly color: boolean;
  /** Stops reading and closes the source. */
  readonly signal?: AbortSignal;
  /** Text written in place of records the kernel overwrote before they were read. */
  readonly lostNote?: (count: number) => string;
  /**
   * The consumer is done with each batch before it asks for the next (it copies what it keeps): one buffer
   * then serves every batch. Without it each batch has a buffer of its own, safe to hand to a stream.
   */
  readonly reuse?: boolean;
}

/** Batches of kernel log lines formatted like `dmesg`, one buffer per read batch. */
export interface FormattedKmsgSource extends AsyncIterable<Buffer> {
  /** Updated while iterating. */
  readonly stats: KmsgSourceStats;
  /**
   * Gives a batch back once its output is done with it (a socket's or terminal's write callback): its
   * memory then serves a later batch instead of becoming garbage. Batches never given back are simply
   * collected; a batch must not be read after it was given back.
   */
  recycle(batch: Buffer): void;
}

/** Writers given back and kept for the next batches (one or two batches are in flight at a time). */
const SPARE_WRITERS = 2;

/** The output buffers of the batches: one shared (reuse), or one per batch taken back when recycled. */
class BatchWriters {
  private shared: ByteWriter | undefined;
  private readonly spares: ByteWriter[] = [];
  /** Batches handed out, by the view given: weak, so a consumer that never recycles leaks nothing. */
  private readonly lent = new WeakMap<Buffer, ByteWriter>();

  constructor(private readonly reuse: boolean) {}

  /** An empty writer; `room` sizes a new one only (a reused one grows as a batch needs). */
  take(room: number): ByteWriter {
    const out = this.reuse ? (this.shared ??= new ByteWriter(room)) : (this.spares.pop() ?? new ByteWriter(room));
    out.clear();
    return out;
  }

  /** The batch of `out`, to yield. */
  lend(out: ByteWriter): Buffer {
    const batch = out.view();
    if (!this.reuse) this.lent.set(batch, out);
    return batch;
  }

  recycle(batch: Buffer): void {
    const out = this.lent.get(batch);
    if (out === undefined) return;
    this.lent.delete(batch);
    if (this.spares.length < SPARE_WRITERS) this.spares.push(out);
  }
}

function firstTerminator(chunk: Buffer): number {
  const newline = chunk.indexOf(0x0a);
  const nul = chunk.indexOf(0);
  if (newline < 0) return nul;
  return nul < 0 || newline < nul ? newline : nul;
}

/** The unfinished last line of a chunk, kept for the next (capped at {@link KMSG_MAX_LINE_BYTES}). */
class LineCarry {
  private readonly bytes = new ByteWriter(4096);

  get empty(): boolean {
    return this.bytes.length === 0;
  }

  add(chunk: Buffer, start: number, end: number): void {
    this.bytes.bytes(chunk, start, Math.min(end, start + KMSG_MAX_LINE_BYTES - this.bytes.length));
  }

  flush(out: ByteWriter, state: KmsgLineFormatter): void {
    const line = this.bytes.view();
    state.scratch.segfaultPossible = state.color;
    formatLine(line, 0, line.length, out, state);
    this.bytes.clear();
  }
}

async function* formatBatches(path: string, options: FormattedKmsgOptions, stats: KmsgSourceStats, writers: BatchWriters): AsyncGenerator<Buffer> {
  const source = await openKmsgBytes(path, options.follow, options.signal);
  const state = createKmsgLineFormatter(options.color, stats, source.device);
  state.lostNote = options.lostNote;
  const carry = new LineCarry();
  for await (const chunk of source.chunks) {
    const out = writers.take(chunk.length + (chunk.length >> 1) + 256);
    let from = 0;
    if (!carry.empty) {
      const end = firstTerminator(chunk);
      carry.add(chunk, 0, end < 0 ? chunk.length : end);
      if (end < 0) continue;
      carry.flush(out, state);
      from = end + 1;
    }
    carry.add(chunk, formatKmsgLines(chunk, from, chunk.length, out, state), chunk.length);
    if (out.length > 0) yield writers.lend(out);
  }
  if (carry.empty) return;
  const out = writers.take(4096);
  carry.flush(out, state);
  if (out.length > 0) yield writers.lend(out);
}

/**
 * Opens a kernel log source (/dev/kmsg, a kmsg-format file or a FIFO) as batches of formatted lines:
 * each read batch is parsed and formatted into one buffer of its own (safe to hand to a stream; with
 * `reuse`, one buffer refilled for every batch), so a caller writes once per batch. Errors (missing path, no permission) are HaErrors thrown by the iteration.
 */
export function openFormattedKmsg(path: string, options: FormattedKmsgOptions): FormattedKmsgSource {
  const stats = createSourceStats();
  const writers = new BatchWriters(options.reuse === true);
  return {
    stats,
    recycle: (batch) => writers.recycle(batch),
    [Symbol.asyncIterator]: () => formatBatches(path, options, stats, writers),
  };
}
