import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/emulator';
import { copyDemoConfig, startDemoEmulator } from '../helpers/demo-target';
import { runHa } from '../helpers/run-ha';
import { HA_BIN, REPO_ROOT } from '../helpers/terminal-session';

let emulator: Emulator;
let env: Record<string, string>;
beforeAll(async () => {
  ({ emulator } = await startDemoEmulator({ followIntervalMs: 20 }));
  env = { SUPERVISOR_ENDPOINT: emulator.url, SUPERVISOR_TOKEN: emulator.token };
});
afterAll(async () => {
  await emulator.close();
});

/** A loopback port nobody listens on (taken, then let go). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address !== null ? address.port : 1;
}

describe('exit status for scripts', () => {
  it('a script piped to the prompt exits with its last failure, 0 when none failed', async () => {
    expect((await runHa([], { env, input: 'core info\ndns info\n' })).code).toBe(0);
    expect((await runHa([], { env, input: 'core info\nnonsense\ncore info\n' })).code).toBe(2);
    const dir = copyDemoConfig();
    const failed = await runHa(['--config', dir], { input: 'auth list\nauth reset --username carol --password x\nauth list\n' });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/carol/);
  });

  it("--endpoint 'http://[::1' is a usage error", async () => {
    const run = await runHa(['--endpoint', 'http://[::1', 'core', 'info']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^Error: --endpoint is not a valid URL: http:\/\/\[::1\nHint: /);
  });

  it('credentials in an endpoint URL are masked in every message', async () => {
    const port = await closedPort();
    const runs = [
      await runHa(['--endpoint', `http://admin:hunter2@127.0.0.1:${port}`, 'core', 'info'], { env: { SUPERVISOR_TOKEN: 't' } }),
      await runHa(['--endpoint', 'http://admin:hunter2@[::1', 'core', 'info']),
      await runHa(['core', 'info'], { env: { SUPERVISOR_ENDPOINT: `http://tok3n-hunter2@127.0.0.1:${port}`, SUPERVISOR_TOKEN: 't', HA_CONSOLE_DEBUG: '1' } }),
    ];
    for (const run of runs) {
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain('***@');
      expect(`${run.stdout}${run.stderr}`).not.toContain('hunter2');
    }
  });

  it('core logs -f | head -1 ends quietly with status 0 when the reader goes away', async () => {
    const child = spawn('bash', ['-c', 'set -o pipefail; "$0" "$1" core logs -f --no-pager | head -1', process.execPath, HA_BIN], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(stdout.split('\n').filter((l) => l !== '')).toHaveLength(1);
    expect(code).toBe(0);
  });
});
