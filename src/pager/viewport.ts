/** Where the viewer looks: the first line shown, how many text rows fit, and whether it follows the end. */
export interface Viewport {
  readonly top: number;
  readonly rows: number;
  readonly follow: boolean;
}

/** The largest useful top line for `count` lines in `rows` rows. */
export function lastTop(count: number, rows: number): number {
  return Math.max(0, count - Math.max(1, rows));
}

/** Keeps the view inside the log; in follow mode, on the last page (pure). */
export function settle(view: Viewport, count: number): Viewport {
  const top = view.follow ? lastTop(count, view.rows) : Math.max(0, Math.min(view.top, lastTop(count, view.rows)));
  return top === view.top ? view : { ...view, top };
}

/** Moves by `delta` lines (negative = up); moving up stops following (pure). */
export function scrollBy(view: Viewport, delta: number, count: number): Viewport {
  return settle({ ...view, follow: view.follow && delta >= 0, top: view.top + delta }, count);
}

/** Moves by whole pages (negative = up); a page is `rows` lines. */
export function pageBy(view: Viewport, pages: number, count: number): Viewport {
  return scrollBy(view, pages * Math.max(1, view.rows), count);
}

/** Jumps to the first line; stops following (pure). */
export function toStart(view: Viewport): Viewport {
  return { ...view, top: 0, follow: false };
}

/** Jumps to the last page and follows new lines (pure). */
export function toEnd(view: Viewport, count: number): Viewport {
  return settle({ ...view, follow: true }, count);
}

/** Shows line `index` at the top (as far as the end allows); stops following (pure). */
export function showLine(view: Viewport, index: number, count: number): Viewport {
  return settle({ ...view, follow: false, top: index }, count);
}

/** Shifts the view up by `dropped` lines that left the front of the log, so the same lines stay in view (pure). */
export function afterDrop(view: Viewport, dropped: number, count: number): Viewport {
  return dropped === 0 ? settle(view, count) : settle({ ...view, top: view.top - dropped }, count);
}

/** Whether the last line is on screen. */
export function atEnd(view: Viewport, count: number): boolean {
  return view.top + view.rows >= count;
}
