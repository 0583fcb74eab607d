import { closeSync, constants, openSync, readSync } from 'node:fs';
import { sleepUnlessAborted } from './abortable-sleep';
import { parseKmsgRecord } from './parse';
import type { KmsgRecord } from './record';
import { kmsgSourceError, systemErrorCode } from './source-errors';
import { SequenceTracker, type KmsgSourceStats } from './source-stats';
import { KmsgSplitter } from './split';

/** Read buffer for /dev/kmsg: one record per read, and a buffer smaller than the record gives EINVAL. */
export const KMSG_READ_BUFFER_BYTES = 16 * 1024;
/** How long to wait before asking /dev/kmsg again when it has nothing new (follow mode). */
export const KMSG_POLL_INTERVAL_MS = 75;
// Reads in a row before letting the event loop run (a full ring buffer is thousands of records).
const READS_PER_TURN = 256;

/**
 * Records from a character device (/dev/kmsg), opened O_NONBLOCK so no read ever blocks a thread:
 * EAGAIN means "nothing now" (poll again when following, else the end); EPIPE means records were
 * overwritten (counted from sequence gaps in `stats.lostRecords`), and reading goes on.
 * (https://www.kernel.org/doc/Documentation/ABI/testing/dev-kmsg)
 */
export async function* readCharDevice(path: string, follow: boolean, signal: AbortSignal | undefined, stats: KmsgSourceStats): AsyncGenerator<KmsgRecord> {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw kmsgSourceError(path, error);
  }
  const buffer = Buffer.allocUnsafe(KMSG_READ_BUFFER_BYTES);
  const splitter = new KmsgSplitter();
  const tracker = new SequenceTracker(stats);
  let reads = 0;
  try {
    while (signal?.aborted !== true) {
      let count: number;
      try {
        count = readSync(fd, buffer, 0, buffer.length, null);
      } catch (error) {
        const code = systemErrorCode(error);
        if (code === 'EAGAIN' || code === 'EWOULDBLOCK') {
          if (!follow) return;
          await sleepUnlessAborted(KMSG_POLL_INTERVAL_MS, signal);
          continue;
        }
        if (code === 'EPIPE' || code === 'EINTR') continue;
        throw kmsgSourceError(path, error);
      }
      if (count === 0) return;
      for (const line of splitter.push(buffer.subarray(0, count))) {
        const record = parseKmsgRecord(line);
        if (record === undefined) {
          stats.skippedLines++;
          continue;
        }
        tracker.note(record);
        yield record;
      }
      if (++reads % READS_PER_TURN === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    closeSync(fd);
  }
}
