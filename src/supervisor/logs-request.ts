import { UsageError } from '../errors/usage-error';
import type { LogsRequest } from './api';

/**
 * `-n N` as a journal Range header (`entries=cursor[[:num_skip]:num_entries]`, systemd-journal-gatewayd).
 * The real CLI sends `entries=:-(N-1):`: skip back N-1 from the tail, read to the end = the last N entries.
 * For N=1 that is `entries=:0:` (Go prints -0 as 0), which gatewayd reads as "skip 0 from the HEAD":
 * the whole journal from the oldest entry. No Range without a cursor means "the last entry only", so
 * for N=1 we send `entries=:-1:` (the last two entries): one entry too many rather than the whole journal.
 */
export function buildRangeHeader(lines: number | undefined): string | undefined {
  if (lines === undefined) return undefined;
  if (!Number.isSafeInteger(lines) || lines < 1) throw new UsageError(`Invalid number of lines: ${String(lines)}`, 'Give -n/--lines a whole number of 1 or more.');
  return `entries=:-${Math.max(lines - 1, 1)}:`;
}

/** API path of a logs request: `/<service>/logs[/boots/{b}][/identifiers/{id}][/follow]`. */
export function buildLogsPath(request: LogsRequest): string {
  let path = `/${request.service}/logs`;
  if (request.boot !== undefined) path += `/boots/${encodeURIComponent(request.boot)}`;
  if (request.identifier !== undefined) {
    if (request.service !== 'host') throw new UsageError('-t/--identifier works only with `host logs`');
    path += `/identifiers/${encodeURIComponent(request.identifier)}`;
  }
  if (request.follow) path += '/follow';
  if (request.noColors === true) path += '?no_colors';
  return path;
}

/** Request headers of a logs call, as the real CLI sends them (exact Accept values: the API matches them literally). */
export function buildLogsHeaders(request: LogsRequest, token: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { Accept: request.verbose ? 'text/x-log' : 'text/plain' };
  const range = buildRangeHeader(request.lines);
  if (range !== undefined) headers['Range'] = range;
  if (token !== undefined) headers['Authorization'] = `Bearer ${token}`;
  return headers;
}
