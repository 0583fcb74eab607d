import { open, type FileHandle } from 'node:fs/promises';
import { parseKmsgRecord } from './parse';
import type { KmsgRecord } from './record';
import { kmsgSourceError } from './source-errors';
import type { KmsgSourceStats } from './source-stats';
import { KmsgSplitter } from './split';

/** Bytes read from a regular file at a time (files are streamed, never read whole). */
export const KMSG_FILE_CHUNK_BYTES = 64 * 1024;

/** Yields the records of `lines`, counting the ones that are not records. */
export function* parseLines(lines: readonly string[], stats: KmsgSourceStats): Generator<KmsgRecord> {
  for (const line of lines) {
    const record = parseKmsgRecord(line);
    if (record === undefined) stats.skippedLines++;
    else yield record;
  }
}

/** Records from a regular file in kmsg format, streamed in chunks, ending at end of file. */
export async function* readRegularFile(path: string, signal: AbortSignal | undefined, stats: KmsgSourceStats): AsyncGenerator<KmsgRecord> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw kmsgSourceError(path, error);
  }
  try {
    const buffer = Buffer.allocUnsafe(KMSG_FILE_CHUNK_BYTES);
    const splitter = new KmsgSplitter();
    while (signal?.aborted !== true) {
      let count: number;
      try {
        count = (await handle.read(buffer, 0, buffer.length, null)).bytesRead;
      } catch (error) {
        throw kmsgSourceError(path, error);
      }
      yield* parseLines(count === 0 ? splitter.end() : splitter.push(buffer.subarray(0, count)), stats);
      if (count === 0) return;
    }
  } finally {
    await handle.close();
  }
}
