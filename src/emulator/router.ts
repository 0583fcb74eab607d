import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleCoreAction, handleCoreCheck, handlePower } from './actions';
import { handleAuthList, handleAuthReset } from './auth';
import { containerStats, coreInfo, coreStats, dnsInfo, hostInfo, interfaceInfo, networkInfo, supervisorInfo, systemInfo } from './info';
import { HOST_IDENTIFIERS } from './log-generator';
import { LOGS_ROUTE, handleLogs } from './logs';
import type { EmulatorContext } from './options';
import { sendError, sendOk, sendOkJsonText, sendText } from './respond';

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, match: RegExpExecArray, context: EmulatorContext) => void | Promise<void>;

interface Route {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly pattern: RegExp;
  readonly handle: Handler;
}

/** Core's stats while its container is stopped: supervisor/docker/manager.py:1024-1026, message via api/utils.py:118-122. */
export const CORE_NOT_RUNNING = 'Container homeassistant is not running';

const ROUTES: readonly Route[] = [
  { method: 'GET', pattern: /^\/info$/, handle: (_q, res, _u, _m, c) => sendOk(res, systemInfo(c)) },
  { method: 'GET', pattern: /^\/host\/info$/, handle: (_q, res, _u, _m, c) => sendOk(res, hostInfo(c)) },
  { method: 'GET', pattern: /^\/core\/info$/, handle: (_q, res) => sendOk(res, coreInfo()) },
  { method: 'GET', pattern: /^\/core\/stats$/, handle: (_q, res, _u, _m, c) => (c.state.coreRunning ? sendOk(res, coreStats()) : sendError(res, CORE_NOT_RUNNING)) },
  { method: 'POST', pattern: /^\/core\/(start|stop|restart)$/, handle: (req, res, _u, m, c) => handleCoreAction(req, res, m[1] ?? '', c) },
  { method: 'POST', pattern: /^\/core\/check$/, handle: (_q, res, _u, _m, c) => handleCoreCheck(res, c) },
  { method: 'GET', pattern: /^\/supervisor\/info$/, handle: (_q, res) => sendOk(res, supervisorInfo()) },
  { method: 'GET', pattern: /^\/supervisor\/stats$/, handle: (_q, res) => sendOk(res, containerStats(310_000_000)) },
  { method: 'GET', pattern: /^\/dns\/info$/, handle: (_q, res) => sendOk(res, dnsInfo()) },
  { method: 'GET', pattern: /^\/dns\/stats$/, handle: (_q, res) => sendOk(res, containerStats(24_000_000)) },
  { method: 'GET', pattern: /^\/network\/info$/, handle: (_q, res) => sendOk(res, networkInfo()) },
  { method: 'GET', pattern: /^\/network\/interface\/([^/]+)\/info$/, handle: (_q, res, _u, m) => sendInterface(res, decodeURIComponent(m[1] ?? '')) },
  { method: 'POST', pattern: /^\/host\/(reboot|shutdown)$/, handle: (req, res, _u, m, c) => handlePower(req, res, m[1] ?? '', c) },
  { method: 'GET', pattern: /^\/auth\/list$/, handle: (_q, res, _u, _m, c) => handleAuthList(res, c) },
  { method: 'POST', pattern: /^\/auth\/reset$/, handle: (req, res, _u, _m, c) => handleAuthReset(req, res, c) },
  { method: 'DELETE', pattern: /^\/auth\/cache$/, handle: (_q, res, _u, _m, c) => { c.state.authCacheClears += 1; sendOk(res); } },
  // Offsets from the oldest ("-2") to this boot ("0"), in that order: supervisor/api/host.py:237-246.
  { method: 'GET', pattern: /^\/host\/logs\/boots$/, handle: (_q, res, _u, _m, c) => sendOkJsonText(res, bootsJson(c.bootIds)) },
  { method: 'GET', pattern: /^\/host\/logs\/identifiers$/, handle: (_q, res) => sendOk(res, { identifiers: [...HOST_IDENTIFIERS].sort() }) },
  { method: 'GET', pattern: LOGS_ROUTE, handle: handleLogs },
];

/** `{"boots":{"-2":...,"-1":...,"0":...}}` in the Supervisor's order (bootIds[0] is this boot). */
function bootsJson(bootIds: readonly string[]): string {
  const pairs = bootIds.map((id, i) => `${JSON.stringify(String(-i))}:${JSON.stringify(id)}`).reverse();
  return `{"boots":{${pairs.join(',')}}}`;
}

/** One interface, or the API's 404 (APINotFound is a JSON error: supervisor/exceptions.py:76-79, api/network.py:206). */
function sendInterface(res: ServerResponse, name: string): void {
  const found = interfaceInfo(name);
  if (found === undefined) return sendError(res, `Interface ${name} does not exist`, { status: 404 });
  sendOk(res, found);
}


/**
 * Serves one request in the Supervisor's middleware order (supervisor/api/__init__.py:73-77):
 * readiness for every path, ping included (api/middleware/security.py:294-304), then the token
 * (security.py:320-329; ping needs none, security.py:164-170), then the route table (404/405 as plain text).
 */
export async function route(req: IncomingMessage, res: ServerResponse, context: EmulatorContext): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://supervisor');
  const path = url.pathname.replace(/^\/homeassistant\//, '/core/');
  if (context.state.state !== 'running') return sendError(res, `System is not ready with state: ${context.state.state}`);
  if (path === '/supervisor/ping' && req.method === 'GET') return sendOk(res);
  const token = presentedToken(req);
  if (token === undefined) return sendText(res, 401, '401: Unauthorized');
  if (!sameSecret(token, context.state.token)) return sendText(res, 403, '403: Forbidden');
  const candidates = ROUTES.map((r) => ({ r, match: r.pattern.exec(path) })).filter((c) => c.match !== null);
  const chosen = candidates.find((c) => c.r.method === req.method);
  if (chosen?.match) return chosen.r.handle(req, res, url, chosen.match, context);
  return candidates.length > 0 ? sendText(res, 405, '405: Method Not Allowed') : sendText(res, 404, '404: Not Found');
}

/**
 * The token as supervisor/api/utils.py:76-89 `extract_supervisor_token` takes it: `X-Supervisor-Token`,
 * then the legacy `X-Hassio-Key`, then the last space-separated word of `Authorization`, any scheme.
 */
export function presentedToken(req: IncomingMessage): string | undefined {
  for (const name of ['x-supervisor-token', 'x-hassio-key']) {
    const value = req.headers[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  const authorization = req.headers['authorization'];
  if (authorization === undefined || authorization === '') return undefined;
  const word = authorization.split(' ').at(-1) ?? '';
  return word === '' ? undefined : word;
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
