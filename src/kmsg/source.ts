import { stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { HaError } from '../errors/ha-error';
import type { KmsgRecord } from './record';
import { readCharDevice } from './source-device';
import { kmsgSourceError } from './source-errors';
import { readFifo } from './source-fifo';
import { readRegularFile } from './source-file';
import { createSourceStats, type KmsgSourceStats } from './source-stats';

/** How to read a kernel log source. */
export interface KmsgSourceOptions {
  /** Keep waiting for new records on /dev/kmsg (a file still ends at EOF, a FIFO when its writer closes). */
  readonly follow: boolean;
  /** Stops reading and closes the source. */
  readonly signal?: AbortSignal;
}

/** Kernel log records from a source, plus what was lost or skipped on the way. */
export interface KmsgSource extends AsyncIterable<KmsgRecord> {
  /** Updated while iterating. */
  readonly stats: KmsgSourceStats;
}

async function* readSource(path: string, options: KmsgSourceOptions, stats: KmsgSourceStats): AsyncGenerator<KmsgRecord> {
  let info: Stats;
  try {
    info = await stat(path);
  } catch (error) {
    throw kmsgSourceError(path, error);
  }
  if (info.isCharacterDevice()) yield* readCharDevice(path, options.follow, options.signal, stats);
  else if (info.isFIFO()) yield* readFifo(path, options.signal, stats);
  else if (info.isFile()) yield* readRegularFile(path, options.signal, stats);
  else if (info.isDirectory()) throw kmsgSourceError(path, Object.assign(new Error('is a directory'), { code: 'EISDIR' }));
  else throw new HaError(`kernel log source ${path} is not a file, FIFO or character device`, { hint: 'Give a kmsg-format file, a FIFO or /dev/kmsg.' });
}

/**
 * Opens a kernel log source: the /dev/kmsg character device, a kmsg-format file, or a FIFO.
 * Errors (missing path, no permission) are HaErrors thrown by the iteration. Aborting `signal`
 * or ending the iteration early closes the file descriptor.
 */
export function openKmsgSource(path: string, options: KmsgSourceOptions): KmsgSource {
  const stats = createSourceStats();
  return {
    stats,
    [Symbol.asyncIterator]: () => readSource(path, options, stats),
  };
}
