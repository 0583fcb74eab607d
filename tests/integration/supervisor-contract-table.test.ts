import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw, type Reply } from '../helpers/raw-http';
import { createEmulator, type Emulator } from '../../src/emulator/emulator';
import type { SupervisorClient } from '../../src/supervisor/api';
import { createSupervisorClient } from '../../src/supervisor/client';
import { SupervisorResponseError } from '../../src/supervisor/errors';

// The contract table: each row is one request, what the real Supervisor does (with the source that
// says so: home-assistant/supervisor, paths under supervisor/), what the emulator answers, and how our
// client reads it. A row that drifts from the real one fails here.

const CHECK_LOG = "Testing configuration at /config\nFailed config\n  automation:\n    - required key 'triggers' not provided\n";
const TOKEN = 'contract-token';
const AUTH = { Authorization: `Bearer ${TOKEN}` };
const envelopeError = (message: string): string => JSON.stringify({ result: 'error', message });
/** The error a promise rejects with (fails when it resolves). */
const catchError = (promise: Promise<unknown>): Promise<Error> =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as Error,
  );

interface Row {
  readonly request: string;
  readonly real: string;
  readonly send: { method: string; path: string; headers?: Record<string, string>; body?: string };
  readonly setup?: (e: Emulator) => void;
  readonly emulator: (reply: Reply) => void;
  readonly client: (c: SupervisorClient) => Promise<void>;
}

