import { constants } from 'node:fs';
import { open, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { HaError } from '../errors/ha-error';

// One writer at a time on a card image or a config folder. Node has no flock(2) and an addon would break
// recovery through npx on Windows and macOS, so the lock is a file created with O_CREAT|O_EXCL holding the
// writer's pid and host; one whose process is gone (same host) is stale and taken over. A takeover race
// is caught by stillHeld(), which the writer checks right before it changes anything.

/** An acquired lock. */
export interface WriteLock {
  readonly path: string;
  /** True while the lock file is still ours (checked before the first write). */
  stillHeld(): Promise<boolean>;
  /** Removes the lock file (only if it is still ours). */
  release(): Promise<void>;
}

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
}

function parseHolder(text: string): Holder | undefined {
  try {
    const value = JSON.parse(text) as Partial<Holder>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.token === 'string') {
      return { pid: value.pid, host: value.host, token: value.token };
    }
  } catch {
    // an empty or torn lock file: its writer died while creating it
  }
  return undefined;
}

/** True when a process with this pid runs on this machine (EPERM: it runs as someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readHolder(path: string): Promise<Holder | undefined | 'gone'> {
  try {
    return parseHolder(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
}

const held = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { unlinkSync } = require('node:fs') as typeof import('node:fs');
    for (const path of held) {
      try {
        unlinkSync(path);
      } catch {
        // already gone
      }
    }
  });
}

/**
 * Takes the lock at `path` for `what` (e.g. `card.img`), or throws a HaError naming the process that holds
 * it. A lock left by a process that no longer runs on this host is taken over.
 */
export async function acquireWriteLock(path: string, what: string): Promise<WriteLock> {
  const me: Holder = { pid: process.pid, host: hostname(), token: `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}` };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(me)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      held.add(path);
      installExitHook();
      const ours = async (): Promise<boolean> => {
        const holder = await readHolder(path).catch(() => undefined);
        return holder !== undefined && holder !== 'gone' && holder.token === me.token;
      };
      return {
        path,
        stillHeld: ours,
        async release() {
          held.delete(path);
          if (await ours()) await unlink(path).catch(() => undefined);
        },
      };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') {
        throw new HaError(`Cannot create the lock file ${path} (${code ?? String(error)})`, {
          hint: 'Make the folder writable, or work on a copy.',
          cause: error,
        });
      }
    }
    const holder = await readHolder(path);
    if (holder === 'gone') continue;
    const stale = holder === undefined || (holder.host === me.host && !processAlive(holder.pid));
    if (!stale) {
      const where = holder.host === me.host ? `pid ${holder.pid}` : `pid ${holder.pid} on ${holder.host}`;
      throw new HaError(`${what} is in use by another ha process (${where}); nothing was changed`, {
        hint: `Wait for it to finish and try again. If no such process runs, remove ${path}.`,
      });
    }
    await unlink(path).catch(() => undefined);
  }
  throw new HaError(`Cannot take the lock ${path}: other processes keep taking it`, { hint: 'Try again when no other ha command runs on it.' });
}
