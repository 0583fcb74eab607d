/** Where kernel log lines go: a terminal or any writable stream (the part of the stream API used). */
export interface KernelLogOutput {
  /** `written`, when given, is called once the output is done with `text` (a stream's write callback). */
  write(text: string | Uint8Array, written?: () => void): boolean;
  on(event: string, listener: () => void): unknown;
  once(event: string, listener: () => void): unknown;
  removeListener(event: string, listener: () => void): unknown;
  readonly destroyed?: boolean;
  /** Bytes queued and not yet written (a stream's writableLength). */
  readonly writableLength?: number;
  /** The output is done with a chunk when `write` returns (it copied what it keeps): the writer may reuse it. */
  readonly copiesOnWrite?: boolean;
}

/**
 * True when `output` is done with a chunk once its write callback runs: a terminal, a pipe or a socket
 * (the bytes were handed to the kernel) and the process's own stdout and stderr (a file among them is
 * written synchronously). Not a stream in this process that passes chunks on (a PassThrough's callback
 * runs while the chunk still waits to be read).
 */
export function releasesChunksOnWrite(output: KernelLogOutput): boolean {
  if (output === process.stdout || output === process.stderr) return true;
  // node:net only for another output (a serial line's stream): a plain `ha dmesg` does not load it.
  return output instanceof (require('node:net') as typeof import('node:net')).Socket;
}

/**
 * Writes `chunk` to an output of {@link releasesChunksOnWrite} and calls `release` once the output no
 * longer holds it: at once when the write completed within the call (nothing left queued: a file, or a
 * terminal or pipe that took it all), else from the write callback. (A write callback of a write done
 * within the call runs on a later tick, which a loop reading a file synchronously does not give up.)
 */
export function writeReleasing(output: KernelLogOutput, chunk: Uint8Array, release: () => void): boolean {
  let released = false;
  const once = (): void => {
    if (released) return;
    released = true;
    release();
  };
  const taken = output.write(chunk, once);
  if (output.writableLength === 0) once();
  return taken;
}

/** Resolves when `output` drains, closes or errors, or `signal` aborts; never rejects. */
export function waitForDrain(output: KernelLogOutput, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      output.removeListener('drain', done);
      output.removeListener('close', done);
      output.removeListener('error', done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    if (signal?.aborted === true || output.destroyed === true) {
      resolve();
      return;
    }
    output.once('drain', done);
    output.once('close', done);
    output.once('error', done);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Writes to an output that may break (a closed SSH session): write errors are swallowed and remembered. */
export class GuardedOutput {
  private broken = false;
  private full = false;
  private readonly onError = (): void => {
    this.broken = true;
  };

  constructor(private readonly output: KernelLogOutput) {
    output.on('error', this.onError);
  }

  /** True when the last write filled the stream's buffer (wait for drain before writing more). */
  get backlogged(): boolean {
    return this.full && !this.broken;
  }

  /** Writes `text` unless the output is broken; `released` as for {@link writeReleasing} (not called when nothing is written). */
  write(text: string | Uint8Array, released?: () => void): void {
    if (text.length === 0 || this.broken) return;
    try {
      const taken = released === undefined || typeof text === 'string' ? this.output.write(text) : writeReleasing(this.output, text, released);
      if (!taken) this.full = true;
    } catch {
      this.broken = true;
    }
  }

  /** Waits until the output can take more (or `signal` aborts). */
  async drain(signal: AbortSignal): Promise<void> {
    if (!this.backlogged) return;
    await waitForDrain(this.output, signal);
    this.full = false;
  }

  /** Removes the error guard. */
  dispose(): void {
    this.output.removeListener('error', this.onError);
  }
}
