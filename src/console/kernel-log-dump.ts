import { formatKmsgRecord } from '../kmsg/format';
import { openKmsgSource } from '../kmsg/source';
import { waitForDrain, type KernelLogOutput } from './kernel-log-output';

/** Formatted text gathered before one write (fewer, larger writes to the terminal). */
export const KERNEL_LOG_WRITE_BYTES = 64 * 1024;

/** Options of {@link dumpKernelLog}. */
export interface DumpKernelLogOptions {
  /** /dev/kmsg, a kmsg-format file or a FIFO. */
  readonly source: string;
  readonly output: KernelLogOutput;
  /** Colour like `dmesg --color=always`. */
  readonly color: boolean;
  readonly signal?: AbortSignal;
}

/**
 * Prints the kernel log available now, like `dmesg`, and returns (no follow). Honours the output's
 * back-pressure. Source failures (missing, no permission) reject with a HaError.
 */
export async function dumpKernelLog(options: DumpKernelLogOptions): Promise<void> {
  const { output, signal } = options;
  const source = openKmsgSource(options.source, signal === undefined ? { follow: false } : { follow: false, signal });
  let pending = '';
  const flush = async (): Promise<void> => {
    const text = pending;
    pending = '';
    if (text !== '' && !output.write(text)) await waitForDrain(output, signal);
  };
  for await (const record of source) {
    pending += formatKmsgRecord(record, { color: options.color });
    if (pending.length >= KERNEL_LOG_WRITE_BYTES) await flush();
    if (signal?.aborted === true) break;
  }
  await flush();
}
