import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HaError } from '../../src/errors/ha-error';
import type { LogsRequest } from '../../src/supervisor/api';
import { createSupervisorClient } from '../../src/supervisor/client';
import { probeCoreRunning } from '../../src/supervisor/core-state';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await new Promise((resolve) => server.close(resolve));
  return url;
}

async function failure(promise: Promise<unknown>): Promise<HaError> {
  const error: unknown = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(HaError);
  const ha = error as HaError;
  expect(ha.message).not.toContain('\n');
  expect(ha.message).not.toContain('[object');
  expect(ha.message).not.toMatch(/^Error:|\(\S+:\d+:\d+\)/);
  expect(ha.hint ?? '').not.toBe('');
  return ha;
}

const client = (endpoint: string) => createSupervisorClient({ endpoint, token: 'secret' });
const logs: LogsRequest = { service: 'core', follow: true, verbose: false };

describe('client against misbehaving servers', () => {
  it('connection refused', async () => {
    const url = await closedPort();
    const error = await failure(client(url).info());
    expect(error.message).toBe(`Cannot reach the Supervisor at ${url} (connection refused)`);
    expect(await client(url).ping()).toBe(false);
    await failure(client(url).openLogs(logs));
  });

  it('a server that never answers times out', async () => {
    const url = await serve(() => undefined);
    const error = await failure(client(url).info({ timeoutMs: 200 }));
    expect(error.message).toBe(`The Supervisor at ${url} did not answer within 0.2 s`);
    const logsError = await failure(client(url).openLogs({ ...logs, follow: false }, { timeoutMs: 200 }));
    expect(logsError.message).toMatch(/did not answer within 0\.2 s/);
  });

  it('an HTML page', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html><body>Please log in to the Wi-Fi</body></html>');
    });
    const error = await failure(client(url).info());
    expect(error.message).toBe(`The Supervisor at ${url} answered with an HTML page, not the API`);
    expect(error.body).toContain('Wi-Fi');
  });

  it('401 plain text', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(401, { 'Content-Type': 'text/plain' });
      res.end('401: Unauthorized');
    });
    const error = await failure(client(url).authList());
    expect(error.message).toMatch(/refused the API token \(401: Unauthorized\)/);
    expect(error.hint).toMatch(/SUPERVISOR_TOKEN/);
    const logsError = await failure(client(url).openLogs(logs));
    expect(logsError.message).toMatch(/401/);
  });

  it('500 with a non-JSON body', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('500 Internal Server Error\n\nServer got itself in trouble');
    });
    const error = await failure(client(url).coreInfo());
    expect(error.message).toBe(`The Supervisor at ${url} failed with status 500: 500 Internal Server Error`);
    expect(error.body).toContain('trouble');
  });

  it('invalid JSON with status 200', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"result":"ok","data":{');
    });
    const error = await failure(client(url).info());
    expect(error.message).toMatch(/sent a reply that is not valid JSON for \/info/);
  });

  it('valid envelope with data of the wrong shape', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"result":"ok","data":{"interfaces":"eth0"}}');
    });
    const error = await failure(client(url).networkInfo());
    expect(error.message).toMatch(/does not understand for \/network\/info \(interfaces: expected a list, got a string\)/);
  });

  it('a log stream cut mid-way errors with one HaError after the lines already sent', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('first line\n');
      setTimeout(() => {
        res.write('second line\n');
        setTimeout(() => res.socket?.destroy(), 50);
      }, 50);
    });
    const stream = await client(url).openLogs(logs);
    let text = '';
    const error = await new Promise<unknown>((resolve) => {
      stream.on('data', (chunk) => {
        text += String(chunk);
      });
      stream.on('error', resolve);
      stream.on('end', () => resolve(undefined));
    });
    expect(text).toBe('first line\nsecond line\n');
    expect(error).toBeInstanceOf(HaError);
    expect((error as HaError).message).toBe('The log stream from the Supervisor was cut');
    expect((error as HaError).hint).toMatch(/run the command again/);
  });

  it('reboot: the connection dropped before a reply counts as success', async () => {
    const url = await serve((req) => {
      req.resume();
      req.on('end', () => req.socket.destroy());
    });
    const result = await client(url).hostPower('reboot', false);
    expect(result.body).toBe('');
  });

  it('core state from /core/info when the Supervisor sends one', async () => {
    const url = await serve((req, res) => {
      res.writeHead(req.url === '/core/info' ? 200 : 500, { 'Content-Type': 'application/json' });
      res.end(req.url === '/core/info' ? '{"result":"ok","data":{"state":"stopped"}}' : '{}');
    });
    expect(await probeCoreRunning(client(url))).toBe('stopped');
    expect(await probeCoreRunning(client(await closedPort()))).toBe('unknown');
  });
});
