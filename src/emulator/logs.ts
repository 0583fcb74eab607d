import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LogService } from '../supervisor/api';
import { streamFollow } from './follow';
import { formatEntry, historyOf, newEntry } from './journal';
import { DEFAULT_LINES, DEFAULT_RANGE, type LogRange, parseLogRange, rangeFromLines, selectRange } from './log-range';
import type { EmulatorContext } from './options';
import { sendText } from './respond';

/** Services whose log endpoint defaults to the verbose format. */
const VERBOSE_BY_DEFAULT: ReadonlySet<LogService> = new Set(['host', 'dns', 'audio', 'multicast']);

/**
 * Path of a log endpoint: `/<s>/logs/latest` (services only), or `/<s>/logs[/boots/{b}][/identifiers/{id}][/follow]`
 * (identifiers on the host only). Routes: supervisor/api/__init__.py:165-220 (services), 222-259 (host).
 * Groups: 1 service, 2 `/latest`, 3 boot, 4 identifier, 5 `/follow`.
 */
export const LOGS_ROUTE = /^\/(core|homeassistant|supervisor|dns|audio|multicast|host)\/logs(?:(\/latest)|(?:\/boots\/([^/]+))?(?:\/identifiers\/([^/]+))?(\/follow)?)$/;

/** Answers a log request as the Supervisor does (formats, Range, boots, follow): supervisor/api/host.py:263-383. */
export async function handleLogs(req: IncomingMessage, res: ServerResponse, url: URL, match: RegExpExecArray, context: EmulatorContext): Promise<void> {
  const service: LogService = match[1] === 'homeassistant' ? 'core' : (match[1] as LogService);
  const latest = match[2] !== undefined;
  const identifier = match[4] === undefined ? undefined : decodeURIComponent(match[4]);
  // The host has identifiers and no /latest; the services have /latest and no identifiers.
  if (service === 'host' ? latest : identifier !== undefined) return sendText(res, 404, '404: Not Found');
  const accept = req.headers['accept'];
  if (accept !== undefined && accept !== 'text/plain' && accept !== '*/*' && accept !== 'text/x-log') {
    return sendText(res, 400, 'Invalid content type requested. Only text/plain and text/x-log supported for now.');
  }
  // Host routes with an identifier are plain by default (api/__init__.py:238-258 pass no default_verbose).
  const verbose = accept === 'text/x-log' || url.searchParams.has('verbose') || (VERBOSE_BY_DEFAULT.has(service) && identifier === undefined);
  const boot = resolveBoot(match[3] === undefined ? undefined : decodeURIComponent(match[3]), context.bootIds);
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
  const follow = match[5] !== undefined;
  const limit = follow ? context.followEndAfter : undefined;
  const shown = history.slice(start, limit === undefined ? end : Math.min(end, start + limit));
  const noColors = latest || url.searchParams.has('no_colors');
  // Headers go out with the first entry (host.py:343-352): a follow with no history sends none until one comes.
  const sendHeaders = (firstCursor: string | undefined): void => {
    const headers: Record<string, string> = { 'Content-Type': 'text/plain; charset=utf-8', 'X-Accel-Buffering': 'no' };
    if (firstCursor !== undefined) headers['X-First-Cursor'] = firstCursor;
    res.writeHead(200, headers);
  };
  const text = shown.map((entry) => formatEntry(entry, verbose, context.hostname, noColors)).join('');
  if (!follow) {
    sendHeaders(shown[0]?.cursor);
    return void res.end(text);
  }
  if (shown[0] !== undefined) {
    sendHeaders(shown[0].cursor);
    res.write(text);
  }
  if (boot !== 0) return; // an old boot gets no new entries: the stream stays open until the client leaves
  const firstNew = context.historyLines(service);
  const entryAt = (n: number) => newEntry(context, service, firstNew + n, identifier);
  await streamFollow(res, {
    format: (n) => {
      const entry = entryAt(n);
      if (!res.headersSent) sendHeaders(entry.cursor);
      return formatEntry(entry, verbose, context.hostname, noColors);
    },
    limit: limit === undefined ? undefined : Math.max(0, limit - shown.length),
    intervalMs: context.followIntervalMs,
  });
}

/**
 * `?lines=N` wins over Range (a non-number counts as 100, fewer than 2 as 2: host.py:314-328); neither =
 * last 100 (host.py:333-334). undefined = an invalid Range header.
 */
function chooseRange(url: URL, header: string | undefined): LogRange | undefined {
  const lines = url.searchParams.get('lines');
  if (lines !== null) return rangeFromLines(/^\s*[-+]?\d+(?:_\d+)*\s*$/.test(lines) ? Number(lines.trim().replace(/_/g, '')) : DEFAULT_LINES);
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
