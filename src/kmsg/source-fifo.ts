import { constants, openSync } from 'node:fs';
import { Socket } from 'node:net';
import type { KmsgRecord } from './record';
import { parseLines } from './source-file';
import { kmsgSourceError } from './source-errors';
import type { KmsgSourceStats } from './source-stats';
import { KmsgSplitter } from './split';

/**
 * Records from a FIFO until its writer closes it. The FIFO is opened O_NONBLOCK (a blocking open
 * would hold a libuv thread until a writer comes) and read through libuv's event loop as a pipe.
 */
export async function* readFifo(path: string, signal: AbortSignal | undefined, stats: KmsgSourceStats): AsyncGenerator<KmsgRecord> {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw kmsgSourceError(path, error);
  }
  const socket = new Socket({ fd, readable: true, writable: false });
  const onAbort = (): void => {
    socket.destroy();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  const splitter = new KmsgSplitter();
  try {
    try {
      for await (const chunk of socket) {
        if (!(chunk instanceof Uint8Array)) continue;
        yield* parseLines(splitter.push(chunk), stats);
      }
    } catch (error) {
      if (signal?.aborted === true) return;
      throw kmsgSourceError(path, error);
    }
    if (signal?.aborted !== true) yield* parseLines(splitter.end(), stats);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    socket.destroy();
  }
}
