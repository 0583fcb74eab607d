import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { accessSync, constants } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { HaError } from '../errors/ha-error';
import type { LogsRequest } from '../supervisor/api';
import { createSafeLogStream } from '../render/safe-log-stream';

/** journalctl arguments for a logs request (pure): the same -n/-f/-b/-t meaning as the Supervisor's. */
export function journalctlArgs(request: LogsRequest): string[] {
  const args = ['--no-pager', '-o', request.verbose ? 'short-precise' : 'cat'];
  args.push('-n', String(request.lines ?? 100));
  if (request.boot !== undefined) args.push('-b', request.boot);
  if (request.identifier !== undefined) args.push('-t', request.identifier);
  if (request.follow) args.push('-f');
  return args;
}

/** Finds journalctl on this machine. */
function findJournalctl(): string | undefined {
  for (const path of ['/usr/bin/journalctl', '/bin/journalctl']) {
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // try next
    }
  }
  return undefined;
}

/** Starts journalctl for a request; its stdout is the log (a HaError when there is no journal here). */
export function spawnJournal(request: LogsRequest): ChildProcessByStdio<null, Readable, Readable> {
  const journalctl = findJournalctl();
  if (!journalctl) throw new HaError('This machine has no systemd journal (journalctl not found) and no Supervisor is configured.', { hint: "Use 'dmesg' for the kernel log." });
  return spawn(journalctl, journalctlArgs(request), { stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Streams this machine's journal to `output` until it ends or `signal` aborts. journalctl passes the messages'
 * bytes through as they were logged, so they go through the log sanitizer (colours kept when `color`).
 */
export async function streamLocalJournal(request: LogsRequest, output: NodeJS.WritableStream, signal: AbortSignal, color: boolean): Promise<void> {
  const child = spawnJournal(request);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const onAbort = (): void => {
    child.kill('SIGTERM');
  };
  signal.addEventListener('abort', onAbort, { once: true });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  try {
    // The log is written out whole (through the sanitizer) before the exit status is judged.
    await Promise.all([pipeline(child.stdout, createSafeLogStream(color), output, { end: false }), exited]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  const code = await exited;
  if (signal.aborted || code === 0) return;
  throw new HaError(`journalctl failed: ${stderr.trim().split('\n')[0] ?? `status ${code}`}`, { hint: 'Check the flags (-b takes a boot offset such as -1).' });
}
