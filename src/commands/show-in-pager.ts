import type { PagerSource } from '../pager/pager-feed';
import type { CommandContext } from './types';

/** True when log output should open the viewer: a terminal of known size, and no `--no-pager`. */
export function wantsPager(ctx: CommandContext, noPager: boolean): boolean {
  const out = ctx.io.stdout as NodeJS.WriteStream;
  if (out.isTTY !== true || noPager) return false;
  const { shouldUsePager } = require('../pager/should-use-pager') as typeof import('../pager/should-use-pager');
  return shouldUsePager(out, process.env, noPager);
}

/**
 * Shows a stream in the log viewer until the person presses `q` (or Ctrl-C), then closes the stream.
 * The keyboard is borrowed from the console for that time, so no key becomes type-ahead.
 */
export async function showInPager(ctx: CommandContext, source: PagerSource & { destroy?: () => void }, title: string, follow: boolean): Promise<void> {
  const { openPager } = await import('../pager/open-pager');
  const { stream, release } = ctx.input.claim();
  try {
    await openPager({
      source,
      input: stream as NodeJS.ReadStream,
      output: ctx.io.stdout as NodeJS.WriteStream,
      title,
      follow,
      color: ctx.io.color,
      signal: ctx.signal,
    });
  } finally {
    release();
    source.destroy?.();
  }
}
