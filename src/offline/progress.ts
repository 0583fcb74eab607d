// Progress of a copy off the card: a bar on a terminal (bytes, rate, time left), redrawn at most every
// 100 ms; nothing while copying otherwise (the command prints one summary line at the end).

const REDRAW_MS = 100;
const BAR_WIDTH = 24;

/** `1.5 GB`, `12.3 MB`, `512 B` (pure; powers of 1000 as file managers show them). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit] ?? ''}`;
}

/** `1:05` for seconds (pure). */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** One progress line (pure). */
export function progressLine(done: number, total: number, elapsedMs: number): string {
  const fraction = total === 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(fraction * BAR_WIDTH);
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const left = rate > 0 ? formatDuration((total - done) / rate) : '?';
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${formatBytes(done)} / ${formatBytes(total)}  ${formatBytes(rate)}/s  ${left} left`;
}

/** A progress reporter over a total; `draw` is false when the output is no terminal. */
export function createProgress(output: NodeJS.WritableStream, total: number, draw: boolean, now: () => number = Date.now): { update(done: number): void; finish(): void } {
  const start = now();
  let last = 0;
  let shown = false;
  return {
    update(done) {
      const t = now();
      if (!draw || (t - last < REDRAW_MS && done < total)) return;
      last = t;
      shown = true;
      output.write(`\r${progressLine(done, total, t - start)}\x1b[K`);
    },
    finish() {
      if (shown) output.write('\r\x1b[K');
    },
  };
}
