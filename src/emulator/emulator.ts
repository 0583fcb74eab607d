import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { hostname as osHostname } from 'node:os';
import { DEFAULT_HISTORY_LINES, DEFAULT_FOLLOW_INTERVAL_MS, type EmulatorContext, type EmulatorOptions, type EmulatorState } from './options';
import { defaultLogGenerator } from './log-generator';
import { route } from './router';
import { sendText } from './respond';

export type { EmulatorOptions, EmulatorState } from './options';

/** A running emulator. */
export interface Emulator {
  /** Base URL, e.g. `http://127.0.0.1:41234` (`http://172.30.32.2` on port 80). */
  readonly url: string;
  /** The token it accepts now (`state.token`). */
  readonly token: string;
  /** Live state (Core running, Supervisor state, power requests...), mutable by tests. */
  readonly state: EmulatorState;
  /** Stops listening and cuts every open connection (follow streams included). */
  close(): Promise<void>;
}

/** Boots the emulated journal knows (current, previous, the one before). */
const BOOT_COUNT = 3;

/** Starts a Supervisor API emulator on 127.0.0.1, or `options.host` (contract: shared reference supervisor-api.md). */
export async function createEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const state: EmulatorState = {
    token: options.token ?? randomBytes(24).toString('hex'),
    coreRunning: options.coreRunning ?? true,
    state: options.state ?? 'running',
    power: options.power ?? 'reply',
    powerRequests: [],
    authCacheClears: 0,
    checkLog: options.checkLog,
    requests: [],
  };
  const context: EmulatorContext = {
    hostname: options.hostname ?? osHostname(),
    state,
    auth: options.auth,
    generator: options.logGenerator ?? defaultLogGenerator,
    historyLines: (service) => options.historyLines?.[service] ?? DEFAULT_HISTORY_LINES,
    followEndAfter: options.followEndAfter,
    followIntervalMs: options.followIntervalMs ?? DEFAULT_FOLLOW_INTERVAL_MS,
    bootIds: Array.from({ length: BOOT_COUNT }, () => randomBytes(16).toString('hex')),
    startedAtMs: Date.now(),
  };
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const line = `${req.method ?? ''} ${(req.url ?? '/').split('?')[0] ?? '/'}`;
    state.requests.push(line);
    options.onRequest?.(line);
    route(req, res, context).catch(() => {
      if (!res.headersSent) sendText(res, 500, '500: Internal Server Error');
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  return {
    url: port === 80 ? `http://${address}` : `http://${address}:${port}`,
    get token() {
      return state.token;
    },
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
