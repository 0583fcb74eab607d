import { openFormattedKmsg } from '../kmsg/formatted-source';
import { releasesChunksOnWrite, waitForDrain, writeReleasing, type KernelLogOutput } from './kernel-log-output';

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
 * Prints the kernel log available now, like `dmesg`, and returns (no follow): one write per read batch
 * (records read until EAGAIN on /dev/kmsg), honouring the output's back-pressure. With `follow`, keeps
 * printing new records until `signal` aborts (`dmesg -f`). Source failures reject with a HaError.
 */
export async function dumpKernelLog(options: DumpKernelLogOptions & { readonly follow?: boolean }): Promise<void> {
  const { output, signal } = options;
  const follow = options.follow === true;
  // An output that copies on write (the viewer) gets one buffer refilled for every batch.
  const reuse = output.copiesOnWrite === true;
  const source = openFormattedKmsg(options.source, signal === undefined ? { follow, color: options.color, reuse } : { follow, color: options.color, reuse, signal });
  // A terminal, pipe or socket gives each batch back once written: a few buffers serve the whole log.
  const recycle = !reuse && releasesChunksOnWrite(output);
  for await (const batch of source) {
    const written = recycle ? writeReleasing(output, batch, () => source.recycle(batch)) : output.write(batch);
    if (!written) await waitForDrain(output, signal);
    if (signal?.aborted === true) break;
  }
}
