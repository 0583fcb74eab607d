import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { HaError } from '../../errors/ha-error';
import { leftoverTemps } from '../../storage/temp-files';
import type { RecoveryTarget } from '../types';
import { acquireWriteLock, processAlive } from '../write-lock';

/** Removes the temporary files an interrupted earlier write left in `.storage` (their writer is gone). */
async function removeLeftovers(root: string): Promise<void> {
  const storage = join(root, '.storage');
  const names = await readdir(storage).catch(() => [] as string[]);
  for (const name of leftoverTemps(names, processAlive)) await unlink(join(storage, name)).catch(() => undefined);
}

/** The lock file of a config folder: beside `.storage`, removed when the writer is done. */
export function configLockPath(root: string): string {
  return join(root, '.ha-console.lock');
}

async function locked<T>(root: string, what: string, fn: () => Promise<T>): Promise<T> {
  const lock = await acquireWriteLock(configLockPath(root), what);
  try {
    await removeLeftovers(root);
    if (!(await lock.stillHeld())) {
      throw new HaError(`${what} is in use by another ha process (it took the lock over); nothing was changed`, { hint: 'Wait for it to finish and try again.' });
    }
    return await fn();
  } finally {
    await lock.release();
  }
}

/** `target` with each change made under the folder's writer lock (one ha process at a time; reads unlocked). */
export function withWriterLock(target: RecoveryTarget, root: string, what: string): RecoveryTarget {
  return {
    description: target.description,
    listUsers: () => target.listUsers(),
    resetPassword: (username, password, options) => locked(root, what, () => target.resetPassword(username, password, options)),
    resetOnboarding: (options) => locked(root, what, () => target.resetOnboarding(options)),
    listMfa: () => target.listMfa(),
    resetMfa: (username, modules, options) => locked(root, what, () => target.resetMfa(username, modules, options)),
    addUser: (user, options) => locked(root, what, () => target.addUser(user, options)),
    setUserFlag: (username, flag, value, options) => locked(root, what, () => target.setUserFlag(username, flag, value, options)),
  };
}
