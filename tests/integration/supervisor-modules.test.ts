import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../src/emulator/emulator';
import { runHa } from '../helpers/run-ha';
import { KEYS, TerminalSession } from '../helpers/terminal-session';

// Which built-in modules the real `ha` loads, read from inside the process: a preload (`--require`) writes
// process.moduleLoadList to a file when the process exits or receives SIGUSR2. The global fetch (undici)
// costs ~10 MiB of RSS per process; the client talks node:http and loads node:https (tls) only for an
// https endpoint.

const work = mkdtempSync(join(tmpdir(), 'ha-modules-'));
const probe = join(work, 'probe.cjs');
writeFileSync(
  probe,
  `const fs = require('node:fs');
const dump = () => fs.writeFileSync(process.env.PROBE_OUT + '.tmp', process.moduleLoadList.join('\\n')) || fs.renameSync(process.env.PROBE_OUT + '.tmp', process.env.PROBE_OUT);
process.on('exit', dump);
process.on('SIGUSR2', dump);
`,
);

const probeEnv = (out: string): Record<string, string> => ({ NODE_OPTIONS: `--require ${probe}`, PROBE_OUT: out });
const modules = (out: string): string[] => readFileSync(out, 'utf8').split('\n');
const loaded = (list: readonly string[], name: string): boolean => list.some((m) => m === `NativeModule ${name}` || m.startsWith(`NativeModule ${name}/`));

async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let emulator: Emulator;
beforeAll(async () => {
  emulator = await createEmulator({ token: 'tok-modules', hostname: 'modhost' });
});
afterAll(async () => {
  await emulator.close();
  rmSync(work, { recursive: true, force: true });
});

describe('modules the Supervisor client loads', () => {
  it('ha core info talks node:http and loads neither undici nor tls', async () => {
    const out = join(work, 'core-info.txt');
    const run = await runHa(['core', 'info'], { env: { SUPERVISOR_ENDPOINT: emulator.url, SUPERVISOR_TOKEN: 'tok-modules', ...probeEnv(out) } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('8123');
    const list = modules(out);
    expect(loaded(list, 'http')).toBe(true);
    expect(list.filter((m) => /undici|fetch/.test(m))).toEqual([]);
    expect(loaded(list, 'tls')).toBe(false);
    expect(loaded(list, 'https')).toBe(false);
  });

  it('an idle console that polled the Supervisor for its banner has not loaded undici', async () => {
    const out = join(work, 'console.txt');
    const kmsg = join(work, 'boot.kmsg');
    writeFileSync(kmsg, '6,1,1000000,-;Booting Linux on physical CPU 0x0\n');
    const before = emulator.state.requests.length;
    const session = new TerminalSession({
      args: ['console', '--kmsg', kmsg],
      env: { HOME: work, SUPERVISOR_ENDPOINT: emulator.url, SUPERVISOR_TOKEN: 'tok-modules', NO_COLOR: '1', ...probeEnv(out) },
    });
    try {
      await session.waitFor('Booting Linux');
      session.type(KEYS.enter);
      await session.waitFor(/Host name:\s+modhost/);
      await session.waitFor(/ha > $/m);
      expect(emulator.state.requests.slice(before)).toContain('GET /info');
      process.kill(session.pty.pid, 'SIGUSR2');
      await until(() => existsSync(out), 'the module list');
      const list = modules(out);
      expect(loaded(list, 'http')).toBe(true);
      expect(list.filter((m) => /undici|fetch/.test(m))).toEqual([]);
      expect(loaded(list, 'https')).toBe(false);
    } finally {
      session.pty.kill('SIGKILL');
    }
  });
});

describe('an https endpoint', () => {
  let server: Server;
  let url: string;
  const ca = join(work, 'cert.pem');
  const seen: Array<{ path: string | undefined; auth: string | undefined }> = [];
  beforeAll(async () => {
    const key = join(work, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', ca, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    server = createServer({ key: readFileSync(key), cert: readFileSync(ca) }, (req, res) => {
      seen.push({ path: req.url, auth: req.headers.authorization });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ result: 'ok', data: { version: '2026.8.2', port: 8123, state: 'running' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is reached over TLS (node:https loaded on demand) with the Bearer token', async () => {
    const out = join(work, 'https.txt');
    const run = await runHa(['--endpoint', url, 'core', 'info'], { env: { SUPERVISOR_TOKEN: 'tok-tls', NODE_EXTRA_CA_CERTS: ca, ...probeEnv(out) } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('2026.8.2');
    expect(seen).toContainEqual({ path: '/core/info', auth: 'Bearer tok-tls' });
    const list = modules(out);
    expect(loaded(list, 'https')).toBe(true);
    expect(list.filter((m) => /undici|fetch/.test(m))).toEqual([]);
  });

  it('a certificate the machine does not trust is one line, not a stack', async () => {
    const run = await runHa(['--endpoint', url, 'core', 'info'], { env: { SUPERVISOR_TOKEN: 'tok-tls' } });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/^Error: /);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
