import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LogService } from '../supervisor/api';
import { streamFollow } from './follow';
import { formatEntry, historyOf, newEntry } from './journal';
import { DEFAULT_RANGE, type LogRange, parseLogRange, rangeFromLines, selectRange } from './log-range';
import type { EmulatorContext } from './options';
import { sendText } from './respond';

/** Services whose log endpoint defaults to the verbose format. */
const VERBOSE_BY_DEFAULT: ReadonlySet<LogService> = new Set(['host', 'dns', 'audio', 'multicast']);

/** Path of a log endpoint: `/<s>/logs[/latest | /boots/{b}][/identifiers/{id}][/follow]`. */
export const LOGS_ROUTE = /^\/(core|homeassistant|supervisor|dns|audio|multicast|host)\/logs(?:\/latest|\/boots\/([^/]+))?(?:\/identifiers\/([^/]+))?(\/follow)?$/;

/** Answers a log request as the Supervisor does (formats, Range, boots, follow). */
export async function handleLogs(req: IncomingMessage, res: ServerResponse, url: URL, match: RegExpExecArray, context: EmulatorContext): Promise<void> {
  const service: LogService = match[1] === 'homeassistant' ? 'core' : (match[1] as LogService);
  const identifier = match[3] === undefined ? undefined : decodeURIComponent(match[3]);
  if (identifier !== undefined && service !== 'host') return sendText(res, 404, '404: Not Found');
  const accept = req.headers['accept'];
  if (accept !== undefined && accept !== 'text/plain' && accept !== '*/*' && accept !== 'text/x-log') {
    return sendText(res, 400, 'Invalid content type requested. Only text/plain and text/x-log supported for now.');
  }
  const verbose = accept === 'text/x-log' || url.searchParams.has('verbose') || VERBOSE_BY_DEFAULT.has(service);
  const boot = resolveBoot(match[2] === undefined ? undefined : decodeURIComponent(match[2]), context.bootIds);
  if (typeof boot === 'string') return sendText(res, 400, boot);
  const range = chooseRange(url, req.headers['range']);
  if (range === undefined) return sendText(res, 400, `Invalid range header: ${req.headers['range'] ?? ''}`);
  const history = boot < 0 ? [] : historyOf(context, service, boot, identifier);
  let cursorIndex: number | undefined;
  if (range.cursor !== undefined) {
    cursorIndex = history.findIndex((entry) => entry.cursor === range.cursor);
    if (cursorIndex < 0) return sendText(res, 400, `Invalid range header: ${req.headers['range'] ?? ''}`);
  }
  const { start, end } = selectRange(range, history.length, cursorIndex);
  const follow = match[4] !== undefined;
  const limit = follow ? context.followEndAfter : undefined;
  const shown = history.slice(start, limit === undefined ? end : Math.min(end, start + limit));
  const noColors = url.searchParams.has('no_colors');
  const headers: Record<string, string> = { 'Content-Type': 'text/plain; charset=utf-8' };
  const first = shown[0];
  if (first !== undefined) headers['X-First-Cursor'] = first.cursor;
  res.writeHead(200, headers);
  const text = shown.map((entry) => formatEntry(entry, verbose, context.hostname, noColors)).join('');
  if (!follow) return void res.end(text);
  if (text !== '') res.write(text);
  if (boot !== 0) return; // an old boot gets no new entries: the stream stays open until the client leaves
  const firstNew = context.historyLines(service);
  await streamFollow(res, {
    format: (n) => formatEntry(newEntry(context, service, firstNew + n, identifier), verbose, context.hostname, noColors),
    limit: limit === undefined ? undefined : Math.max(0, limit - shown.length),
    intervalMs: context.followIntervalMs,
  });
}

/** `?lines=N` wins over Range; neither = last 100. undefined = invalid. */
function chooseRange(url: URL, header: string | undefined): LogRange | undefined {
  const lines = url.searchParams.get('lines');
  if (lines !== null) return /^\d+$/.test(lines) ? rangeFromLines(Number(lines)) : undefined;
  return header === undefined ? DEFAULT_RANGE : parseLogRange(header);
}

/**
 * Boot position (0 = current, 1 = previous...) from an offset or a boot id; -1 for an unknown id
 * (the journal filter then matches nothing); a string = the 400 text for an offset out of range.
 */
export function resolveBoot(value: string | undefined, bootIds: readonly string[]): number | string {
  if (value === undefined) return 0;
  if (/^[-+]?\d+$/.test(value)) {
    const offset = Number(value);
    const position = offset <= 0 ? 0 - offset : bootIds.length - offset;
    if (position < 0 || position >= bootIds.length) return `Logs only contain ${bootIds.length} boots`;
    return position;
  }
  return bootIds.indexOf(value);
}
