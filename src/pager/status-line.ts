/** What the status line reports. */
export interface StatusInfo {
  readonly title: string;
  /** 1-based numbers of the first and last line on screen (0 when the view is empty). */
  readonly first: number;
  readonly last: number;
  /** Lines received so far. */
  readonly total: number;
  /** Lines in the current view (all held lines, or those passing the level filter). */
  readonly shown: number;
  /** Oldest lines dropped to stay within `limit`. */
  readonly dropped: number;
  /** Most lines kept. */
  readonly limit: number;
  /** Most bytes of line text kept (not shown when undefined). */
  readonly limitBytes?: number | undefined;
  readonly following: boolean;
  /** The source may still send lines (follow mode). */
  readonly live: boolean;
  /** The source has ended. */
  readonly ended: boolean;
  /** The last line of the view is on screen. */
  readonly atEnd: boolean;
  /** How far down the view the screen's last line is, 0-100. */
  readonly percent: number;
  readonly filter: string;
  readonly search: string | undefined;
  /** Columns scrolled to the right. */
  readonly left: number;
  readonly message: string | undefined;
}

/** Key summary shown by `h`. */
export const HELP_TEXT = 'j/k ↑↓ line  space/b PgDn/PgUp page  g/G start/end  / ? n N search  l level  F follow  ←→ sideways  q quit';

/** The status line text, cut to `width` columns (pure). */
export function formatStatus(info: StatusInfo, width: number): string {
  const parts = [info.title];
  parts.push(info.shown === 0 ? 'no lines' : `${info.first}-${info.last} of ${info.total}`);
  if (info.filter !== 'all') parts.push(`level ${info.filter} (${info.shown} lines)`);
  if (info.ended) parts.push(info.atEnd ? '(END)' : `${info.percent}%`);
  else if (info.following) parts.push('FOLLOW');
  else if (info.live) parts.push('PAUSED (F follows)');
  else parts.push(`${info.percent}% so far, reading…`);
  if (info.search !== undefined) parts.push(`/${info.search}`);
  if (info.left > 0) parts.push(`col ${info.left + 1}`);
  if (info.dropped > 0) parts.push(`${info.dropped} oldest dropped (keeps ${keeps(info)})`);
  const text = info.message !== undefined ? `${info.message} | ${parts.join(' | ')}` : `${parts.join(' | ')} | h help, q quit`;
  return fit(text, width);
}

/** What the viewer keeps: `100000 lines, 5 MiB`. */
function keeps(info: StatusInfo): string {
  if (info.limitBytes === undefined) return `${info.limit} lines`;
  const kib = info.limitBytes / 1024;
  const mib = kib / 1024;
  const size = mib >= 1 ? `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MiB` : `${Math.round(kib)} KiB`;
  return `${info.limit} lines, ${size}`;
}

/** Cuts `text` to `width` columns (status text is plain; one column per character). */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  // A string has at least as many UTF-16 units as characters: short enough needs no splitting.
  if (text.length <= width) return text;
  const chars = Array.from(text);
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}
