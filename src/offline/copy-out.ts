import { open, rename, rm, utimes, chmod } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Ext2Promises, Ext2Stats } from 'ext2fs';
import { CancelledError } from '../errors/cancelled-error';
import { openExtFile } from './ext-file';

// Copying one file off the card: ranged reads through ext2fs into a temporary name beside the destination,
// fsync, then rename. Ctrl-C (or any failure) removes the temporary file, so no partial file ever carries
// the final name. Mode and modification time are kept.

/**
 * Bytes read per step: large enough that the WASM crossing costs little (68 MB: 1 MiB reads 2.3 s, 4 MiB 1.5 s),
 * small enough for flat memory: ext2fs's WASM heap aborts (OOM) on a 16 MiB read.
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
      let done = 0;
      while (done < input.size) {
        if (signal.aborted) throw new CancelledError();
        const bytes = await input.read(done, COPY_CHUNK_BYTES);
        if (bytes.length === 0) throw new Error(`${source} ended at ${done} of ${input.size} bytes`);
        await output.write(bytes, 0, bytes.length, done);
        done += bytes.length;
        onProgress(done);
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
