import type { ServerResponse } from 'node:http';

/** Entries formatted per write when the stream runs as fast as the client reads. */
const FAST_BATCH_ENTRIES = 512;

/** How a follow stream goes on after its history. */
export interface FollowPlan {
  /** Formats new entry number `n` (0-based among the new ones). */
  readonly format: (n: number) => string;
  /** New entries to send before ending; undefined = never end. */
  readonly limit: number | undefined;
  /** Delay between entries; 0 = as fast as the client reads, in batches. */
  readonly intervalMs: number;
}

/**
 * Writes new entries until the client goes away (or the limit is reached), respecting backpressure:
 * it waits for 'drain' whenever the socket buffer is full, so a million entries never pile up in memory.
 */
export async function streamFollow(res: ServerResponse, plan: FollowPlan): Promise<void> {
  let closed = false;
  let wake: (() => void) | undefined;
  res.once('close', () => {
    closed = true;
    wake?.();
  });
  const wait = (ms: number | 'drain'): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        res.off('drain', done);
        wake = undefined;
        resolve();
      };
      wake = done;
      const timer = ms === 'drain' ? undefined : setTimeout(done, ms);
      if (ms === 'drain') res.once('drain', done);
    });
  let sent = 0;
  while (!closed && (plan.limit === undefined || sent < plan.limit)) {
    if (plan.intervalMs > 0) await wait(plan.intervalMs);
    if (closed) break;
    const room = plan.limit === undefined ? Infinity : plan.limit - sent;
    const batch = Math.min(plan.intervalMs > 0 ? 1 : FAST_BATCH_ENTRIES, room);
    let chunk = '';
    for (let i = 0; i < batch; i += 1) chunk += plan.format(sent + i);
    sent += batch;
    if (!res.write(chunk)) await wait('drain');
  }
  if (!closed) res.end();
}

