import { formatKmsgRecord } from '../kmsg/format';
import { openKmsgSource } from '../kmsg/source';

/** `dmesg -f`: prints the kernel log and new messages until cancelled. */
export async function followKernelLog(options: { source: string; output: NodeJS.WritableStream; color: boolean; signal: AbortSignal }): Promise<void> {
  for await (const record of openKmsgSource(options.source, { follow: true, signal: options.signal })) {
    options.output.write(`${formatKmsgRecord(record, { color: options.color })}\n`);
    if (options.signal.aborted) break;
  }
}
