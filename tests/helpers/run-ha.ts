import { spawn } from 'node:child_process';
import { HA_BIN, REPO_ROOT } from './terminal-session';

/** Result of one `ha` run. */
export interface HaRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node bin/ha.js ...args` without a terminal (as a script or SSH command would), feeding `input` on stdin. */
export function runHa(args: readonly string[], options: { env?: Record<string, string>; input?: string | Buffer; timeoutMs?: number } = {}): Promise<HaRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [HA_BIN, ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/root', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ha ${args.join(' ')} did not finish; stdout: ${stdout.slice(-500)} stderr: ${stderr.slice(-500)}`));
    }, options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}
