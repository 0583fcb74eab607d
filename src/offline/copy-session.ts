import type { Ext2Promises, Ext2Stats } from 'ext2fs';
import type { CommandContext } from '../commands/types';
import { copyFileOut } from './copy-out';
import { createProgress, formatBytes } from './progress';

// A run of file copies off the card with one progress bar over all of them (on a terminal, past a few MB)
// and one summary line for the result.

/** Below this total a bar would only flicker. */
const PROGRESS_MIN_BYTES = 4 * 1000 * 1000;

/** One file to copy. */
export interface CopyJob {
  readonly source: string;
  readonly stats: Ext2Stats;
  readonly dest: string;
}

/** Copies the jobs in order; returns the summary line. */
export async function runCopies(ctx: CommandContext, ext: Ext2Promises, jobs: readonly CopyJob[], what: string): Promise<string> {
  const total = jobs.reduce((sum, j) => sum + j.stats.size, 0);
  const stderr = ctx.io.stderr as NodeJS.WriteStream;
  const progress = createProgress(stderr, total, stderr.isTTY === true && total >= PROGRESS_MIN_BYTES);
  const started = Date.now();
  let before = 0;
  try {
    for (const job of jobs) {
      await copyFileOut(ext, job.source, job.stats, job.dest, (done) => progress.update(before + done), ctx.signal);
      before += job.stats.size;
    }
  } finally {
    progress.finish();
  }
  const seconds = (Date.now() - started) / 1000;
  return `Copied ${what} (${jobs.length} file${jobs.length === 1 ? '' : 's'}, ${formatBytes(total)}) in ${seconds.toFixed(1)} s.`;
}
