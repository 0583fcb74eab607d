import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import type { CallOptions, LogsRequest } from './api';
import { errorFromResponse, errorFromTransport, streamCutError, timeoutError } from './errors';
import { buildLogsHeaders, buildLogsPath } from './logs-request';
import type { Connection } from './request';
import { DEFAULT_TIMEOUT_MS, MAX_ERROR_BODY_BYTES } from './timeouts';
import { apiUrl, combineSignals, openResponse, readBody } from './transport';

/** Buffer between the socket and the reader; the socket is paused while it is full. */
const STREAM_HIGH_WATER_MARK_BYTES = 64 * 1024;

/**
 * Opens a log stream and resolves once the Supervisor answered 200.
 * - Non-follow: `timeoutMs` (default 30 s) bounds the wait for the response headers only.
 *   Follow: no timeout at all. Once streaming, there is never a timeout.
 * - Bytes are passed on as they arrive, with backpressure (the socket pauses while the reader is slow).
 * - A connection cut before the end of the chunked body: the stream errors with a HaError
 *   "The log stream from the Supervisor was cut".
 * - Aborting `options.signal` (Ctrl-C) destroys the request; the stream then simply ENDS (no error),
 *   after what it already received. Before the headers, the promise rejects with the AbortError.
 * - Destroying the returned stream (a pager that quit) closes the connection.
 */
export async function openLogStream(connection: Connection, request: LogsRequest, options: CallOptions = {}): Promise<NodeJS.ReadableStream> {
  const path = buildLogsPath(request);
  const headers = buildLogsHeaders(request, connection.token);
  const headerTimeoutMs = request.follow ? 0 : options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timer = combineSignals(undefined, headerTimeoutMs);
  const signal = options.signal === undefined ? timer.signal : timer.signal === undefined ? options.signal : AbortSignal.any([options.signal, timer.signal]);
  let res: IncomingMessage;
  let destroyRequest: () => void;
  try {
    const opened = await openResponse({ url: apiUrl(connection.endpoint, path), method: 'GET', headers }, signal);
    res = opened.res;
    destroyRequest = () => opened.req.destroy();
  } catch (error) {
    if (timer.timedOut()) throw timeoutError(connection.endpoint, headerTimeoutMs);
    if (options.signal?.aborted === true) throw error;
    throw errorFromTransport(connection.endpoint, error);
  } finally {
    timer.dispose();
  }
  if (res.statusCode !== 200) {
    const body = await readBody(res, MAX_ERROR_BODY_BYTES).catch(() => '');
    throw errorFromResponse({ endpoint: connection.endpoint, path, status: res.statusCode ?? 0, contentType: res.headers['content-type'], body, tokenGiven: connection.token !== undefined });
  }
  return pipeLogBody(res, connection.endpoint, options.signal, destroyRequest);
}

/** Copies the response into a stream the caller owns, mapping a cut or an abort as documented above. */
function pipeLogBody(res: IncomingMessage, endpoint: string, signal: AbortSignal | undefined, destroyRequest: () => void): PassThrough {
  const out = new PassThrough({ highWaterMark: STREAM_HIGH_WATER_MARK_BYTES });
  let finished = false;
  const finish = (error?: Error): void => {
    if (finished) return;
    finished = true;
    signal?.removeEventListener('abort', onAbort);
    res.unpipe(out);
    if (error === undefined) out.end();
    else out.destroy(error);
  };
  const onAbort = (): void => {
    finish();
    destroyRequest();
  };
  if (signal?.aborted === true) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });
  res.once('end', () => finish());
  res.once('error', (error) => finish(signal?.aborted === true ? undefined : streamCutError(endpoint, error)));
  res.once('close', () => {
    if (!res.complete) finish(signal?.aborted === true ? undefined : streamCutError(endpoint));
  });
  out.once('close', () => {
    if (!res.complete) destroyRequest();
  });
  res.pipe(out, { end: false });
  return out;
}
