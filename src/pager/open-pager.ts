import { StringDecoder } from 'node:string_decoder';
import { LineSplitter } from './line-splitter';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_LINES } from './line-ring';
import { LogModel } from './log-model';
import type { PagerSource } from './pager-feed';
import { PagerSession } from './pager-session';

export { shouldUsePager } from './should-use-pager';
export { DEFAULT_MAX_LINES } from './line-ring';

/** What the viewer shows and where. */
export interface PagerOptions {
  /** Raw log bytes as they arrive; may never end (follow). The caller closes it after the promise settles. */
  readonly source: PagerSource;
  readonly input: NodeJS.ReadStream;
  readonly output: NodeJS.WriteStream;
  readonly title: string;
  /** Start at the end and follow new lines. */
  readonly follow: boolean;
  /** Keep the colours in log lines (false: strip them). */
  readonly color: boolean;
  /** Abort closes the viewer at once. */
  readonly signal: AbortSignal;
  /** Lines kept (the newest); default DEFAULT_MAX_LINES. */
  readonly maxLines?: number;
  /** Most bytes of line text kept (the newest lines); default DEFAULT_MAX_BYTES. */
  readonly maxBytes?: number;
}

// Alternate screen, no autowrap (a miscounted wide character overwrites the last column instead of
// scrolling the screen), cursor hidden, screen cleared.
const ENTER_SCREEN = '\x1b[?1049h\x1b[?7l\x1b[?25l\x1b[H\x1b[2J';
// Clearing first matters on terminals without an alternate screen (Linux console): no stale page stays.
const LEAVE_SCREEN = '\x1b[0m\x1b[H\x1b[2J\x1b[?7h\x1b[?25h\x1b[?1049l';

/** A viewer was opened in this process (the warm-up below is then pointless). */
let opened = false;

/**
 * Runs the viewer's drawing and line-keeping code once on a few sample lines and a terminal that
 * discards output, so that V8 has compiled it before a person opens the viewer: loaded ahead (the
 * console loads this module while idle at its prompt), the first screen then does not pay for
 * compiling it. Skipped when a viewer opened first (`ha dmesg` loads this module to open one at once).
 */
function warmUp(): void {
  if (opened) return;
  const model = new LogModel(64);
  const session = new PagerSession(model, { write: () => undefined, columns: () => 80, rows: () => 6, busy: () => false }, { title: 'warm-up', live: false, color: true, limit: 64 }, () => undefined);
  const splitter = new LineSplitter((bytes, start, end, cut) => {
    model.appendBytes(bytes, start, end, cut);
    session.lineAppended();
  });
  session.begin();
  const sample = '\x1b[32m[    0.000000] \x1b[0m\x1b[33mwarm: \x1b[0mup\n2024-01-01 00:00:00.000 WARNING (MainThread) [x] y\n\x1b[1mbold\x1b[0m\n';
  for (let i = 0; i < 4; i++) {
    splitter.write(Buffer.from(sample));
    model.flush();
    session.linesAdded();
    model.classifyPending();
  }
  splitter.end();
  session.sourceEnded();
  session.render();
  session.dispose();
}
setTimeout(warmUp, 0).unref();

/**
 * Shows a log in a full-screen viewer until `q` (or Ctrl-C, or `signal` aborts). Resolves with the
 * terminal as it was: normal screen, cursor visible, raw mode as before, input paused, no listeners left.
 */
export function openPager(options: PagerOptions): Promise<void> {
  const { source, input, output, signal } = options;
  opened = true;
  if (signal.aborted) return Promise.resolve();
  const limit = options.maxLines ?? DEFAULT_MAX_LINES;
  const limitBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const model = new LogModel(limit, limitBytes);
  const wasRaw = input.isTTY === true ? input.isRaw : undefined;
  return new Promise<void>((resolve) => {
    let closed = false;
    let keys: StringDecoder | undefined;
    const session = new PagerSession(
      model,
      {
        write: (text) => void output.write(text),
        columns: () => output.columns || 80,
        rows: () => output.rows || 24,
        busy: () => output.writableNeedDrain,
      },
      { title: options.title, live: options.follow, color: options.color, limit, limitBytes },
      () => close(),
    );
    const splitter = new LineSplitter((bytes, start, end, cut) => {
      model.appendBytes(bytes, start, end, cut);
      session.lineAppended();
    });
    const onData = (chunk: Buffer | string): void => {
      splitter.write(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
      // Lines are copied out of the chunk in runs; the source may reuse the chunk after this.
      model.flush();
      session.linesAdded();
      // After the chunk (and the first screen it may have drawn), not per line.
      model.classifyPending();
    };
    const onEnd = (): void => {
      splitter.end();
      model.flush();
      session.linesAdded();
      session.sourceEnded();
    };
    const onError = (error: unknown): void => session.sourceEnded(error instanceof Error ? error.message : String(error));
    const onInput = (data: Buffer | string): void => session.input(typeof data === 'string' ? data : (keys ??= new StringDecoder('utf8')).write(data));
    const onResize = (): void => session.resized();

    function close(): void {
      if (closed) return;
      closed = true;
      session.dispose();
      signal.removeEventListener('abort', close);
      source.removeListener('data', onData);
      source.removeListener('end', onEnd);
      source.removeListener('close', onEnd);
      source.removeListener('error', onError);
      source.pause();
      input.removeListener('data', onInput);
      output.removeListener('resize', onResize);
      if (wasRaw !== undefined) input.setRawMode(wasRaw);
      input.pause();
      output.write(LEAVE_SCREEN);
      resolve();
    }

    signal.addEventListener('abort', close, { once: true });
    output.write(ENTER_SCREEN);
    if (input.isTTY === true) input.setRawMode(true);
    input.on('data', onInput);
    input.resume();
    output.on('resize', onResize);
    // After the current tick: a stream created just before (a file's open) starts its I/O first, and
    // the empty screen is drawn while that I/O runs instead of before it.
    process.nextTick(() => session.begin());
    source.on('data', onData);
    source.once('end', onEnd);
    source.once('close', onEnd);
    source.on('error', onError);
    source.resume();
  });
}