const ROWS: readonly Row[] = [
  {
    request: 'GET /info, no token, while starting',
    real: 'readiness before the token: api/__init__.py:73-77 (middleware order), api/middleware/security.py:294-304',
    setup: (e) => (e.state.state = 'setup'),
    send: { method: 'GET', path: '/info', headers: {} },
    emulator: (r) => expect(r).toMatchObject({ status: 400, body: envelopeError('System is not ready with state: setup') }),
    client: async (c) => expect((await catchError(c.info())).message).toBe('The Supervisor is still starting (state: setup)'),
  },
  {
    request: 'GET /supervisor/ping while starting',
    real: 'system_validation covers ping too; only the token check skips it: security.py:164-170, 294-304',
    setup: (e) => (e.state.state = 'setup'),
    send: { method: 'GET', path: '/supervisor/ping', headers: {} },
    emulator: (r) => expect(r.status).toBe(400),
    client: async (c) => expect(await c.ping()).toBe(false),
  },
  {
    request: 'GET /info, Authorization: Token <t>',
    real: 'token = last space-separated word of Authorization, any scheme: api/utils.py:86-87',
    send: { method: 'GET', path: '/info', headers: { Authorization: `Token ${TOKEN}` } },
    emulator: (r) => expect(r.status).toBe(200),
    client: async (c) => expect((await c.info()).data['supervisor']).toBe('2026.08.1'),
  },
  {
    request: 'GET /info, X-Supervisor-Token right, Authorization wrong',
    real: 'X-Supervisor-Token, then X-Hassio-Key, then Authorization: api/utils.py:76-89',
    send: { method: 'GET', path: '/info', headers: { 'X-Supervisor-Token': TOKEN, Authorization: 'Bearer wrong' } },
    emulator: (r) => expect(r.status).toBe(200),
    client: async (c) => expect((await c.info()).data).toHaveProperty('hostname'),
  },
  {
    request: 'POST /host/reboot {"force":true,"now":1}',
    real: "vol.Schema rejects extra keys; humanize_error text: api/host.py:113-117, 201-207, api/utils.py:246-257",
    send: { method: 'POST', path: '/host/reboot', body: '{"force":true,"now":1}' },
    emulator: (r) => expect(r).toMatchObject({ status: 400, body: envelopeError("extra keys not allowed @ data['now']. Got 1") }),
    client: async (c) => expect((await catchError(c.call('POST', '/host/reboot', { force: true, now: 1 }))).message).toBe("extra keys not allowed @ data['now']. Got 1"),
  },
  {
    request: 'POST /core/stop {"force":"maybe"}',
    real: 'force is vol.Boolean(): api/homeassistant.py:78-82, 199-205',
    send: { method: 'POST', path: '/core/stop', body: '{"force":"maybe"}' },
    emulator: (r) => expect(r.body).toBe(envelopeError("expected boolean for dictionary value @ data['force']. Got 'maybe'")),
    client: async (c) => expect((await catchError(c.call('POST', '/core/stop', { force: 'maybe' }))).message).toBe("expected boolean for dictionary value @ data['force']. Got 'maybe'"),
  },
  {
    request: 'GET /core/stats, Core stopped',
    real: 'DockerError "Container homeassistant is not running", logged with a traceback: docker/manager.py:1024-1026, homeassistant/core.py:540-545, api/utils.py:118-122',
    setup: (e) => (e.state.coreRunning = false),
    send: { method: 'GET', path: '/core/stats' },
    emulator: (r) => expect(r).toMatchObject({ status: 400, body: envelopeError('Container homeassistant is not running') }),
    client: async (c) => expect((await catchError(c.coreStats())).message).toBe('Container homeassistant is not running'),
  },
  {
    request: 'POST /core/check, invalid config',
    real: 'APIError(result.log): the whole check output: api/homeassistant.py:232-237, homeassistant/core.py:566-594',
    setup: (e) => (e.state.checkLog = CHECK_LOG),
    send: { method: 'POST', path: '/core/check' },
    emulator: (r) => expect(r).toMatchObject({ status: 400, body: envelopeError(CHECK_LOG) }),
    client: async (c) => {
      const error = await catchError(c.call('POST', '/core/check'));
      expect(error).toBeInstanceOf(SupervisorResponseError);
      expect((error as SupervisorResponseError).detail).toBe(CHECK_LOG);
    },
  },
  {
    request: 'GET /network/interface/default/info',
    real: '`default` = the primary interface: api/network.py:192-206, 226-231',
    send: { method: 'GET', path: '/network/interface/default/info' },
    emulator: (r) => expect(JSON.parse(r.body)).toMatchObject({ result: 'ok', data: { primary: true } }),
    client: async (c) => expect((await c.call('GET', '/network/interface/default/info')).data).toMatchObject({ primary: true }),
  },
  {
    request: 'GET /network/interface/nope0/info',
    real: 'APINotFound (404, JSON): api/network.py:206, exceptions.py:76-79',
    send: { method: 'GET', path: '/network/interface/nope0/info' },
    emulator: (r) => expect(r).toMatchObject({ status: 404, body: envelopeError('Interface nope0 does not exist') }),
    client: async (c) => expect((await catchError(c.call('GET', '/network/interface/nope0/info'))).message).toBe('Interface nope0 does not exist'),
  },
  {
    request: 'GET /supervisor/stats and /dns/stats',
    real: 'routes: api/__init__.py:531, 893; fields: api/supervisor.py:241-250, api/dns.py:84-93',
    send: { method: 'GET', path: '/dns/stats' },
    emulator: (r) => expect(JSON.parse(r.body)).toMatchObject({ result: 'ok', data: { cpu_percent: expect.any(Number), memory_usage: expect.any(Number) } }),
    client: async (c) => expect((await c.call('GET', '/supervisor/stats')).data).toHaveProperty('memory_limit'),
  },
  {
    request: 'GET /host/logs/boots',
    real: 'offsets from the oldest to 0: api/host.py:237-246',
    send: { method: 'GET', path: '/host/logs/boots' },
    emulator: (r) => expect(r.body).toMatch(/^\{"result":"ok","data":\{"boots":\{"-2":"[0-9a-f]{32}","-1":"[0-9a-f]{32}","0":"[0-9a-f]{32}"\}\}\}$/),
    client: async (c) => expect((await c.call('GET', '/host/logs/boots')).data).toHaveProperty(['boots', '0']),
  },
  {
    request: 'GET /host/logs/identifiers',
    real: 'api/host.py:248-251',
    send: { method: 'GET', path: '/host/logs/identifiers' },
    emulator: (r) => expect(JSON.parse(r.body)).toMatchObject({ data: { identifiers: expect.arrayContaining(['kernel']) } }),
    client: async (c) => expect((await c.call('GET', '/host/logs/identifiers')).data).toHaveProperty('identifiers'),
  },
  {
    request: 'GET /core/logs?lines=abc',
    real: 'a non-number counts as 100, never an error: api/host.py:314-320',
    send: { method: 'GET', path: '/core/logs?lines=abc', headers: { ...AUTH, Accept: 'text/plain' } },
    emulator: (r) => expect(r.body.trim().split('\n')).toHaveLength(100),
    client: async (c) => expect(await readAll(await c.openLogs({ service: 'core', follow: false, verbose: false, lines: 100 }))).toHaveLength(100),
  },
  {
    request: 'GET /core/logs?lines=1',
    real: 'at least 2 lines: api/host.py:321-326',
    send: { method: 'GET', path: '/core/logs?lines=1', headers: { ...AUTH, Accept: 'text/plain' } },
    emulator: (r) => expect(r.body.trim().split('\n')).toHaveLength(2),
    client: async (c) => expect(await readAll(await c.openLogs({ service: 'core', follow: false, verbose: false, lines: 1 }))).toHaveLength(2),
  },
  {
    request: 'GET /host/logs/latest',
    real: 'no /latest for the host (api/__init__.py:222-259); services have it (api/__init__.py:192-201)',
    send: { method: 'GET', path: '/host/logs/latest' },
    emulator: (r) => expect(r).toMatchObject({ status: 404, body: '404: Not Found' }),
    client: async (c) => expect((await catchError(c.call('GET', '/host/logs/latest'))).message).toMatch(/does not know \/host\/logs\/latest \(404: Not Found\)/),
  },
  {
    request: 'GET /host/logs/identifiers/kernel',
    real: 'identifier routes are plain by default (no default_verbose): api/__init__.py:238-242',
    send: { method: 'GET', path: '/host/logs/identifiers/kernel?lines=2', headers: { ...AUTH, Accept: '*/*' } },
    emulator: (r) => expect(r.body).not.toMatch(/^\d{4}-\d\d-\d\d /m),
    client: async (c) => expect((await readAll(await c.openLogs({ service: 'host', follow: false, verbose: false, identifier: 'kernel', lines: 2 })))[0]).toMatch(/^eth0: Link is Up/),
  },
];

