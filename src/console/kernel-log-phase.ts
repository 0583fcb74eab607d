import { isHaError } from '../errors/ha-error';
import { sleepUnlessAborted } from '../kmsg/abortable-sleep';
import { openFormattedKmsg } from '../kmsg/formatted-source';
import { watchForEnter, type KernelLogInput } from './kernel-log-enter';
import { KERNEL_LOG_HINT, KernelLogHint } from './kernel-log-hint';
import { GuardedOutput, releasesChunksOnWrite, type KernelLogOutput } from './kernel-log-output';

export { dumpKernelLog, type DumpKernelLogOptions } from './kernel-log-dump';

/** Quiet time after which the plain (non-sticky) hint is printed again. */
export const KERNEL_LOG_HINT_IDLE_MS = 2000;
// Upper bound for the source to close after Enter (it watches the abort signal; this is a safety net).
const SOURCE_STOP_TIMEOUT_MS = 1000;

/** Options of {@link runKernelLogPhase}. */
export interface KernelLogPhaseOptions {
  /** /dev/kmsg, a kmsg-format file or a FIFO. */
  readonly source: string;
  readonly input: KernelLogInput;
  readonly output: KernelLogOutput;
  /** Colour terminal: dmesg colours, dim hint. */
  readonly color: boolean;
  /** Terminal width; 0 for a serial console of unknown size (no cursor tricks then). */
  readonly columns: number;
  /** Replaces the default hint text. */
  readonly hint?: string;
  /** Ends the phase as Enter would. */
  readonly signal?: AbortSignal;
  /** Told about lost messages and an unavailable kernel log (also shown in the output). */
  readonly onNote?: (note: string) => void;
}

function reasonOf(error: unknown): string {
  if (isHaError(error) || error instanceof Error) return error.message;
  return String(error);
}

/**
 * The first phase of the console: streams the kernel log like `dmesg -w` with a visible hint until
 * Enter is pressed (or `signal` aborts, or the input ends), then returns with nothing else printed.
 * Never throws: a failing source shows one line `kernel log unavailable: <reason>` and Enter is still awaited.
 */
export async function runKernelLogPhase(options: KernelLogPhaseOptions): Promise<void> {
  const stop = new AbortController();
  const abort = (): void => stop.abort();
  if (options.signal?.aborted === true) return;
  options.signal?.addEventListener('abort', abort, { once: true });
  const out = new GuardedOutput(options.output);
  const hint = new KernelLogHint({ text: options.hint ?? KERNEL_LOG_HINT, color: options.color, columns: options.columns });
  const enter = watchForEnter(options.input);
  void enter.done.then(abort);
  let idleTimer: NodeJS.Timeout | undefined;
  // One batch of formatted lines (a read batch of the source) goes out as one write.
  const show = (lines: string | Uint8Array, released?: () => void): void => {
    if (stop.signal.aborted || lines.length === 0) return;
    out.write(hint.beforeLines());
    out.write(lines, released);
    out.write(hint.afterLines());
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (!stop.signal.aborted) out.write(hint.idle());
    }, KERNEL_LOG_HINT_IDLE_MS);
  };
  const note = (text: string): void => {
    show(`${text}\n`);
    options.onNote?.(text);
  };
  out.write(hint.initial());
  const pump = pumpKernelLog(options, stop.signal, out, show, note);
  await new Promise<void>((resolve) => {
    if (stop.signal.aborted) resolve();
    else stop.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await Promise.race([pump, sleepUnlessAborted(SOURCE_STOP_TIMEOUT_MS)]);
  clearTimeout(idleTimer);
  out.write(hint.finish());
  enter.dispose();
  out.dispose();
  options.signal?.removeEventListener('abort', abort);
}

/** The note shown where the kernel overwrote records before they were read. */
export function lostRecordsNote(count: number): string {
  return count === 1 ? '1 kernel message was lost' : `${count} kernel messages were lost`;
}

async function pumpKernelLog(
  options: KernelLogPhaseOptions,
  signal: AbortSignal,
  out: GuardedOutput,
  show: (lines: string | Uint8Array, released?: () => void) => void,
  note: (text: string) => void,
): Promise<void> {
  try {
    const lostNote = (count: number): string => {
      const text = lostRecordsNote(count);
      options.onNote?.(text);
      return `${text}\n`;
    };
    const source = openFormattedKmsg(options.source, { follow: true, color: options.color, signal, lostNote });
    // A terminal gives each batch back once written: a few buffers serve the whole log (no garbage per batch).
    const recycle = releasesChunksOnWrite(options.output);
    for await (const batch of source) {
      if (signal.aborted) return;
      show(batch, recycle ? () => source.recycle(batch) : undefined);
      await out.drain(signal);
    }
  } catch (error) {
    if (!signal.aborted) note(`kernel log unavailable: ${reasonOf(error)}`);
  }
}
