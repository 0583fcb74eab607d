import { constants } from 'node:fs';
import { link, open, readFile, rename, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { HaError } from '../errors/ha-error';

// One writer at a time on a card image or a config folder. Node has no flock(2) and an addon would break
// recovery through npx on Windows and macOS, so the lock is a file holding the writer's pid, host and a token,
// written and synced under a name of its own and then linked into place (link(2) fails when the lock exists), so
// no process ever sees a live writer's lock empty or torn. (Where links are not supported, O_CREAT|O_EXCL.)
// A lock whose process is gone (same host) is stale: it is taken over by renaming it to a name of our own and
// checking that what we renamed is the very lock we judged stale; a live lock renamed by mistake (another
// process took the stale one over first) is linked back. What is left of a race is caught by stillHeld(),
// which writers check right before they change anything.

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
  for (let attempt = 0; attempt < 5; attempt += 1) {
    if (await createLock(path, me)) {
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
    }
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (text === undefined) continue; // released meanwhile: try again
    const holder = parseHolder(text);
    const stale = holder === undefined || (holder.host === me.host && !processAlive(holder.pid));
    if (!stale) {
      const where = holder.host === me.host ? `pid ${holder.pid}` : `pid ${holder.pid} on ${holder.host}`;
      throw new HaError(`${what} is in use by another ha process (${where}); nothing was changed`, {
        hint: `Wait for it to finish and try again. If no such process runs, remove ${path}.`,
      });
    }
    await takeOverStale(path, text, me.token);
  }
  throw new HaError(`Cannot take the lock ${path}: other processes keep taking it`, { hint: 'Try again when no other ha command runs on it.' });
}

/** Puts a complete lock file for `me` at `path`; false when a lock is there already. */
async function createLock(path: string, me: Holder): Promise<boolean> {
  const staged = `${path}.${me.token}.new`;
  try {
    await writeSynced(staged, me, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL);
    try {
      await link(staged, path);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
    } finally {
      await unlink(staged).catch(() => undefined);
    }
    // No hard links here (FAT, some network shares): create the lock in place.
    await writeSynced(path, me, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    throw new HaError(`Cannot create the lock file ${path} (${code ?? String(error)})`, {
      hint: 'Make the folder writable, or work on a copy.',
      cause: error,
    });
  }
}

async function writeSynced(path: string, holder: Holder, flags: number): Promise<void> {
  const handle = await open(path, flags, 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(holder)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Removes the stale lock whose text was `staleText`: renamed to a name of our own first, so that only one process
 * removes it; if what was renamed is not that lock (another process took it over meanwhile), it is linked back.
 */
async function takeOverStale(path: string, staleText: string, token: string): Promise<void> {
  const aside = `${path}.${token}.stale`;
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else moved it: try again
    throw error;
  }
  const renamed = await readFile(aside, 'utf8').catch(() => staleText);
  if (renamed !== staleText) await link(aside, path).catch(() => undefined); // a live lock: put it back
  await unlink(aside).catch(() => undefined);
}