async function readAll(stream: NodeJS.ReadableStream): Promise<string[]> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text.trim().split('\n');
}

describe('contract table: real Supervisor, emulator, client', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await createEmulator({ token: TOKEN, historyLines: { core: 150 } });
  });
  afterAll(() => emulator.close());

  it.each(ROWS.map((row) => [row.request, row] as const))('%s', async (_name, row) => {
    expect(row.real).toMatch(/\.py:\d+/);
    emulator.state.state = 'running';
    emulator.state.coreRunning = true;
    emulator.state.checkLog = undefined;
    row.setup?.(emulator);
    row.emulator(await raw(emulator.url, row.send.method, row.send.path, row.send.headers ?? AUTH, row.send.body));
    await row.client(createSupervisorClient({ endpoint: emulator.url, token: TOKEN }));
  });

  it('log headers come with the first entry: a follow with no history has none until one arrives', async () => {
    const empty = await createEmulator({ token: TOKEN, historyLines: { core: 0 }, followIntervalMs: 50, followEndAfter: 1 });
    try {
      const reply = await raw(empty.url, 'GET', '/core/logs/follow', AUTH);
      // The cursor names the first NEW entry (index 0): the headers waited for it (api/host.py:343-352).
      expect(reply.headers['x-first-cursor']).toMatch(/;i=0$/);
      expect(reply.body.split('\n').filter((l) => l !== '')).toHaveLength(1);
    } finally {
      await empty.close();
    }
  });
});
