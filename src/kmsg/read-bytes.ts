import { closeSync, constants, openSync, readSync, statSync } from 'node:fs';
import { HaError } from '../errors/ha-error';
import { sleepUnlessAborted } from './abortable-sleep';
import { kmsgSourceError, systemErrorCode } from './source-errors';

/** Room for one /dev/kmsg read: one record per read, and a buffer smaller than the record gives EINVAL. */
export const KMSG_READ_BUFFER_BYTES = 16 * 1024;
/** How long to wait before asking /dev/kmsg again when it has nothing new (follow mode). */
export const KMSG_POLL_INTERVAL_MS = 75;
/** Bytes read from a file, and gathered from /dev/kmsg, before they are formatted and written as one batch. */
export const KMSG_BATCH_BYTES = 256 * 1024;
/**
 * The first batch is small, then batches grow to {@link KMSG_BATCH_BYTES}: the first screen (a viewer's,
 * a terminal's) shows after a few hundred records, not after formatting thousands with code not yet optimised.
 */
export const KMSG_FIRST_BATCH_BYTES = 16 * 1024;

/** Longest a file is read (formatted, written) without giving the event loop a turn. */
export const FILE_TURN_MS = 25;

/** Size of the batch after one of `size` bytes. */
const nextBatchBytes = (size: number): number => Math.min(size * 4, KMSG_BATCH_BYTES);

/** Raw kmsg-format bytes from a source; `device` says it is /dev/kmsg (sequence gaps mean lost records). */
export interface KmsgByteSource {
  readonly device: boolean;
  /** Chunks valid until the next one is asked for. */
  readonly chunks: AsyncGenerator<Buffer>;
}

/**
 * Batches of /dev/kmsg records: the device hands out one record per read, so records are read into one
 * buffer until EAGAIN (nothing more now) or the buffer is nearly full, then handed on as one chunk.
 * O_NONBLOCK, so no read ever holds a thread; EPIPE (records overwritten) and EINTR read on.
 * (https://www.kernel.org/doc/Documentation/ABI/testing/dev-kmsg)
 */
async function* readDeviceBatches(path: string, follow: boolean, signal: AbortSignal | undefined): AsyncGenerator<Buffer> {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw kmsgSourceError(path, error);
  }
  const buffer = Buffer.allocUnsafe(KMSG_BATCH_BYTES + KMSG_READ_BUFFER_BYTES);
  let limit = KMSG_FIRST_BATCH_BYTES;
  try {
    while (signal?.aborted !== true) {
      let used = 0;
      let ended = false;
      while (used < limit) {
        let count: number;
        try {
          count = readSync(fd, buffer, used, KMSG_READ_BUFFER_BYTES, null);
        } catch (error) {
          const code = systemErrorCode(error);
          if (code === 'EPIPE' || code === 'EINTR') continue;
          if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK') throw kmsgSourceError(path, error);
          ended = !follow;
          break;
        }
        if (count === 0) {
          ended = true;
          break;
        }
        used += count;
      }
      if (used > 0) yield buffer.subarray(0, used);
      if (ended) return;
      limit = nextBatchBytes(limit);
      // A full batch: let the event loop run before the next; nothing new: poll again later.
      if (used > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      else await sleepUnlessAborted(KMSG_POLL_INTERVAL_MS, signal);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * A regular file in chunks growing to {@link KMSG_BATCH_BYTES}, ending at end of file. Read with
 * readSync: a regular file never makes a read wait, and no thread pool is started for it. The event loop
 * gets a turn between chunks at least every {@link FILE_TURN_MS}: keys (q in the viewer, Ctrl-C), timers
 * and write callbacks are not held up until a large file is read (a turn after every chunk cost about 2%
 * of `ha dmesg` on 10 MB).
 */
async function* readFileChunks(path: string, signal: AbortSignal | undefined): AsyncGenerator<Buffer> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw kmsgSourceError(path, error);
  }
  try {
    const buffer = Buffer.allocUnsafe(KMSG_BATCH_BYTES);
    let size = KMSG_FIRST_BATCH_BYTES;
    let lastTurn = performance.now();
    while (signal?.aborted !== true) {
      let count: number;
      try {
        count = readSync(fd, buffer, 0, size, null);
        size = nextBatchBytes(size);
      } catch (error) {
        throw kmsgSourceError(path, error);
      }
      if (count === 0) return;
      yield buffer.subarray(0, count);
      if (performance.now() - lastTurn >= FILE_TURN_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        lastTurn = performance.now();
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** A FIFO until its writer closes it, opened O_NONBLOCK and read through the event loop as a pipe. */
async function* readFifoChunks(path: string, signal: AbortSignal | undefined): AsyncGenerator<Buffer> {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw kmsgSourceError(path, error);
  }
  // node:net only for a FIFO (loaded here, not by every `ha dmesg`).
  const { Socket } = require('node:net') as typeof import('node:net');
  const socket = new Socket({ fd, readable: true, writable: false });
  const onAbort = (): void => {
    socket.destroy();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of socket) if (Buffer.isBuffer(chunk)) yield chunk;
  } catch (error) {
    if (signal?.aborted !== true) throw kmsgSourceError(path, error);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    socket.destroy();
  }
}

/** Opens /dev/kmsg, a kmsg-format file or a FIFO for reading raw bytes; errors are HaErrors. */
export async function openKmsgBytes(path: string, follow: boolean, signal: AbortSignal | undefined): Promise<KmsgByteSource> {
  let info;
  try {
    info = statSync(path);
  } catch (error) {
    throw kmsgSourceError(path, error);
  }
  if (info.isCharacterDevice()) return { device: true, chunks: readDeviceBatches(path, follow, signal) };
  if (info.isFIFO()) return { device: false, chunks: readFifoChunks(path, signal) };
  if (info.isFile()) return { device: false, chunks: readFileChunks(path, signal) };
  if (info.isDirectory()) throw kmsgSourceError(path, Object.assign(new Error('is a directory'), { code: 'EISDIR' }));
  throw new HaError(`kernel log source ${path} is not a file, FIFO or character device`, { hint: 'Give a kmsg-format file, a FIFO or /dev/kmsg.' });
}
