import type { ApiResult, JsonValue } from './api';
import { DecodeError, decodeEnvelope, parseJson } from './decode';
import { errorFromResponse, errorFromTransport, timeoutError, unexpectedDataError } from './errors';
import { DEFAULT_TIMEOUT_MS, MAX_ERROR_BODY_BYTES } from './timeouts';
import { apiUrl, combineSignals, openResponse, readBody } from './transport';

/** Where and as whom the client talks. */
export interface Connection {
  readonly endpoint: string;
  /** Replaced when a re-read of the token file gives a new one. */
  token: string | undefined;
  /** Re-reads the token after a 401 (the CLI plugin's token changes when the plugin restarts). */
  readonly reloadToken?: (() => string | undefined) | undefined;
}

/**
 * After a refusal: takes a renewed token from its file; true when there is a new one to retry with.
 * A stale token is refused with 403, a missing one with 401 (supervisor/api/middleware/security.py:326-329, 378-379).
 */
export function renewTokenAfterRefusal(connection: Connection, status: number): boolean {
  if ((status !== 401 && status !== 403) || connection.reloadToken === undefined) return false;
  const token = connection.reloadToken();
  if (token === undefined || token === connection.token) return false;
  connection.token = token;
  return true;
}

/** One JSON call. */
export interface JsonCall<T> {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  readonly body?: Record<string, JsonValue> | undefined;
  readonly decode: (data: JsonValue) => T;
  readonly signal?: AbortSignal | undefined;
  /** 0 = none; default DEFAULT_TIMEOUT_MS. */
  readonly timeoutMs?: number | undefined;
  /** `host reboot`: a connection dropped before the reply means the host went down as asked. */
  readonly droppedMeansSuccess?: boolean;
}

/** Largest JSON reply read (the biggest real one, /network/info, is a few KiB). */
const MAX_JSON_BODY_BYTES = 16 * 1024 * 1024;

/** The one request path for every JSON call: URL, token, timeout, envelope, status → HaError, decode. */
export async function requestJson<T>(connection: Connection, call: JsonCall<T>, retried = false): Promise<ApiResult<T>> {
  const timeoutMs = call.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { signal, timedOut, dispose } = combineSignals(call.signal, timeoutMs);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (connection.token !== undefined) headers['Authorization'] = `Bearer ${connection.token}`;
  const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
  let status: number;
  let contentType: string | undefined;
  let text: string;
  try {
    const { res } = await openResponse({ url: apiUrl(connection.endpoint, call.path), method: call.method, headers, ...(payload === undefined ? {} : { body: payload }) }, signal);
    status = res.statusCode ?? 0;
    contentType = res.headers['content-type'];
    text = await readBody(res, status === 200 ? MAX_JSON_BODY_BYTES : MAX_ERROR_BODY_BYTES);
  } catch (error) {
    if (timedOut()) throw timeoutError(connection.endpoint, timeoutMs);
    if (call.signal?.aborted === true) throw error;
    if (call.droppedMeansSuccess === true && isDrop(error)) return { data: call.decode({}), body: '' };
    throw errorFromTransport(connection.endpoint, error);
  } finally {
    dispose();
  }
  if (!retried && renewTokenAfterRefusal(connection, status)) return requestJson(connection, call, true);
  const facts = { endpoint: connection.endpoint, path: call.path, status, contentType, body: text, tokenGiven: connection.token !== undefined };
  const envelope = status === 200 ? decodeEnvelope(parseJson(text)) : undefined;
  if (envelope?.result !== 'ok') throw errorFromResponse(facts);
  try {
    return { data: call.decode(envelope.data), body: text };
  } catch (error) {
    if (error instanceof DecodeError) throw unexpectedDataError(connection.endpoint, call.path, error.message, text);
    throw error;
  }
}

/** The connection went away before a reply: reset, broken pipe or "socket hang up". */
function isDrop(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return code === 'ECONNRESET' || code === 'EPIPE';
}
