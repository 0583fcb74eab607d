import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { accessSync, constants } from 'node:fs';
import { HaError } from '../errors/ha-error';
import type { LogsRequest } from '../supervisor/api';

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

/** Streams this machine's journal to `output` until it ends or `signal` aborts. */
export async function streamLocalJournal(request: LogsRequest, output: NodeJS.WritableStream, signal: AbortSignal): Promise<void> {
  const child = spawnJournal(request);
  await new Promise<void>((resolve, reject) => {
    let stderr = '';
    child.stdout.pipe(output, { end: false });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const onAbort = (): void => {
      child.kill('SIGTERM');
    };
    signal.addEventListener('abort', onAbort, { once: true });
    child.once('error', reject);
    child.once('close', (code) => {
      signal.removeEventListener('abort', onAbort);
      if (signal.aborted || code === 0) resolve();
      else reject(new HaError(`journalctl failed: ${stderr.trim().split('\n')[0] ?? `status ${code}`}`, { hint: 'Check the flags (-b takes a boot offset such as -1).' }));
    });
  });
}
