import { PassThrough } from 'node:stream';
import type { ClaimMode, InputSource, KeyStream } from '../terminal/input-source';
import { QueryReplyTail } from '../terminal/query-reply-tail';

const CTRL_C = 0x03;
const CR = 0x0d;
const LF = 0x0a;
/** Keys kept while a command runs (more is dropped: nobody types that much ahead). */
const TYPEAHEAD_LIMIT_BYTES = 64 * 1024;

/** A stream that looks like a raw terminal to readline, fed by the gate. */
function makeFeed(real: KeyStream): KeyStream & PassThrough {
  const feed = new PassThrough() as PassThrough & KeyStream;
  feed.isTTY = real.isTTY === true;
  feed.isRaw = true;
  // The gate keeps the real terminal raw for the whole session; readline's own toggling is ignored.
  feed.setRawMode = (mode: boolean) => {
    feed.isRaw = mode;
    return feed;
  };
  return feed;
}

/**
 * The single reader of the console's keyboard. It hands readline exactly one line at a time (the
 * keys after Enter wait for the next prompt, so type-ahead is never lost), keeps keys typed while a
 * command runs, turns Ctrl-C into cancelling that command, lends the keyboard to a command's own
 * prompts, and lets go of the terminal entirely for a login shell.
 */
export class InputGate implements InputSource {
  private pending: Buffer = Buffer.alloc(0);
  private target: { feed: PassThrough; oneLine: boolean } | undefined;
  private onInterrupt: (() => void) | undefined;
  private ended = false;
  /** Set while the first keys after a login shell are checked for the tail of a terminal's answer. */
  private replyTail: QueryReplyTail | undefined;
  private readonly onData = (data: Buffer | string): void => {
    const chunk = typeof data === 'string' ? Buffer.from(data) : data;
    const keys = this.replyTail ? this.replyTail.filter(chunk) : chunk;
    if (keys.length > 0) this.receive(keys);
  };
  /** The REPL reads its commands here (see InputSource). */
  readonly readsCommands = true;
  private readonly onEnd = (): void => {
    const held = this.replyTail?.flush();
    this.replyTail = undefined;
    if (held !== undefined && held.length > 0) this.receive(held);
    this.ended = true;
    this.target?.feed.end();
  };

  constructor(private readonly real: KeyStream) {}

  /**
   * Starts reading the keyboard (raw mode on a terminal). After a login shell (`afterShell`), an answer the
   * terminal was still sending to the shell's cursor query is dropped from the first keys (see QueryReplyTail).
   */
  start(options: { afterShell?: boolean } = {}): void {
    this.replyTail = options.afterShell === true ? new QueryReplyTail() : undefined;
    this.real.setRawMode?.(true);
    this.real.on('data', this.onData);
    this.real.once('end', this.onEnd);
    this.real.resume();
  }

  /** Stops reading and restores cooked mode (before a login shell; also at exit). */
  suspend(): void {
    this.real.removeListener('data', this.onData);
    this.real.removeListener('end', this.onEnd);
    this.real.setRawMode?.(false);
    this.real.pause();
  }

  /** A stream holding the next line only (pending type-ahead first). */
  nextLine(): KeyStream {
    const feed = makeFeed(this.real);
    this.onInterrupt = undefined;
    this.target = { feed, oneLine: true };
    // A PassThrough keeps what is written before readline listens, so held keys go first, in order.
    if (this.pending.length > 0) {
      const held = this.pending;
      this.pending = Buffer.alloc(0);
      this.receive(held);
    }
    if (this.ended && this.target?.feed === feed) feed.end();
    return feed;
  }

  /** While a command runs: keys are kept as type-ahead; Ctrl-C calls `interrupt` and drops them. */
  runCommand(interrupt: () => void): void {
    this.target = undefined;
    this.onInterrupt = interrupt;
  }

  /** Lends the keys to a prompt of the running command until released (see ClaimMode for the type-ahead). */
  claim(mode: ClaimMode = 'keys'): { stream: KeyStream; release(): void } {
    const feed = makeFeed(this.real);
    const previous = this.onInterrupt;
    this.onInterrupt = undefined;
    this.target = { feed, oneLine: mode === 'line' };
    if (mode !== 'keys') {
      const held = this.pending;
      this.pending = Buffer.alloc(0);
      if (mode === 'line' && held.length > 0) this.receive(held);
    }
    if (this.ended && (mode !== 'line' || this.target?.feed === feed)) feed.end();
    return {
      stream: feed,
      release: () => {
        if (this.target?.feed === feed) this.target = undefined;
        this.onInterrupt = previous;
        feed.end();
      },
    };
  }

  /** Ends the input now: nothing more is read, held keys are dropped, the next prompt sees the end. */
  endInput(): void {
    this.suspend();
    this.pending = Buffer.alloc(0);
    this.onEnd();
  }

  private receive(chunk: Buffer): void {
    const target = this.target;
    if (!target) {
      if (chunk.includes(CTRL_C) && this.onInterrupt) {
        this.pending = Buffer.alloc(0);
        this.onInterrupt();
        return;
      }
      if (this.pending.length + chunk.length <= TYPEAHEAD_LIMIT_BYTES) this.pending = Buffer.concat([this.pending, chunk]);
      return;
    }
    if (!target.oneLine) {
      target.feed.write(chunk);
      return;
    }
    const end = lineEnd(chunk);
    if (end === -1) {
      target.feed.write(chunk);
      return;
    }
    target.feed.write(chunk.subarray(0, end));
    this.target = undefined;
    this.pending = Buffer.concat([chunk.subarray(end), this.pending]);
  }
}

/** Index just past the first Enter (CR, LF or CRLF) in `chunk`, or -1 (pure). */
export function lineEnd(chunk: Buffer): number {
  for (let i = 0; i < chunk.length; i++) {
    const byte = chunk[i];
    if (byte === CR) return chunk[i + 1] === LF ? i + 2 : i + 1;
    if (byte === LF) return i + 1;
  }
  return -1;
}
