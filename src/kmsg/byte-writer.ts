// Below this size a byte loop beats subarray() + set() (which allocate a view per call).
const SMALL_COPY_BYTES = 96;

/** A growable output buffer for building formatted log text byte by byte without string churn. */
export class ByteWriter {
  private buffer: Buffer;
  private used = 0;

  constructor(initialBytes = 64 * 1024) {
    this.buffer = Buffer.allocUnsafe(Math.max(16, initialBytes));
  }

  /** Number of bytes written so far. */
  get length(): number {
    return this.used;
  }

  /** Makes room for `extra` more bytes. */
  reserve(extra: number): void {
    const needed = this.used + extra;
    if (needed <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    const bigger = Buffer.allocUnsafe(size);
    this.buffer.copy(bigger, 0, 0, this.used);
    this.buffer = bigger;
  }

  /** Appends one byte. */
  byte(value: number): void {
    if (this.used >= this.buffer.length) this.reserve(1);
    this.buffer[this.used++] = value;
  }

  /** Appends `source[start, end)`. */
  bytes(source: Uint8Array, start: number, end: number): void {
    const count = end - start;
    if (count <= 0) return;
    this.reserve(count);
    if (count > SMALL_COPY_BYTES) {
      this.buffer.set(source.subarray(start, end), this.used);
      this.used += count;
      return;
    }
    const target = this.buffer;
    let used = this.used;
    for (let i = start; i < end; i++) target[used++] = source[i] ?? 0;
    this.used = used;
  }

  /** Appends an ASCII string (escape sequences, timestamps). */
  ascii(text: string): void {
    this.reserve(text.length);
    for (let i = 0; i < text.length; i++) this.buffer[this.used++] = text.charCodeAt(i);
  }

  /** Appends `count` spaces. */
  spaces(count: number): void {
    this.reserve(count);
    for (let i = 0; i < count; i++) this.buffer[this.used++] = 0x20;
  }

  /** Forgets the content, keeping the memory. */
  clear(): void {
    this.used = 0;
  }

  /** A view of the bytes written (valid until the next write). */
  view(): Buffer {
    return this.buffer.subarray(0, this.used);
  }

  /** A copy of the bytes written. */
  toBuffer(): Buffer {
    return Buffer.from(this.view());
  }
}
