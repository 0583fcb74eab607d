import { parseKmsgRecord } from './parse';
import type { KmsgRecord } from './record';
import { openKmsgBytes } from './read-bytes';
import { createSourceStats, SequenceTracker, type KmsgSourceStats } from './source-stats';
import { KmsgSplitter } from './split';

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
  const source = await openKmsgBytes(path, options.follow, options.signal);
  const tracker = source.device ? new SequenceTracker(stats) : undefined;
  const splitter = new KmsgSplitter();
  const parse = function* (lines: readonly string[]): Generator<KmsgRecord> {
    for (const line of lines) {
      const record = parseKmsgRecord(line);
      if (record === undefined) {
        stats.skippedLines++;
        continue;
      }
      tracker?.note(record);
      yield record;
    }
  };
  for await (const chunk of source.chunks) yield* parse(splitter.push(chunk));
  if (options.signal?.aborted !== true) yield* parse(splitter.end());
}

/**
 * Opens a kernel log source record by record: the /dev/kmsg character device, a kmsg-format file, or a
 * FIFO (for callers that pick records, like the notices at the prompt; printing goes through
 * `openFormattedKmsg`). Errors (missing path, no permission) are HaErrors thrown by the iteration.
 * Aborting `signal` or ending the iteration early closes the file descriptor.
 */
export function openKmsgSource(path: string, options: KmsgSourceOptions): KmsgSource {
  const stats = createSourceStats();
  return {
    stats,
    [Symbol.asyncIterator]: () => readSource(path, options, stats),
  };
}
