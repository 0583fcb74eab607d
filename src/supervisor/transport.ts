import * as http from 'node:http';

/** One HTTP request as the client sends it (no keep-alive: see open below). */
export interface OutgoingRequest {
  readonly url: URL;
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/**
 * Sends a request and resolves with the response as soon as its headers arrive.
 * Each call opens its own connection (`agent: false`): a reused keep-alive socket that the server
 * closed meanwhile fails with ECONNRESET, which `host reboot` would misread as "rebooting".
 * `signal` aborts it at any point; the returned promise then rejects with the abort error.
 * node:https (and with it tls, ~1 MiB of RSS) is loaded only for an https endpoint: the Supervisor is
 * plain http, and the idle console polls it.
 */
export async function openResponse(request: OutgoingRequest, signal: AbortSignal | undefined): Promise<{ req: http.ClientRequest; res: http.IncomingMessage }> {
  const lib: Pick<typeof http, 'request'> = request.url.protocol === 'https:' ? await import('node:https') : http;
  return new Promise((resolve, reject) => {
    const headers = { ...request.headers };
    if (request.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(request.body));
    }
    const options: http.RequestOptions = { method: request.method, headers, agent: false };
    if (signal !== undefined) options.signal = signal;
    const req = lib.request(request.url, options, (res) => resolve({ req, res }));
    req.once('error', reject);
    req.end(request.body);
  });
}

/** Reads a whole (small) body as UTF-8, keeping at most `maxBytes`. */
export function readBody(res: http.IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      if (size < maxBytes) chunks.push(chunk.subarray(0, maxBytes - size));
      size += chunk.length;
    });
    res.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.once('error', reject);
  });
}

/** Joins the base endpoint and an API path (`/core/info`). */
export function apiUrl(endpoint: string, path: string): URL {
  return new URL(endpoint.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`));
}

/** The caller's signal and a timeout in one; `timedOut()` tells which fired. */
export function combineSignals(caller: AbortSignal | undefined, timeoutMs: number): { signal: AbortSignal | undefined; timedOut: () => boolean; dispose: () => void } {
  if (timeoutMs <= 0) return { signal: caller, timedOut: () => false, dispose: () => undefined };
  const timer = new AbortController();
  const handle = setTimeout(() => timer.abort(), timeoutMs);
  const signal = caller === undefined ? timer.signal : AbortSignal.any([caller, timer.signal]);
  return {
    signal,
    timedOut: () => timer.signal.aborted && caller?.aborted !== true,
    dispose: () => clearTimeout(handle),
  };
}
