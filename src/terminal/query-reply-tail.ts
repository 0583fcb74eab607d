/**
 * What is left of a terminal's answer to a shell's query when the console takes the line back.
 *
 * Shells ask the terminal where the cursor is (`ESC [ 6 n`, busybox ash at each prompt); the answer
 * (`ESC [ row ; col R`) can still be on its way when the shell exits. On a serial line the port's reopen
 * flushes what had arrived and the rest comes through: a stray `R` (or `24;80R`) typed before the user's
 * first command (`Unknown command 'Rlogin'`). On a VT the whole answer is still queued. So the first bytes
 * the console reads after a login shell are checked: a cursor-position answer, or its tail, at the very start
 * is dropped; anything else ends the check and goes through untouched (pure).
 */
export class QueryReplyTail {
  private held: number[] = [];
  private done = false;

  /** The bytes to use as keys from `chunk` (a reply or its tail at the start is left out). */
  filter(chunk: Buffer): Buffer {
    if (this.done) return chunk;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i] as number;
      if (byte === 0x52 /* R */) {
        // The end of an answer: drop it and what came before it.
        this.done = true;
        this.held = [];
        return chunk.subarray(i + 1);
      }
      if (!fitsBeforeR(byte, this.held)) {
        this.done = true;
        const kept = Buffer.concat([Buffer.from(this.held), chunk.subarray(i)]);
        this.held = [];
        return kept;
      }
      this.held.push(byte);
    }
    return Buffer.alloc(0);
  }

  /** Bytes held back as a possible answer (given back as keys when the input ends). */
  flush(): Buffer {
    this.done = true;
    const held = Buffer.from(this.held);
    this.held = [];
    return held;
  }
}

/** Can `byte` follow `held` inside `ESC [ digits ; digits`? */
function fitsBeforeR(byte: number, held: readonly number[]): boolean {
  if (byte === 0x1b) return held.length === 0;
  if (byte === 0x5b /* [ */) return held.length === 0 || (held.length === 1 && held[0] === 0x1b);
  return (byte >= 0x30 && byte <= 0x39) || byte === 0x3b;
}
