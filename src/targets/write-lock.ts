import { constants } from 'node:fs';
import { link, open, readFile, rename, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { HaError } from '../errors/ha-error';

// One writer at a time on a card image or a config folder. Node has no flock(2) and an addon would break
// recovery through npx on Windows and macOS, so the lock is a file holding the writer's pid, host and a token,
// written and synced under a name of its own and then linked into place (link(2) fails when the lock exists), so
// no process ever sees a live writer's lock empty or torn. (Where links are not supported, O_CREAT|O_EXCL.)
// A lock whose process is gone (same host) is stale. Only the holder of a second lock, the takeover guard
// (`<lock>.takeover`, made the same way), may remove a lock that is not its own, and only after reading, under
// the guard, that it is still the very lock judged stale. Nothing else removes or replaces a lock but its own
// process, so a live holder's lock can never be removed by another: once acquired, it stays ours until release.
// (Before the guard, a stale lock was renamed aside without one; with three processes racing, a live lock renamed
// aside by mistake left a moment in which a third process put its own in place, and two held the lock.)
// A guard left by a killed process is removed by renaming it aside and checking it is the one judged stale.

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

/** How long to wait for another process that is taking a stale lock over (it takes milliseconds). */
const GUARD_WAIT_MS = 10_000;

/**
 * Takes the lock at `path` for `what` (e.g. `card.img`), or throws a HaError naming the process that holds
 * it. A lock left by a process that no longer runs on this host is taken over.
 */
export async function acquireWriteLock(path: string, what: string): Promise<WriteLock> {
  const me: Holder = { pid: process.pid, host: hostname(), token: `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}` };
  const deadline = Date.now() + GUARD_WAIT_MS;
  for (let attempt = 0; attempt < 20; attempt += 1) {
    if (await createLock(path, me)) return heldLock(path, me);
    const text = await readText(path);
    if (text === undefined) continue; // released meanwhile: try again
    const holder = parseHolder(text);
    if (holder !== undefined && !isStale(holder, me)) {
      const where = holder.host === me.host ? `pid ${holder.pid}` : `pid ${holder.pid} on ${holder.host}`;
      throw new HaError(`${what} is in use by another ha process (${where}); nothing was changed`, {
        hint: `Wait for it to finish and try again. If no such process runs, remove ${path}.`,
      });
    }
    if ((await takeOverStale(path, text, me)) === 'busy') {
      if (Date.now() > deadline) break;
      attempt -= 1; // another process is taking it over: not an attempt of ours
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  throw new HaError(`Cannot take the lock ${path}: other processes keep taking it`, { hint: 'Try again when no other ha command runs on it.' });
}

/** A lock is stale when it is torn (its writer died creating it) or its process is gone from this host. */
function isStale(holder: Holder | undefined, me: Holder): boolean {
  return holder === undefined || (holder.host === me.host && !processAlive(holder.pid));
}

function heldLock(path: string, me: Holder): WriteLock {
  held.add(path);
  installExitHook();
  const ours = async (): Promise<boolean> => {
    const text = await readText(path).catch(() => undefined);
    return text !== undefined && parseHolder(text)?.token === me.token;
  };
  return {
    path,
    stillHeld: ours,
    async release() {
      held.delete(path);
      // No other process removes or replaces a live lock, so what is ours now stays ours until this unlink.
      if (await ours()) await unlink(path).catch(() => undefined);
    },
  };
}

async function readText(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
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
 * Removes the stale lock whose text was `staleText`, holding the takeover guard; 'busy' when another process holds
 * the guard (it is taking the lock over: wait, then look again).
 */
async function takeOverStale(path: string, staleText: string, me: Holder): Promise<'removed' | 'busy'> {
  const guard = `${path}.takeover`;
  if (!(await createLock(guard, me))) {
    const text = await readText(guard);
    if (text === undefined) return 'busy'; // just released: look again
    if (!isStale(parseHolder(text), me)) return 'busy';
    await removeIfUnchanged(guard, text, me.token); // its process was killed while taking over
    return 'removed';
  }
  try {
    if ((await readText(path)) === staleText) await removeIfUnchanged(path, staleText, me.token);
  } finally {
    await unlink(guard).catch(() => undefined);
  }
  return 'removed';
}

/**
 * Removes the file at `path` if it still holds `text`: renamed to a name of our own first, so that only one process
 * removes it; if what was renamed is not that file, it is linked back.
 */
async function removeIfUnchanged(path: string, text: string, token: string): Promise<void> {
  const aside = `${path}.${token}.stale`;
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else moved it: look again
    throw error;
  }
  const renamed = await readFile(aside, 'utf8').catch(() => text);
  if (renamed !== text) await link(aside, path).catch(() => undefined); // not the one judged stale: put it back
  await unlink(aside).catch(() => undefined);
}
