import { EventEmitter } from 'node:events';

/** What the viewer reads log bytes from: the part of a Readable it uses (a Readable is one). */
export interface PagerSource {
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  once(event: 'end' | 'close', listener: () => void): unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the listeners above take different arguments
  removeListener(event: string, listener: (...args: any[]) => void): unknown;
  pause(): unknown;
  resume(): unknown;
}

/**
 * Hands batches of log bytes from a producer (the kernel log reader) straight to the viewer, in the
 * producer's own call: while the viewer reads, `write` returns only after the viewer has copied the lines
 * it keeps, so the producer can fill the same buffer again (no buffer per batch left for the garbage
 * collector, which is what held tens of MiB on a million lines). Before the viewer reads (and while
 * paused) one batch is copied and kept, and `write` returns false until `resume` ('drain' then).
 */
export class PagerFeed extends EventEmitter implements PagerSource {
  /** Tells the writer that a batch is finished with when `write` returns (see KernelLogOutput). */
  readonly copiesOnWrite = true;
  private flowing = false;
  private held: Buffer[] = [];
  private ended = false;
  private closed = false;
  /** A write returned false: 'drain' is owed once everything held is delivered. */
  private owesDrain = false;

  get destroyed(): boolean {
    return this.closed;
  }

  write(chunk: string | Uint8Array): boolean {
    if (this.closed || this.ended) return true;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.flowing && this.held.length === 0) {
      this.emit('data', bytes);
      return true;
    }
    this.held.push(Buffer.from(bytes)); // a copy: the writer reuses its buffer
    this.owesDrain = true;
    return false;
  }

  /** No more batches: the viewer is told once what is held has been read. */
  end(): void {
    if (this.ended || this.closed) return;
    this.ended = true;
    this.deliver();
  }

  /** The producer failed: the viewer shows the reason (after what is held). */
  fail(error: Error): void {
    if (this.closed) return;
    this.deliver();
    this.closed = true;
    this.emit('error', error);
    this.emit('close');
  }

  pause(): this {
    this.flowing = false;
    return this;
  }

  resume(): this {
    if (this.flowing || this.closed) return this;
    this.flowing = true;
    this.deliver();
    return this;
  }

  /** The viewer closed: later writes are dropped and a waiting writer is let go. */
  destroy(): this {
    if (this.closed) return this;
    this.closed = true;
    this.held = [];
    this.emit('close');
    return this;
  }

  private deliver(): void {
    while (this.flowing && this.held.length > 0 && !this.closed) this.emit('data', this.held.shift());
    if (!this.flowing || this.held.length > 0 || this.closed) return;
    if (this.ended) {
      this.closed = true;
      this.emit('end');
      this.emit('close');
    } else if (this.owesDrain) {
      this.owesDrain = false;
      this.emit('drain');
    }
  }
}
