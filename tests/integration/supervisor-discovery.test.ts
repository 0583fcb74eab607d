import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { NoticeBoard } from '../../src/console/notice-board';
import { watchStateNotices, type Every } from '../../src/console/state-notices';
import { createDockerSocket } from '../../src/emulator/docker-socket';
import { createEmulator, type Emulator } from '../../src/emulator/emulator';
import { createSupervisorClient } from '../../src/supervisor/client';
import { discoverSupervisor } from '../../src/supervisor/discovery';
import { readCliToken } from '../../src/supervisor/token-file';
import { runHa } from '../helpers/run-ha';

const work = mkdtempSync(join(tmpdir(), 'ha-discovery-'));
const tokenFile = join(work, 'cli.json');
const config = (env: Record<string, string> = {}) => loadConfig({ HOME: work, HA_CONSOLE_CLI_TOKEN_FILE: tokenFile, ...env });

describe('finding the Supervisor', () => {
  it('takes the token from the environment as the Go CLI does: SUPERVISOR_API_TOKEN, then SUPERVISOR_TOKEN, then HASSIO_TOKEN', () => {
    expect(config({ SUPERVISOR_API_TOKEN: 'a', SUPERVISOR_TOKEN: 'b', HASSIO_TOKEN: 'c' }).supervisorToken).toBe('a');
    expect(config({ SUPERVISOR_TOKEN: 'b', HASSIO_TOKEN: 'c' }).supervisorToken).toBe('b');
    expect(config({ HASSIO_TOKEN: 'c' }).supervisorToken).toBe('c');
  });

  it('order: what was given, then the token file with 172.30.32.2, then http://supervisor', () => {
    writeFileSync(tokenFile, JSON.stringify({ access_token: 'from-file', other: 1 }));
    const c = config();
    expect(discoverSupervisor(c, { endpoint: undefined, token: undefined })).toMatchObject({ endpoint: 'http://172.30.32.2', token: 'from-file', source: 'host', configured: true });
    expect(discoverSupervisor(c, { endpoint: undefined, token: 'env' })).toMatchObject({ endpoint: 'http://172.30.32.2', token: 'env', reloadToken: undefined });
    // An endpoint someone typed never gets the plugin's token; the Supervisor's own address does.
    expect(discoverSupervisor(c, { endpoint: 'http://10.0.0.9', token: undefined })).toMatchObject({ endpoint: 'http://10.0.0.9', token: undefined, source: 'given', configured: true });
    expect(discoverSupervisor(c, { endpoint: 'http://172.30.32.2', token: undefined })).toMatchObject({ token: 'from-file' });
    const none = config({ HA_CONSOLE_CLI_TOKEN_FILE: join(work, 'missing.json') });
    expect(discoverSupervisor(none, { endpoint: undefined, token: undefined })).toMatchObject({ endpoint: 'http://supervisor', token: undefined, source: 'default', configured: false });
    expect(discoverSupervisor(none, { endpoint: undefined, token: 't' })).toMatchObject({ endpoint: 'http://supervisor', configured: true });
  });

  it('reads only a real token from the file', () => {
    for (const text of ['', 'not json', '{}', '{"access_token": ""}', '{"access_token": 5}', '[]']) {
      writeFileSync(tokenFile, text);
      expect(readCliToken(tokenFile)).toBeUndefined();
    }
    expect(readCliToken(join(work, 'missing.json'))).toBeUndefined();
  });
});

