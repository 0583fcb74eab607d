import { readFileSync, statSync } from 'node:fs';
import { formatKmsgRecord } from '../kmsg/format';
import { openKmsgSource } from '../kmsg/source';
import type { NoticeBoard } from './notice-board';

/** Kernel messages at this level or more urgent reach the prompt (4 = warning; 6 = info is too chatty). */
export const PROMPT_KERNEL_LEVEL = 4;

/** Seconds since boot, to skip the kernel messages the person has already seen. */
function uptimeUsec(): number {
  try {
    return Math.floor(Number.parseFloat(readFileSync('/proc/uptime', 'utf8').split(' ')[0] ?? '0') * 1e6);
  } catch {
    return 0;
  }
}

/**
 * Follows the kernel log while the REPL runs and posts new warnings and errors above the prompt
 * (the kernel itself no longer prints them over the prompt: see ./printk-level). Never throws.
 */
export function watchKernelNotices(source: string, board: NoticeBoard, options: { color: boolean; signal: AbortSignal }): void {
  let isDevice = false;
  try {
    const info = statSync(source);
    // A file has been shown whole already; only the kernel device and FIFOs bring new messages.
    if (!info.isCharacterDevice() && !info.isFIFO()) return;
    isDevice = info.isCharacterDevice();
  } catch {
    return;
  }
  const since = isDevice ? uptimeUsec() : -1;
  void (async () => {
    try {
      for await (const record of openKmsgSource(source, { follow: true, signal: options.signal })) {
        if (record.usecMonotonic <= since || record.level > PROMPT_KERNEL_LEVEL) continue;
        board.post(formatKmsgRecord(record, { color: options.color }));
      }
    } catch {
      // The kernel log was shown at start; losing it now must not disturb the prompt.
    }
  })();
}
