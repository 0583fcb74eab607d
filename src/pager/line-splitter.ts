/** Longest line kept, in bytes; the rest of a longer line is dropped and the cut is marked. */
export const MAX_LINE_BYTES = 16 * 1024;
/** Appended to a line cut at MAX_LINE_BYTES. */
export const CUT_MARK = ' [line cut]';

const NEWLINE = 0x0a;
const RETURN = 0x0d;

/**
 * Receives one line: its text is `bytes[start, end)` (without the line break or the CR before it),
 * followed by CUT_MARK when `cut`. `bytes` is the written chunk or a buffer of the splitter's own.
 */
export type LineSink = (bytes: Buffer, start: number, end: number, cut: boolean) => void;

/**
 * Splits a byte stream into lines without decoding them, holding at most MAX_LINE_BYTES of an
 * unfinished line, so binary data without line breaks cannot grow memory.
 */
export class LineSplitter {
  /**
   * The unfinished line, in one of two fixed buffers taken in turn: a line emitted from one may be
   * copied by the sink later (at the end of the chunk), while the next chunk's unfinished line goes
   * into the other. Allocated when first needed, never again.
   */
  private buffers: Buffer[] = [];
  private current = 0;
  private pendingBytes = 0;
  private cut = false;

  constructor(private readonly emit: LineSink) {}

  /** Feeds a chunk; emits every line it completes. */
  write(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const end = chunk.indexOf(NEWLINE, start);
      if (end < 0) break;
      if (this.pendingBytes === 0 && !this.cut) {
        const long = end - start > MAX_LINE_BYTES;
        // Inline (no helper): this runs for the lines of the first screen, before which every function compiled counts.
        if (long) this.emit(chunk, start, start + MAX_LINE_BYTES, true);
        else this.emit(chunk, start, end > start && chunk[end - 1] === RETURN ? end - 1 : end, false);
      } else {
        this.keep(chunk, start, end);
        this.flushPending();
      }
      start = end + 1;
    }
    if (start < chunk.length) this.keep(chunk, start, chunk.length);
  }

  /** Emits the unfinished last line, if any (at the end of the stream). */
  end(): void {
    if (this.pendingBytes > 0 || this.cut) this.flushPending();
  }

  private keep(chunk: Buffer, start: number, end: number): void {
    const room = MAX_LINE_BYTES - this.pendingBytes;
    const take = Math.min(room, end - start);
    if (take < end - start) this.cut = true;
    if (take <= 0) return;
    const buffer = (this.buffers[this.current] ??= Buffer.allocUnsafeSlow(MAX_LINE_BYTES));
    chunk.copy(buffer, this.pendingBytes, start, start + take);
    this.pendingBytes += take;
  }

  private flushPending(): void {
    const bytes = this.buffers[this.current] ?? Buffer.alloc(0);
    const end = this.pendingBytes;
    const cut = this.cut;
    this.current ^= 1;
    this.pendingBytes = 0;
    this.cut = false;
    this.emit(bytes, 0, !cut && end > 0 && bytes[end - 1] === RETURN ? end - 1 : end, cut);
  }
}

/** The text of a line as a LineSink receives it (UTF-8, invalid bytes become U+FFFD). */
export function lineText(bytes: Buffer, start: number, end: number, cut: boolean): string {
  const text = bytes.toString('utf8', start, end);
  return cut ? text + CUT_MARK : text;
}
