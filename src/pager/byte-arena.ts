// 64 KiB: a larger block comes from mmap, and its first allocation costs about 0.2 ms before the first screen.
/** Size of one storage block of the arena; a stored piece never spans two blocks. */
export const ARENA_BLOCK_BYTES = 64 * 1024;
/** Given-back blocks kept for reuse (no garbage while the ring drops old lines, one block at a time): 256 KiB. */
const SPARE_BLOCKS = 4;
/** Bytes skipped between two pieces that are still copied as one run (a line's LF and CR). */
const RUN_GAP_BYTES = 2;

/**
 * Bytes stored append-only at increasing virtual offsets, in fixed-size blocks that are given back
 * (up to SPARE_BLOCKS kept for reuse) once everything in them is released. Pieces that follow each other closely in
 * the same source buffer (lines of one chunk) are copied in one run, when first read or at `flush`.
 */
export class ByteArena {
  private blocks: Buffer[] = [];
  /** Bytes written at the start of each block (the rest is not data). */
  private filled: number[] = [];
  /** Block number (virtual offset / ARENA_BLOCK_BYTES) of blocks[0]. */
  private base = 0;
  /** Given-back blocks for reuse: while the ring is full, every new block is one given back. */
  private spares: Buffer[] = [];
  /** Virtual offset where the next run goes. */
  private tail = 0;
  private runSource: Buffer | undefined;
  private runStart = 0;
  private runEnd = 0;
  private runAt = 0;
  /** Virtual offset where the block of the pending run ends. */
  private runLimit = 0;

  /** Stores `source[start, end)` (at most ARENA_BLOCK_BYTES) and returns its virtual offset. Keep `source` unchanged until `flush`. */
  add(source: Buffer, start: number, end: number): number {
    // Few and small functions on this path: each costs tens of microseconds to compile on its first
    // call, and the first call comes before the first screen.
    if (source === this.runSource && start >= this.runEnd && start - this.runEnd <= RUN_GAP_BYTES) {
      const at = this.runAt + (start - this.runStart);
      if (at + (end - start) <= this.runLimit) {
        this.runEnd = end;
        return at;
      }
    }
    if (end - start > ARENA_BLOCK_BYTES) tooLong(end - start);
    if (this.runSource !== undefined) this.flush();
    const next = (Math.floor(this.tail / ARENA_BLOCK_BYTES) + 1) * ARENA_BLOCK_BYTES;
    const at = this.tail + (end - start) > next ? next : this.tail;
    this.runLimit = at === next ? next + ARENA_BLOCK_BYTES : next;
    this.runSource = source;
    this.runStart = start;
    this.runEnd = end;
    this.runAt = at;
    return at;
  }

  /** Copies the pending run into the blocks (after this the source buffer may change). */
  flush(): void {
    const source = this.runSource;
    if (source === undefined) return;
    this.runSource = undefined;
    const length = this.runEnd - this.runStart;
    // A run whose block was already released holds only dropped lines.
    const number = blockOf(this.runAt);
    if (length > 0 && number >= this.base) {
      source.copy(this.block(number), this.runAt % ARENA_BLOCK_BYTES, this.runStart, this.runEnd);
      this.filled[number - this.base] = (this.runAt % ARENA_BLOCK_BYTES) + length;
    }
    this.tail = this.runAt + length;
  }

  /** The block holding virtual offset `at` (flushes first); the piece starts at offsetInBlock(at) in it. */
  locate(at: number): Buffer {
    this.flush();
    return this.block(blockOf(at));
  }

  /**
   * The UTF-8 text of the `length` bytes stored at `at` (read from the pending run's source if they
   * are still there). No encoding name: UTF-8 is the default, and naming it costs about 0.05 ms on the
   * first call, which is the first screen.
   */
  text(at: number, length: number): string {
    const source = this.runSource;
    if (source !== undefined && at >= this.runAt) {
      const from = this.runStart + (at - this.runAt);
      return source.toString(undefined, from, from + length);
    }
    const from = at % ARENA_BLOCK_BYTES;
    return this.block(blockOf(at)).toString(undefined, from, from + length);
  }

  /** Where the data ends in the block holding virtual offset `at` (call after `locate`). */
  dataEnd(at: number): number {
    return this.filled[blockOf(at) - this.base] ?? 0;
  }

  /** Gives back the blocks wholly before virtual offset `at` (nothing before it is read again). */
  release(at: number): void {
    const keep = blockOf(at);
    while (this.base < keep && this.blocks.length > 0) {
      const block = this.blocks.shift();
      if (block !== undefined && this.spares.length < SPARE_BLOCKS) this.spares.push(block);
      this.filled.shift();
      this.base++;
    }
    if (this.blocks.length === 0 && this.base < keep) this.base = keep;
  }

  /** Bytes held in blocks (for tests and diagnostics). */
  get heldBytes(): number {
    return this.blocks.length * ARENA_BLOCK_BYTES;
  }

  private block(number: number): Buffer {
    const index = number - this.base;
    if (index < 0) throw new RangeError(`arena block ${number} was released`);
    while (index >= this.blocks.length) {
      this.blocks.push(this.spares.pop() ?? Buffer.allocUnsafeSlow(ARENA_BLOCK_BYTES));
      this.filled.push(0);
    }
    return this.blocks[index] as Buffer;
  }
}

function tooLong(bytes: number): never {
  throw new RangeError(`piece of ${bytes} bytes exceeds the arena block`);
}

/** Block number of a virtual offset. */
function blockOf(at: number): number {
  return Math.floor(at / ARENA_BLOCK_BYTES);
}

/** Offset of a virtual offset inside its block. */
export function offsetInBlock(at: number): number {
  return at % ARENA_BLOCK_BYTES;
}
