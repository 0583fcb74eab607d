import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSupervisorClient } from '../../src/supervisor/client';

// The log stream's reader side: a reader that goes away (a viewer that quit) closes the connection to an
// endless follow stream (backpressure itself: supervisor-logs.test.ts).

let server: Server;
let url: string;
const closed: Array<Promise<void>> = [];

function endless(req: IncomingMessage, res: ServerResponse): void {
  closed.push(new Promise((resolve) => res.once('close', resolve)));
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  const line = Buffer.from(`${'x'.repeat(99)}\n`);
  const pump = (): void => {
    while (!res.destroyed) {
      if (!res.write(line)) {
        res.once('drain', pump);
        return;
      }
    }
  };
  pump();
}

beforeAll(async () => {
  server = createServer(endless);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('the reader of a log stream', () => {
  it('destroying the stream closes the connection to the Supervisor', async () => {
    const client = createSupervisorClient({ endpoint: url, token: 'tok' });
    const stream = await client.openLogs({ service: 'core', follow: true, verbose: false });
    const first = await new Promise<Buffer>((resolve) => stream.once('data', resolve));
    expect(first.toString('latin1').startsWith('x'.repeat(99))).toBe(true);
    (stream as unknown as { destroy(): void }).destroy();
    await closed[closed.length - 1];
    expect(closed.length).toBe(1);
  });

});
