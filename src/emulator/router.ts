import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleCoreAction, handlePower } from './actions';
import { handleAuthList, handleAuthReset } from './auth';
import { coreInfo, coreStats, dnsInfo, hostInfo, networkInfo, supervisorInfo, systemInfo } from './info';
import { HOST_IDENTIFIERS } from './log-generator';
import { LOGS_ROUTE, handleLogs } from './logs';
import type { EmulatorContext } from './options';
import { sendError, sendOk, sendText } from './respond';

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, match: RegExpExecArray, context: EmulatorContext) => void | Promise<void>;

interface Route {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly pattern: RegExp;
  readonly handle: Handler;
}

const ROUTES: readonly Route[] = [
  { method: 'GET', pattern: /^\/info$/, handle: (_q, res, _u, _m, c) => sendOk(res, systemInfo(c)) },
  { method: 'GET', pattern: /^\/host\/info$/, handle: (_q, res, _u, _m, c) => sendOk(res, hostInfo(c)) },
  { method: 'GET', pattern: /^\/core\/info$/, handle: (_q, res) => sendOk(res, coreInfo()) },
  { method: 'GET', pattern: /^\/core\/stats$/, handle: (_q, res, _u, _m, c) => (c.state.coreRunning ? sendOk(res, coreStats()) : sendError(res, "Can't read stats from homeassistant: Container homeassistant is not running")) },
  { method: 'POST', pattern: /^\/core\/(start|stop|restart)$/, handle: (req, res, _u, m, c) => handleCoreAction(req, res, m[1] ?? '', c) },
  { method: 'GET', pattern: /^\/supervisor\/info$/, handle: (_q, res) => sendOk(res, supervisorInfo()) },
  { method: 'GET', pattern: /^\/dns\/info$/, handle: (_q, res) => sendOk(res, dnsInfo()) },
  { method: 'GET', pattern: /^\/network\/info$/, handle: (_q, res) => sendOk(res, networkInfo()) },
  { method: 'POST', pattern: /^\/host\/(reboot|shutdown)$/, handle: (req, res, _u, m, c) => handlePower(req, res, m[1] ?? '', c) },
  { method: 'GET', pattern: /^\/auth\/list$/, handle: (_q, res, _u, _m, c) => handleAuthList(res, c) },
  { method: 'POST', pattern: /^\/auth\/reset$/, handle: (req, res, _u, _m, c) => handleAuthReset(req, res, c) },
  { method: 'DELETE', pattern: /^\/auth\/cache$/, handle: (_q, res, _u, _m, c) => { c.state.authCacheClears += 1; sendOk(res); } },
  { method: 'GET', pattern: /^\/host\/logs\/boots$/, handle: (_q, res, _u, _m, c) => sendOk(res, { boots: Object.fromEntries(c.bootIds.map((id, i) => [String(-i), id])) }) },
  { method: 'GET', pattern: /^\/host\/logs\/identifiers$/, handle: (_q, res) => sendOk(res, { identifiers: [...HOST_IDENTIFIERS].sort() }) },
  { method: 'GET', pattern: LOGS_ROUTE, handle: handleLogs },
];

/** Serves one request: ping, token check, readiness, then the route table (404/405 as plain text). */
export async function route(req: IncomingMessage, res: ServerResponse, context: EmulatorContext): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://supervisor');
  const path = url.pathname.replace(/^\/homeassistant\//, '/core/');
  if (path === '/supervisor/ping' && req.method === 'GET') return sendOk(res);
  const token = presentedToken(req);
  if (token === undefined) return sendText(res, 401, '401: Unauthorized');
  if (!sameSecret(token, context.token)) return sendText(res, 403, '403: Forbidden');
  if (context.state.state !== 'running') return sendError(res, `System is not ready with state: ${context.state.state}`);
  const candidates = ROUTES.map((r) => ({ r, match: r.pattern.exec(path) })).filter((c) => c.match !== null);
  const chosen = candidates.find((c) => c.r.method === req.method);
  if (chosen?.match) return chosen.r.handle(req, res, url, chosen.match, context);
  return candidates.length > 0 ? sendText(res, 405, '405: Method Not Allowed') : sendText(res, 404, '404: Not Found');
}

/** The token from `Authorization: Bearer`, `X-Supervisor-Token` or the legacy `X-Hassio-Key`. */
function presentedToken(req: IncomingMessage): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers['authorization'] ?? '');
  if (bearer) return bearer[1];
  const header = req.headers['x-supervisor-token'] ?? req.headers['x-hassio-key'];
  return typeof header === 'string' && header !== '' ? header : undefined;
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
