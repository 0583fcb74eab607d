import type { ServerResponse } from 'node:http';
import type { JsonValue } from '../supervisor/api';

/** 200 `{"result":"ok","data":...}`. */
export function sendOk(res: ServerResponse, data: JsonValue = {}): void {
  sendJson(res, 200, { result: 'ok', data });
}

/** 200 with `data` given as JSON text (when key order matters: JS objects put integer-like keys first). */
export function sendOkJsonText(res: ServerResponse, dataJson: string): void {
  const text = `{"result":"ok","data":${dataJson}}`;
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** An API error envelope (400 by default), as the Supervisor's api_process sends it. */
export function sendError(res: ServerResponse, message: string, options: { status?: number; errorKey?: string; extra?: { [key: string]: JsonValue } } = {}): void {
  const body: { [key: string]: JsonValue } = { result: 'error', message };
  if (options.errorKey !== undefined) body['error_key'] = options.errorKey;
  if (options.extra !== undefined) body['extra_fields'] = options.extra;
  sendJson(res, options.status ?? 400, body);
}

/** A plain-text answer (framework errors `404: Not Found`, log endpoint errors). */
export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendJson(res: ServerResponse, status: number, body: JsonValue): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
