// Each core and host action sends exactly its method and path (and body) to the Supervisor, once, and no other request:
// a recording server on 127.0.0.1 answers every call with the API's ok envelope and keeps what came in.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runHa } from '../helpers/run-ha';

interface Seen {
  method: string;
  path: string;
  body: string;
}

const seen: Seen[] = [];
let server: Server;
let env: Record<string, string>;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', path: req.url ?? '', body });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ result: 'ok', data: {} }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  env = { SUPERVISOR_ENDPOINT: `http://127.0.0.1:${port}`, SUPERVISOR_TOKEN: 'test-token-not-secret', NO_COLOR: '1' };
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen.length = 0;
});

const ACTIONS: ReadonlyArray<readonly [args: readonly string[], method: string, path: string, body: unknown]> = [
  [['core', 'info'], 'GET', '/core/info', undefined],
  [['core', 'stats'], 'GET', '/core/stats', undefined],
  [['core', 'start'], 'POST', '/core/start', undefined],
  [['core', 'stop'], 'POST', '/core/stop', undefined],
  [['core', 'stop', '--force'], 'POST', '/core/stop', { force: true }],
  [['core', 'restart'], 'POST', '/core/restart', undefined],
  [['core', 'restart', '--safe-mode'], 'POST', '/core/restart', { safe_mode: true }],
  [['core', 'check'], 'POST', '/core/check', undefined],
  [['host', 'info'], 'GET', '/host/info', undefined],
  [['host', 'reboot'], 'POST', '/host/reboot', undefined],
  [['host', 'shutdown'], 'POST', '/host/shutdown', undefined],
];

describe('core and host actions on the wire', () => {
  for (const [args, method, path, body] of ACTIONS) {
    it(`ha ${args.join(' ')} sends ${method} ${path}${body === undefined ? '' : ` ${JSON.stringify(body)}`} and nothing else`, async () => {
      const run = await runHa(args, { env });
      expect(run.code, run.stderr).toBe(0);
      const requests = seen;
      expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([`${method} ${path}`]);
      const sent = requests[0]?.body ?? '';
      if (body === undefined) expect(sent === '' || sent === '{}').toBe(true);
      else expect(JSON.parse(sent)).toEqual(body);
    });
  }
});
