import type { RecoveryTarget } from '../targets/types';
import type { StorageFs } from './fs';
import { addUser } from './add-user';
import { listMfa } from './list-mfa';
import { listUsers } from './list-users';
import { requireStorageDir } from './require-storage';
import { resetOnboarding } from './reset-onboarding';
import { resetMfa } from './reset-mfa';
import { resetPassword } from './reset-password';
import type { RunningCheck } from './running-guard';
import { setUserFlag } from './set-user-flag';

/**
 * A recovery target acting on `.storage` through `fs` (a config folder or an ext4 partition).
 * `checkRunning` returns a reason when Home Assistant appears to run on it: writes then refuse unless forced.
 * `now` is injectable for tests (the onboarding backup folder is named after it).
 */
export function createStorageTarget(
  fs: StorageFs,
  description: string,
  checkRunning?: RunningCheck,
  now: () => Date = () => new Date(),
): RecoveryTarget {
  const context = (force: boolean) => (checkRunning === undefined ? { options: { force } } : { options: { force }, checkRunning });
  // Every task first checks that `.storage` exists (a clear "not a config folder" instead of "no users").
  const inStorage = async <T>(task: () => Promise<T>): Promise<T> => {
    await requireStorageDir(fs, description);
    return task();
  };
  return {
    description,
    listUsers: () => inStorage(() => listUsers(fs)),
    resetPassword: (username, password, options) => inStorage(() => resetPassword(fs, username, password, context(options.force))),
    resetOnboarding: (options) => inStorage(() => resetOnboarding(fs, now(), context(options.force))),
    listMfa: () => inStorage(() => listMfa(fs)),
    resetMfa: (username, modules, options) => inStorage(() => resetMfa(fs, username, modules, context(options.force))),
    addUser: (user, options) => inStorage(() => addUser(fs, user, context(options.force))),
    setUserFlag: (username, flag, value, options) => inStorage(() => setUserFlag(fs, username, flag, value, context(options.force))),
  };
}
