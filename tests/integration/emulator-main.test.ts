import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { createSupervisorClient } from '../../src/supervisor/client';

const MAIN = join(__dirname, '..', '..', 'dist', 'emulator', 'main.js');

describe('emulator process', () => {
  it('prints one `listening <url>` line and serves with the token from the environment', async () => {
    const child = spawn(process.execPath, [MAIN, '--follow-end-after', '25', '--core-stopped'], {
      env: { ...process.env, SUPERVISOR_TOKEN: 'from-env' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const first = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`emulator exited with ${String(code)}`)));
      });
      expect(first).toMatch(/^listening http:\/\/127\.0\.0\.1:\d+$/);
      const client = createSupervisorClient({ endpoint: first.slice('listening '.length), token: 'from-env' });
      expect((await client.info()).data).toHaveProperty('supervisor');
      await expect(client.coreStats()).rejects.toThrow(/not running/);
      let text = '';
      for await (const chunk of await client.openLogs({ service: 'core', follow: true, verbose: false })) text += String(chunk);
      expect(text.trim().split('\n')).toHaveLength(25);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('refuses an unknown argument with the usage line', async () => {
    const child = spawn(process.execPath, [MAIN, '--bogus'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown argument --bogus\nusage: /);
  });
});
