import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { CallOptions, LogsRequest } from './api';
import { errorFromResponse, errorFromTransport, streamCutError, streamStalledError, timeoutError } from './errors';
import { buildLogsHeaders, buildLogsPath } from './logs-request';
import { type Connection, renewTokenAfterRefusal } from './request';
import { LOG_STALL_TIMEOUT_MS, MAX_ERROR_BODY_BYTES } from './timeouts';
import { apiUrl, combineSignals, openResponse, readBody } from './transport';

/** Buffer between the socket and the reader; the socket is paused while it is full. */
const STREAM_HIGH_WATER_MARK_BYTES = 64 * 1024;

/**
 * Opens a log stream and resolves once the Supervisor answered 200.
 * - No wait for the headers is bounded unless `timeoutMs` asks for it: the Supervisor sends them only
 *   with the first entry (supervisor/api/host.py:343-352), and the Go CLI sets no timeout on logs
 *   (cli cmd/host.go:68-69, `GetRequestTimeout(0)`).
 * - Non-follow: once the body flows, a body that stalls for `stallMs` (default LOG_STALL_TIMEOUT_MS)
 *   while we are ready to read errors instead of hanging. Follow: never a timeout.
 * - Bytes are passed on as they arrive, with backpressure (the socket pauses while the reader is slow).
 * - A connection cut before the end of the chunked body: the stream errors with a HaError
 *   "The log stream from the Supervisor was cut".
 * - Aborting `options.signal` (Ctrl-C) destroys the request; the stream then simply ENDS (no error),
 *   after what it already received. Before the headers, the promise rejects with the AbortError.
 * - Destroying the returned stream (a pager that quit) closes the connection.
 */
export async function openLogStream(connection: Connection, request: LogsRequest, options: CallOptions = {}, retried = false): Promise<NodeJS.ReadableStream> {
  const path = buildLogsPath(request);
  const headers = buildLogsHeaders(request, connection.token);
  const headerTimeoutMs = request.follow ? 0 : options.timeoutMs ?? 0;
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
    if (!retried && renewTokenAfterRefusal(connection, res.statusCode ?? 0)) {
      res.resume();
      return openLogStream(connection, request, options, true);
    }
    const body = await readBody(res, MAX_ERROR_BODY_BYTES).catch(() => '');
    throw errorFromResponse({ endpoint: connection.endpoint, path, status: res.statusCode ?? 0, contentType: res.headers['content-type'], body, tokenGiven: connection.token !== undefined });
  }
  const stallMs = request.follow ? 0 : options.stallMs ?? LOG_STALL_TIMEOUT_MS;
  return pipeLogBody(res, connection.endpoint, options.signal, destroyRequest, stallMs);
}

/**
 * The response body as a Readable the caller owns: each chunk the HTTP parser hands over is pushed as it
 * is (no copy, no extra Transform stage); when the reader's buffer is full the response is paused, so
 * the socket stops being read, and it resumes when the reader asks for more. A cut or an abort is mapped
 * as documented above.
 */
function pipeLogBody(res: IncomingMessage, endpoint: string, signal: AbortSignal | undefined, destroyRequest: () => void, stallMs: number): Readable {
  let finished = false;
  const out = new Readable({
    highWaterMark: STREAM_HIGH_WATER_MARK_BYTES,
    read: () => {
      if (!finished) res.resume();
    },
    destroy: (error, callback) => {
      // The reader went away (a pager that quit): close the connection.
      if (!finished) {
        finish();
        if (!res.complete) destroyRequest();
      }
      callback(error);
    },
  });
  const onData = (chunk: Buffer): void => {
    if (!out.push(chunk)) res.pause();
  };
  const stall = watchStall(res, stallMs, () => {
    finish(streamStalledError(endpoint, stallMs));
    destroyRequest();
  });
  const finish = (error?: Error): void => {
    if (finished) return;
    finished = true;
    stall.stop();
    signal?.removeEventListener('abort', onAbort);
    res.off('data', onData);
    if (out.destroyed) return;
    if (error === undefined) out.push(null);
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
  if (!finished) res.on('data', onData);
  return out;
}

/**
 * Calls `onStall` when no byte arrived for `stallMs` while the stream was flowing. Time spent paused
 * by backpressure (a reader, such as the viewer, that is not asking for more) does not count.
 */
function watchStall(res: IncomingMessage, stallMs: number, onStall: () => void): { stop: () => void } {
  if (stallMs <= 0) return { stop: () => undefined };
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(onStall, stallMs);
  };
  const disarm = (): void => clearTimeout(timer);
  res.on('data', arm);
  res.on('resume', arm);
  res.on('pause', disarm);
  arm();
  return {
    stop: () => {
      disarm();
      res.off('data', arm);
      res.off('resume', arm);
      res.off('pause', disarm);
    },
  };
}