describe('the client against the Supervisor', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await createEmulator({ token: 'old-token' });
  });
  afterAll(() => emulator.close());

  it('re-reads the token file once after a refusal and retries once', async () => {
    writeFileSync(tokenFile, JSON.stringify({ access_token: 'old-token' }));
    let reads = 0;
    const reloadToken = (): string | undefined => {
      reads += 1;
      return readCliToken(tokenFile);
    };
    const client = createSupervisorClient({ endpoint: emulator.url, token: 'old-token', reloadToken });
    await client.info();
    // The CLI plugin restarted: a new token in the file and at the Supervisor.
    emulator.state.token = 'new-token';
    writeFileSync(tokenFile, JSON.stringify({ access_token: 'new-token' }));
    const before = emulator.state.requests.length;
    expect((await client.info()).data).toHaveProperty('supervisor');
    expect(reads).toBe(1);
    expect(emulator.state.requests.slice(before)).toEqual(['GET /info', 'GET /info']);
    const stream = await client.openLogs({ service: 'core', follow: false, verbose: false, lines: 2 }).catch((e: unknown) => e);
    expect(stream).not.toBeInstanceOf(Error);
    // A file that still has a refused token: one re-read, no loop, the 401 is reported.
    emulator.state.token = 'newer-token';
    await expect(client.info()).rejects.toThrow(/does not allow this token to call \/info \(403: Forbidden\)/);
    expect(reads).toBe(2);
    emulator.state.token = 'old-token';
  });

  it('a log body that stalls errors after the stall time instead of hanging', async () => {
    const server: Server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('first entry\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const stream = await createSupervisorClient({ endpoint: url, token: 't' }).openLogs({ service: 'core', follow: false, verbose: false }, { stallMs: 300 });
      let text = '';
      const error = await (async () => {
        for await (const chunk of stream) text += String(chunk);
      })().catch((e: unknown) => e as Error);
      expect(text).toBe('first entry\n');
      expect(error?.message).toBe('The log from the Supervisor stopped arriving (nothing for 0.3 s)');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('an idle console', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await createEmulator({ token: 'tok', coreRunning: false });
  });
  afterAll(() => emulator.close());

  /** A clock the test drives: runs every registered tick as often as it would run in `ms`. */
  function fakeClock(): { every: Every; advance: (ms: number) => Promise<void> } {
    const ticks: { ms: number; tick: () => Promise<void> }[] = [];
    return {
      every: (ms, tick) => {
        ticks.push({ ms, tick });
        return () => void ticks.splice(ticks.findIndex((t) => t.tick === tick), 1);
      },
      async advance(ms) {
        for (const { ms: period, tick } of [...ticks]) for (let i = 0; i < Math.floor(ms / period); i += 1) await tick();
      },
    };
  }

  const io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, color: false, interactive: false };

  it('sends at most a few requests a minute and never /core/stats, Core stopped, without Docker', async () => {
    const clock = fakeClock();
    const session = new AbortController();
    const client = createSupervisorClient({ endpoint: emulator.url, token: 'tok', dockerSocket: join(work, 'no-docker.sock') });
    const before = emulator.state.requests.length;
    await watchStateNotices(new NoticeBoard(io), { client, signal: session.signal, port: 8123, every: clock.every }).ready;
    await clock.advance(60_000);
    session.abort();
    const sent = emulator.state.requests.slice(before);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.length).toBeLessThanOrEqual(3);
    expect(sent).not.toContain('GET /core/stats');
  });

  it('learns Core state from Docker, not from the Supervisor', async () => {
    const clock = fakeClock();
    const session = new AbortController();
    mkdirSync(join(work, 'run'), { recursive: true });
    const docker = await createDockerSocket(join(work, 'run', 'docker.sock'), emulator.state);
    const posted: string[] = [];
    const board = new NoticeBoard(io);
    board.post = (text: string) => void posted.push(text);
    try {
      const client = createSupervisorClient({ endpoint: emulator.url, token: 'tok', dockerSocket: docker.path });
      const before = emulator.state.requests.length;
      await watchStateNotices(board, { client, signal: session.signal, port: 8123, every: clock.every }).ready;
      await clock.advance(10_000);
      emulator.state.coreRunning = true;
      await clock.advance(50_000);
      session.abort();
      expect(posted).toContain('Home Assistant Core is now running (was stopped).');
      expect(docker.requests.length).toBeGreaterThanOrEqual(2);
      const sent = emulator.state.requests.slice(before);
      expect(sent.length).toBeLessThanOrEqual(3);
      expect(sent.every((r) => r === 'GET /info')).toBe(true);
    } finally {
      emulator.state.coreRunning = false;
      await docker.close();
    }
  });
});

describe('never around an installed Supervisor', () => {
  it('host reboot without a token on a machine with a Supervisor installed refuses without a terminal and --force', async () => {
    const data = join(work, 'supervisor');
    mkdirSync(data, { recursive: true });
    const run = await runHa(['host', 'reboot'], {
      env: { HA_CONSOLE_CLI_TOKEN_FILE: join(data, 'cli.json'), HA_CONSOLE_SUPERVISOR_DATA: data, HA_CONSOLE_DOCKER_SOCKET: join(work, 'none.sock') },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`Error: A Supervisor is installed on this machine (${data} exists), but this console has no token for it`);
    expect(run.stderr).toContain("Hint: Wait for the Supervisor and try again, or run 'host reboot --force'");
  });

  it('a Supervisor that answers with an error is never bypassed, even with --force', async () => {
    const emulator = await createEmulator({ token: 'tok', state: 'setup' });
    try {
      const run = await runHa(['host', 'shutdown', '--force'], { env: { SUPERVISOR_ENDPOINT: emulator.url, SUPERVISOR_TOKEN: 'tok' } });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('Error: The Supervisor is still starting (state: setup)');
      expect(run.stdout).not.toContain('Requested through');
    } finally {
      await emulator.close();
    }
  });
});
