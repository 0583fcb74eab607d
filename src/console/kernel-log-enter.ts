import type { Readable } from 'node:stream';

/** Keyboard input of the console: a terminal (raw mode is used) or any readable stream. */
export type KernelLogInput = NodeJS.ReadStream | Readable;

/** A running wait for Enter. */
export interface EnterWatch {
  /** Resolves with `enter`, or `end` when the input ended or failed (nobody can press Enter). */
  readonly done: Promise<'enter' | 'end'>;
  /** Stops watching: listeners removed, input paused, raw mode restored. Safe to call twice. */
  dispose(): void;
}

function hasRawMode(input: KernelLogInput): input is NodeJS.ReadStream {
  return 'setRawMode' in input && typeof input.setRawMode === 'function' && input.isTTY === true;
}

/**
 * Waits for Enter (`\r` or `\n`) on `input`. Everything typed up to and including Enter is discarded
 * (Ctrl-C and Ctrl-D do nothing: in raw mode they are plain bytes); what follows Enter in the same
 * chunk is pushed back for the next reader. A terminal is put in raw mode while waiting.
 */
export function watchForEnter(input: KernelLogInput): EnterWatch {
  const tty = hasRawMode(input) ? input : undefined;
  const wasRaw = tty?.isRaw ?? false;
  let disposed = false;
  let settle: (how: 'enter' | 'end') => void = () => undefined;
  const done = new Promise<'enter' | 'end'>((resolve) => {
    settle = resolve;
  });
  const onData = (chunk: unknown): void => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk instanceof Uint8Array ? chunk : undefined;
    if (bytes === undefined) return;
    let index = bytes.findIndex((byte) => byte === 0x0d || byte === 0x0a);
    if (index < 0) return;
    if (bytes[index] === 0x0d && bytes[index + 1] === 0x0a) index++;
    dispose();
    const rest = bytes.subarray(index + 1);
    if (rest.length > 0) {
      try {
        input.unshift(typeof chunk === 'string' ? Buffer.from(rest).toString() : rest);
      } catch {
        // The stream already ended: there is no next reader to give the bytes to.
      }
    }
    settle('enter');
  };
  const onEnd = (): void => {
    dispose();
    settle('end');
  };
  function dispose(): void {
    if (disposed) return;
    disposed = true;
    input.removeListener('data', onData);
    input.removeListener('end', onEnd);
    input.removeListener('error', onEnd);
    input.removeListener('close', onEnd);
    input.pause();
    if (tty !== undefined) {
      try {
        tty.setRawMode(wasRaw);
      } catch {
        // The terminal went away; nothing to restore.
      }
    }
  }
  if (tty !== undefined) {
    try {
      tty.setRawMode(true);
    } catch {
      // Not a usable terminal after all: Enter still works in cooked mode.
    }
  }
  input.on('data', onData);
  input.on('end', onEnd);
  input.on('error', onEnd);
  input.on('close', onEnd);
  input.resume();
  return { done, dispose };
}
