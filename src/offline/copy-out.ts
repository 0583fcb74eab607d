import { open, rename, rm, utimes, chmod } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Ext2Promises, Ext2Stats } from 'ext2fs';
import { CancelledError } from '../errors/cancelled-error';
import { openExtFile } from './ext-file';

// Copying one file off the card: ranged reads (the direct reader, or ext2fs) into a temporary name beside the destination,
// fsync, then rename. Ctrl-C (or any failure) removes the temporary file, so no partial file ever carries
// the final name. Mode and modification time are kept.

/**
 * Bytes read per step: large enough that a call costs little (through ext2fs, 68 MB: 1 MiB reads 2.3 s, 4 MiB
 * 1.5 s), small enough for flat memory (and ext2fs's WASM heap aborts (OOM) on a 16 MiB read).
 */
export const COPY_CHUNK_BYTES = 4 * 1024 * 1024;

/** Called after each chunk with the bytes copied so far of this file. */
export type CopyProgress = (bytesDone: number) => void;

/** Copies card file `source` (its stats given) to local `dest`. */
export async function copyFileOut(ext: Ext2Promises, source: string, stats: Ext2Stats, dest: string, onProgress: CopyProgress, signal: AbortSignal): Promise<void> {
  const temp = join(dirname(dest), `.${basename(dest)}.ha-partial-${process.pid}`);
  const input = await openExtFile(ext, source);
  try {
    const output = await open(temp, 'wx', 0o600);
    try {
      // The next chunk is read while this one is written, when the source reads in parallel (the direct
      // reader does; ext2fs's WASM does one call at a time): two chunks in memory at most.
      const ahead = input.parallel === true;
      const readAt = (at: number): Promise<Buffer> => {
        const read = input.read(at, COPY_CHUNK_BYTES);
        read.catch(() => undefined); // awaited below; never an unhandled rejection if the write fails first
        return read;
      };
      let done = 0;
      let next: Promise<Buffer> | undefined = input.size > 0 ? readAt(0) : undefined;
      while (next !== undefined) {
        if (signal.aborted) throw new CancelledError();
        const bytes = await next;
        if (bytes.length === 0) throw new Error(`${source} ended at ${done} of ${input.size} bytes`);
        const end = done + bytes.length;
        next = end < input.size && ahead ? readAt(end) : undefined;
        await output.write(bytes, 0, bytes.length, done);
        done = end;
        onProgress(done);
        if (next === undefined && done < input.size) next = readAt(done);
      }
      await output.sync();
    } finally {
      await output.close();
    }
    await chmod(temp, stats.mode & 0o7777);
    await utimes(temp, stats.atime, stats.mtime);
    await rename(temp, dest);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  } finally {
    await input.close();
  }
}
