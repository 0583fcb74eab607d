import type { ApiResult, CallOptions, JsonValue, SupervisorClient } from './api';
import { decodeAuthList, decodeNetworkInfo, decodeObject } from './decode';
import { openLogStream } from './logs-stream';
import { type Connection, requestJson } from './request';
import { POWER_TIMEOUT_MS } from './timeouts';

export { DEFAULT_TIMEOUT_MS, POWER_TIMEOUT_MS } from './timeouts';

/** Where the client connects: endpoint as normalized by config (`http://supervisor`), token or none. */
export interface SupervisorClientOptions {
  readonly endpoint: string;
  readonly token: string | undefined;
  /** Re-reads the token after a 401/403 (set when it came from the CLI plugin's token file). */
  readonly reloadToken?: (() => string | undefined) | undefined;
  /** Docker's socket on this host, when there is one: Core's state is read there, not from the Supervisor. */
  readonly dockerSocket?: string | undefined;
}

const asIs = (data: JsonValue): JsonValue => data;

/** Creates the Supervisor API client over node:http (no fetch: its start-up cost matters on a console). */
export function createSupervisorClient(options: SupervisorClientOptions): SupervisorClient {
  const connection: Connection = { endpoint: options.endpoint.replace(/\/+$/, ''), token: options.token, reloadToken: options.reloadToken };
  const get = <T>(path: string, decode: (data: JsonValue) => T, call: CallOptions = {}): Promise<ApiResult<T>> =>
    requestJson(connection, { method: 'GET', path, decode, signal: call.signal, timeoutMs: call.timeoutMs });
  return {
    endpoint: connection.endpoint,
    dockerSocket: options.dockerSocket,
    call: (method, path, body, call = {}) => requestJson(connection, { method, path, body, decode: asIs, signal: call.signal, timeoutMs: call.timeoutMs }),
    ping: async (call = {}) => {
      try {
        await get('/supervisor/ping', asIs, call);
        return true;
      } catch (error) {
        if (call.signal?.aborted === true) throw error;
        return false;
      }
    },
    info: (call) => get('/info', decodeObject, call),
    coreInfo: (call) => get('/core/info', decodeObject, call),
    coreStats: (call) => get('/core/stats', decodeObject, call),
    networkInfo: (call) => get('/network/info', decodeNetworkInfo, call),
    authList: (call) => get('/auth/list', decodeAuthList, call),
    authReset: (username, password, call = {}) =>
      requestJson(connection, { method: 'POST', path: '/auth/reset', body: { username, password }, decode: asIs, signal: call.signal, timeoutMs: call.timeoutMs }),
    authCacheClear: (call = {}) => requestJson(connection, { method: 'DELETE', path: '/auth/cache', decode: asIs, signal: call.signal, timeoutMs: call.timeoutMs }),
    hostPower: (action, force, call = {}) =>
      requestJson(connection, {
        method: 'POST',
        path: `/host/${action}`,
        body: force ? { force: true } : {},
        decode: asIs,
        signal: call.signal,
        timeoutMs: call.timeoutMs ?? POWER_TIMEOUT_MS,
        droppedMeansSuccess: true,
      }),
    openLogs: (request, call) => openLogStream(connection, request, call),
  };
}
