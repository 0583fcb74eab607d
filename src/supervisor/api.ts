/**
 * The typed surface of the Supervisor client that commands use (implementation: ./client.ts).
 * Every call resolves to the envelope's `data` plus the raw body (for `--raw-json`), or rejects with
 * a HaError whose message is one honest line and whose hint is the next step (see ./errors.ts).
 */

/** Services with log endpoints (`/<service>/logs`); `core` maps to the `homeassistant` journal identifier. */
export type LogService = 'core' | 'supervisor' | 'dns' | 'host' | 'audio' | 'multicast';

/** Options of one logs call, as the `ha` CLI flags give them. */
export interface LogsRequest {
  readonly service: LogService;
  readonly follow: boolean;
  /** `-n N`: sent as `Range: entries=:-(N-1):`. Undefined = Supervisor default (last 100). */
  readonly lines?: number;
  /** `-b`: boot offset (`0`, `-1`, `3`) or boot id. */
  readonly boot?: string;
  /** `-v`: `Accept: text/x-log` instead of `text/plain`. */
  readonly verbose: boolean;
  /** host only: `-t` journal identifier. */
  readonly identifier?: string;
  /** Ask the Supervisor to strip ANSI colours (`?no_colors`): output is not a colour terminal. */
  readonly noColors?: boolean;
}

/** Per-call options. */
export interface CallOptions {
  /** Cancels the call (Ctrl-C). */
  readonly signal?: AbortSignal;
  /** Overrides the default timeout (30 s); 0 = none. Log streams: bounds the wait for the headers (default none). */
  readonly timeoutMs?: number;
  /** Log streams without follow: how long the body may stall before it errors (default LOG_STALL_TIMEOUT_MS). */
  readonly stallMs?: number;
}

/** A decoded envelope: `data` validated, `body` verbatim. */
export interface ApiResult<T> {
  readonly data: T;
  readonly body: string;
}

/** Any JSON value, for data shown as-is (info dumps). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** `GET /network/info` interface entry (fields the console uses; the rest stays in the raw data). */
export interface NetworkInterfaceInfo {
  readonly interface: string;
  readonly type: string;
  readonly enabled: boolean;
  readonly connected: boolean;
  readonly primary: boolean;
  readonly ipv4: { readonly address: readonly string[] } | null;
  readonly ipv6: { readonly address: readonly string[] } | null;
}

/** `GET /auth/list` user entry. */
export interface SupervisorAuthUser {
  readonly username: string;
  readonly name: string;
  readonly is_owner: boolean;
  readonly is_active: boolean;
  readonly local_only: boolean;
  readonly group_ids: readonly string[];
}

/** The client commands talk to. */
export interface SupervisorClient {
  /** Base URL in use (for messages). */
  readonly endpoint: string;
  /** Docker's socket on this host when the client runs on a HAOS host (Core's state without asking the Supervisor). */
  readonly dockerSocket?: string | undefined;
  /** GET/POST/DELETE any JSON endpoint; `data` is returned unvalidated as JSON. */
  call(method: 'GET' | 'POST' | 'DELETE', path: string, body?: Record<string, JsonValue>, options?: CallOptions): Promise<ApiResult<JsonValue>>;
  /** `GET /supervisor/ping` (no token needed): true when the Supervisor answers. */
  ping(options?: CallOptions): Promise<boolean>;
  /** `GET /info`: supervisor, homeassistant, hassos, hostname, machine, arch, state, ... */
  info(options?: CallOptions): Promise<ApiResult<{ [key: string]: JsonValue }>>;
  /** `GET /core/info`. */
  coreInfo(options?: CallOptions): Promise<ApiResult<{ [key: string]: JsonValue }>>;
  /** `GET /core/stats`: rejects when Core's container is not running. */
  coreStats(options?: CallOptions): Promise<ApiResult<{ [key: string]: JsonValue }>>;
  /** `GET /network/info`, interfaces validated. */
  networkInfo(options?: CallOptions): Promise<ApiResult<{ interfaces: NetworkInterfaceInfo[]; [key: string]: JsonValue | NetworkInterfaceInfo[] }>>;
  /** `GET /auth/list`. */
  authList(options?: CallOptions): Promise<ApiResult<{ users: SupervisorAuthUser[] }>>;
  /** `POST /auth/reset` {username, password}. */
  authReset(username: string, password: string, options?: CallOptions): Promise<ApiResult<JsonValue>>;
  /** `DELETE /auth/cache`. */
  authCacheClear(options?: CallOptions): Promise<ApiResult<JsonValue>>;
  /** `POST /host/reboot` or `/host/shutdown` {force?}; 90 s timeout; a dropped connection counts as success. */
  hostPower(action: 'reboot' | 'shutdown', force: boolean, options?: CallOptions): Promise<ApiResult<JsonValue>>;
  /**
   * Opens a log stream (`GET /<service>/logs[...][/follow]`), resolving once the status is 200.
   * The stream emits raw bytes as they arrive (never buffered whole), has no timeout, ends when the
   * Supervisor ends it, and errors with a HaError when the connection is cut mid-stream.
   * Aborting `signal` destroys it quietly.
   */
  openLogs(request: LogsRequest, options?: CallOptions): Promise<NodeJS.ReadableStream>;
}
