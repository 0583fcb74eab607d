/** Where kernel log lines go: a terminal or any writable stream (the part of the stream API used). */
export interface KernelLogOutput {
  write(text: string | Uint8Array): boolean;
  on(event: string, listener: () => void): unknown;
  once(event: string, listener: () => void): unknown;
  removeListener(event: string, listener: () => void): unknown;
  readonly destroyed?: boolean;
  /** The output is done with a chunk when `write` returns (it copied what it keeps): the writer may reuse it. */
  readonly copiesOnWrite?: boolean;
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

  /** Writes `text` unless the output is broken. */
  write(text: string | Uint8Array): void {
    if (text.length === 0 || this.broken) return;
    try {
      if (!this.output.write(text)) this.full = true;
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
